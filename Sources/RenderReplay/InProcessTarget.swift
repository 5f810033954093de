import Logging
public import LuaPlugins
public import RenderTracker
public import RenderTrackerService
public import RPC
public import RenderLog

/// A `TrackerCore` on a `ManualClock`: each call runs at its recorded moment in virtual time,
/// through the same dispatcher the daemon uses, and nothing waits in real time.
public final class InProcessTarget: ReplayTarget {
    public let name = "in-process"
    private let configuration: TrackerConfiguration
    private let clock: ManualClock
    private let effects = CapturedPluginEffects()
    public private(set) var core: TrackerCore
    /// The first call's time: virtual time is `start + offset`.
    private var start: Timestamp?

    /// - Parameter pluginFolder: Lua plugins to load; their notifications are captured.
    /// - Throws: when the plugins do not load (the daemon would run the built-ins instead; a
    ///   replay asked to try plugins must not quietly replay without them).
    public init(pluginFolder: String? = nil) throws(PluginReloadError) {
        configuration = TrackerConfiguration(pluginFolder: pluginFolder)
        clock = ManualClock()
        core = TrackerCore(configuration: configuration, logger: .silent, clock: clock, pluginEffects: effects)
        if case .failure(let error)? = core.plugins?.reload() {
            throw error
        }
    }

    public func restart() async {
        if let plugins = core.plugins {
            _ = await plugins.drainHooks(seconds: 5)
        }
        core = TrackerCore(configuration: configuration, logger: .silent, clock: clock, pluginEffects: effects)
    }

    public func send(_ call: RecordedCall, time: Timestamp, offset: Double) -> Result<RPCValue, RPCFault> {
        let start = self.start ?? time
        self.start = start
        // Exactly the recorded time at speed 1, so frame logs read the same times.
        clock.set(offset == time.seconds(since: start) ? time : start.advanced(bySeconds: offset))
        return core.dispatcher.call(call.method, call.params, client: call.client)
    }

    public func read(_ method: String, _ params: [RPCValue]) -> Result<RPCValue, RPCFault> {
        core.dispatcher.call(method, params)
    }

    public func progress(of project: String) -> (done: Int, total: Int)? {
        core.tracker.read { tracker in tracker.project(named: project).map { ($0.statusCounts[.done], $0.frameCount) } }
    }

    public func finish() async -> [String: Int] {
        if let plugins = core.plugins {
            _ = await plugins.drainHooks(seconds: 10)
        }
        var counts: [String: Int] = [:]
        for notification in effects.notifications {
            switch notification {
            case .httpPost(let plugin, _, _, _, _), .exec(let plugin, _, _): counts[plugin, default: 0] += 1
            }
        }
        return counts
    }
}
