public import RenderTracker

/// Finds Rendering frames that have reported nothing for a while, and remembers which it has
/// reported so each stall fires once. A frame that moves and stalls again is a new stall.
public struct StallWatch: Sendable {
    private struct Stall: Hashable {
        var project: ProjectKey
        var projectCreated: Int
        var frame: Int
        var since: Timestamp
    }

    public var stallSeconds: Double
    private var reported: Set<Stall> = []

    public init(stallSeconds: Double) {
        self.stallSeconds = stallSeconds
    }

    /// Takes every frame stalled now as already reported: after a restart, the stalls the last
    /// process saw (and reported) do not fire again. A stall that began in its last minute, before
    /// its next look, is not reported either: the price of keeping no state for it.
    public mutating func takeCurrentStallsAsReported(in tracker: Tracker) {
        _ = newStalls(in: tracker)
    }

    /// The frames that stalled since the last look, as frame_stalled events.
    public mutating func newStalls(in tracker: Tracker) -> [PluginEvent] {
        let now = tracker.clock.now()
        var stalled: Set<Stall> = []
        var events: [PluginEvent] = []
        for name in tracker.projectNames {
            guard let project = tracker.project(named: name) else { continue }
            for frame in project.framesInFlight where frame.status == .rendering {
                guard let since = frame.lastProgressAt ?? frame.renderStartedAt else { continue }
                let quiet = now.seconds(since: since)
                guard quiet >= stallSeconds else { continue }
                let stall = Stall(project: ProjectKey(name), projectCreated: project.createdEventID, frame: frame.number, since: since)
                stalled.insert(stall)
                if !reported.contains(stall) {
                    events.append(PluginEvent.frameStalled(project: name, frame: frame, stalledSeconds: quiet, now: now))
                }
            }
        }
        // Forget stalls that ended, so memory follows the frames stalled now.
        reported = stalled
        return events
    }
}
