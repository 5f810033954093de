public import LuaPlugins
public import RenderTracker
import Synchronization

/// Looks for stalled frames (Rendering, silent for `PluginOptions.stallSeconds`) at most once per
/// `interval` seconds of the tracker's own clock, so the daemon (wall time, polled by its plugin
/// service) and scenarios (virtual time, polled as the farm's time moves) find the same stalls.
/// Each stall is reported once; found stalls go to the plugins' hook queue.
public final class StallScheduler: Sendable {
    /// Seconds of tracker time between looks.
    public let interval: Double
    private let state: Mutex<(watch: StallWatch, lastCheck: Timestamp)>

    /// - Parameter start: the tracker clock's time now; the first look is due `interval` after it.
    public init(stallSeconds: Double, interval: Double, start: Timestamp) {
        self.interval = interval
        state = Mutex((StallWatch(stallSeconds: stallSeconds), start))
    }

    /// After a restart: the stalls present now were seen by the last process (see
    /// `StallWatch.takeCurrentStallsAsReported`).
    public func takeCurrentStallsAsReported(in tracker: SharedTracker) {
        tracker.read { tracker in
            state.withLock { $0.watch.takeCurrentStallsAsReported(in: tracker) }
        }
    }

    /// The frames that stalled since the last look, when a look is due by `tracker`'s clock;
    /// enqueued for `plugins` when they hook frame_stalled.
    public func checkIfDue(in tracker: SharedTracker, plugins: PluginEngine?) -> [PluginEvent] {
        let stalled = tracker.read { tracker in
            state.withLock { state -> [PluginEvent] in
                let now = tracker.clock.now()
                guard now.seconds(since: state.lastCheck) >= interval else { return [] }
                state.lastCheck = now
                return state.watch.newStalls(in: tracker)
            }
        }
        if let plugins, !stalled.isEmpty, plugins.wantedEvents.contains(.frameStalled) {
            for event in stalled {
                plugins.enqueue(event)
            }
        }
        return stalled
    }
}
