public import Logging
public import LuaPlugins
public import RenderTrackerService
public import ServiceLifecycle
import Synchronization

/// Keeps the plugins current while the daemon runs: reloads on SIGHUP and when a file in the
/// plugin folder changes, has the core look for stalled frames as wall time passes, and on
/// shutdown lets queued hooks finish.
public struct PluginService: Service {
    public let plugins: PluginEngine
    public let core: TrackerCore
    /// How often the folder is looked at for changes, in seconds.
    public var watchSeconds: Double
    public let logger: Logger

    public init(plugins: PluginEngine, core: TrackerCore, watchSeconds: Double = 2, logger: Logger) {
        self.plugins = plugins
        self.core = core
        self.watchSeconds = watchSeconds
        self.logger = logger
    }

    public func run() async throws {
        // The folder's signature (names, sizes, times) is polled: cheap, and works on network
        // mounts where change notification does not.
        let signature = Mutex(plugins.folder.signature())
        await PeriodicWork.run(every: .seconds(watchSeconds)) {
            logger.notice("SIGHUP: reloading plugins")
            plugins.reload()
        } tick: {
            let now = plugins.folder.signature()
            let changed = signature.withLock { seen in
                defer { seen = now }
                return seen != now
            }
            if changed {
                logger.notice("plugin folder changed: reloading plugins", metadata: ["folder": "\(plugins.folder.path)"])
                plugins.reload()
            }
            // The core looks only when a look is due (`stallCheckSeconds`), on the tracker's clock.
            if plugins.wantedEvents.contains(.frameStalled) {
                core.checkForStalls()
            }
        }
        if await !plugins.drainHooks(seconds: 5) {
            logger.warning("stopping with plugin hooks still queued", metadata: ["queued": "\(plugins.statistics.hookQueueDepth)"])
        }
    }

    /// How often the core looks for stalled frames: a few times per stall period, at most every
    /// `watchSeconds` (the service's poll), at least every 30 s.
    public static func stallCheckSeconds(watchSeconds: Double, options: PluginOptions) -> Double {
        max(watchSeconds, min(30, options.stallSeconds / 4))
    }
}
