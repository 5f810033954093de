import FarmSimulation
import Logging
import LuaPlugins
import RenderTracker
import RenderLog
import RenderTrackerService
import Synchronization
import RPC

/// The tracker a scenario runs against: the daemon's own core (methods, plugins, observers) in
/// virtual time. Each farm call sets the clock to the call's moment, then goes through the same
/// dispatcher the network reaches. Plugin notifications are captured, never delivered.
final class ScenarioTracker: FarmCallSink {
    struct Fault {
        var call: FarmCall
        var fault: RPCFault
    }

    let clock: ManualClock
    /// The virtual moment the scenario began.
    let start: Timestamp
    let core: TrackerCore
    let notifications = CapturedPluginEffects()
    let events = ScenarioEventLog()
    private(set) var faults: [Fault] = []
    private let keepsEvents: Bool

    /// - Parameters:
    ///   - recorder: where the calls go as a render log (`scenario run --emit-log`).
    ///   - keepsEvents: whether hook events are kept for `farm:events`. A render log run alone
    ///     (`scenario run night.jsonl`) has no script to read them, and building each event's
    ///     table cost 8% of a replay's time (perf, 1,006,736 calls).
    init(
        start: Timestamp, pluginFolder: String?, pluginOptions: PluginOptions, recorder: RenderLogRecorder?, logger: Logger,
        keepsEvents: Bool
    ) {
        clock = ManualClock(start)
        self.start = start
        self.keepsEvents = keepsEvents
        core = TrackerCore(
            configuration: TrackerConfiguration(pluginFolder: pluginFolder, pluginOptions: pluginOptions),
            logger: logger, clock: clock, pluginEffects: notifications, recorder: recorder, observers: keepsEvents ? [events] : []
        )
    }

    func send(_ call: FarmCall) -> RPCValue? {
        switch apply(call.method, call.params, client: call.client, at: call.time) {
        case .success(let value):
            return value
        case .failure(let fault):
            faults.append(Fault(call: call, fault: fault))
            return nil
        }
    }

    /// A call of a replayed render log, at virtual second `seconds`; its faults are the replay's to count.
    func replay(_ call: RecordedCall, at seconds: Double) -> Result<RPCValue, RPCFault> {
        apply(call.method, call.params, client: call.client, at: seconds)
    }

    private func apply(_ method: String, _ params: [RPCValue], client: String?, at seconds: Double) -> Result<RPCValue, RPCFault> {
        clock.set(start.advanced(bySeconds: seconds))
        return core.dispatcher.call(method, params, client: client)
    }

    /// Virtual time moved on: the core looks for stalled frames once a virtual minute (its
    /// default `stallCheckSeconds`), as the daemon does in real time, for `farm:events` and for
    /// plugins that hook them.
    func timeAdvanced(to seconds: Double) {
        clock.set(start.advanced(bySeconds: seconds))
        let stalled = core.checkForStalls()
        if keepsEvents { events.append(stalled) }
    }

    /// Every notification plugins sent so far, after letting queued hooks run.
    func capturedNotifications() -> [PluginNotification] {
        // Hooks that take longer than this are their own failure, counted by the engine.
        _ = core.plugins?.drainHooksBlocking(seconds: 30)
        return notifications.notifications
    }
}

/// Keeps every hook event the tracker's writes stand for (what plugins would be told), for
/// scenarios' expectations on events fired.
final class ScenarioEventLog: TrackerObserver {
    private let kept = Mutex<[PluginEvent]>([])
    private let everyEvent = Set(PluginEvent.Name.allCases)

    func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        guard !write.outcome.events.isEmpty else { return }
        let events = write.outcome.events.flatMap { PluginEvent.events(for: $0, in: tracker, wanted: everyEvent) }
        kept.withLock { $0.append(contentsOf: events) }
    }

    /// Events found outside a write (stalled frames).
    func append(_ events: [PluginEvent]) {
        guard !events.isEmpty else { return }
        kept.withLock { $0.append(contentsOf: events) }
    }

    var all: [PluginEvent] { kept.withLock { $0 } }

    /// How many events were kept: a change means plugin hooks may have sent something.
    var count: Int { kept.withLock { $0.count } }
}
