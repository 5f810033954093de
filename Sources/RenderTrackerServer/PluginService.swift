public import Logging
public import LuaPlugins
public import ServiceLifecycle
import UnixSignals

/// Keeps the plugins current while the daemon runs: reloads on SIGHUP and when a file in the
/// plugin folder changes, looks for stalled frames, and on shutdown lets queued hooks finish.
public struct PluginService: Service {
    public let plugins: PluginEngine
    public let tracker: SharedTracker
    /// How often the folder is looked at for changes, in seconds.
    public var watchSeconds: Double
    public let logger: Logger

    public init(plugins: PluginEngine, tracker: SharedTracker, watchSeconds: Double = 2, logger: Logger) {
        self.plugins = plugins
        self.tracker = tracker
        self.watchSeconds = watchSeconds
        self.logger = logger
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() {
                    logger.notice("SIGHUP: reloading plugins")
                    plugins.reload()
                }
            }
            group.addTask { await watch() }
            await group.next()
            group.cancelAll()
        }
        if await !plugins.drainHooks(seconds: 5) {
            logger.warning("stopping with plugin hooks still queued", metadata: ["queued": "\(plugins.statistics.hookQueueDepth)"])
        }
    }

    /// Polls the folder's signature (names, sizes, times): cheap, and works on network mounts
    /// where change notification does not.
    private func watch() async {
        var signature = plugins.folder.signature()
        var stalls = StallWatch(stallSeconds: plugins.options.stallSeconds)
        // Stalls are looked for a few times per stall period, at most every `watchSeconds`.
        let stallEvery = max(watchSeconds, min(30, plugins.options.stallSeconds / 4))
        var sinceStallCheck = 0.0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: .seconds(watchSeconds))
            } catch {
                return
            }
            let now = plugins.folder.signature()
            if now != signature {
                signature = now
                logger.notice("plugin folder changed: reloading plugins", metadata: ["folder": "\(plugins.folder.path)"])
                plugins.reload()
            }
            sinceStallCheck += watchSeconds
            if sinceStallCheck >= stallEvery, plugins.wantedEvents.contains(.frameStalled) {
                sinceStallCheck = 0
                for event in tracker.read({ stalls.newStalls(in: $0) }) {
                    plugins.enqueue(event)
                }
            }
        }
    }
}
