import FarmSimulation
import Logging
import LuaPlugins
import RenderTracker
import RenderTrackerServer
import Synchronization
import XMLRPC

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
    private var stalls: StallWatch
    private var lastStallCheck = 0.0

    /// - Parameter recorder: where the calls go as a render log (`scenario run --emit-log`).
    init(start: Timestamp, pluginFolder: String?, pluginOptions: PluginOptions, recorder: RenderLogRecorder?, logger: Logger) {
        clock = ManualClock(start)
        self.start = start
        core = TrackerCore(
            configuration: RenderTrackerConfiguration(pluginFolder: pluginFolder, pluginOptions: pluginOptions),
            logger: logger, clock: clock, pluginEffects: notifications, recorder: recorder, observers: [events]
        )
        stalls = StallWatch(stallSeconds: pluginOptions.stallSeconds)
    }

    func send(_ call: FarmCall) -> RPCValue? {
        clock.set(start.advanced(bySeconds: call.time))
        switch core.dispatcher.call(call.method, call.params, client: call.client) {
        case .success(let value):
            return value
        case .failure(let fault):
            faults.append(Fault(call: call, fault: fault))
            return nil
        }
    }

    /// Virtual time moved on: look for stalled frames about once a virtual minute, as the
    /// daemon's plugin service does in real time, for `farm:events` and for plugins that hook them.
    func timeAdvanced(to seconds: Double) {
        clock.set(start.advanced(bySeconds: seconds))
        guard seconds - lastStallCheck >= 60 else { return }
        lastStallCheck = seconds
        let stalled = core.tracker.read { stalls.newStalls(in: $0) }
        guard !stalled.isEmpty else { return }
        events.append(stalled)
        if let plugins = core.plugins, plugins.wantedEvents.contains(.frameStalled) {
            for event in stalled {
                plugins.enqueue(event)
            }
        }
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

    func trackerDidApply(_ command: TrackerCommand, outcome: TrackerOutcome, in tracker: Tracker) {
        guard !outcome.events.isEmpty else { return }
        let events = outcome.events.flatMap { PluginEvent.events(for: $0, in: tracker, wanted: everyEvent) }
        kept.withLock { $0.append(contentsOf: events) }
    }

    /// Events found outside a write (stalled frames).
    func append(_ events: [PluginEvent]) {
        kept.withLock { $0.append(contentsOf: events) }
    }

    var all: [PluginEvent] { kept.withLock { $0 } }
}
