/// Something notable a command did: what logs report and what hooks will react to. Progress within
/// a status is not an event; status changes and project lifecycle are.
public enum TrackerEvent: Sendable, Equatable {
    case projectStarted(project: String, jobID: String, frameCount: Int, replacedExisting: Bool)
    case projectCreatedImplicitly(project: String, method: String)
    case frameAddedImplicitly(project: String, frame: Int, method: String)
    case frameStatusChanged(project: String, frame: Int, from: FrameStatus, to: FrameStatus, jobID: String, message: String?)
    case projectStateChanged(project: String, from: ProjectState, to: ProjectState)
    case projectError(project: String, message: String)
    case projectRemoved(project: String)
}

/// What `Tracker.apply(_:)` did.
public struct TrackerOutcome: Sendable, Equatable {
    public var events: [TrackerEvent] = []
    /// The global event counter after the command.
    public var lastEventID: Int
    /// The clock's reading the command was applied at (a render log records this very instant,
    /// so a replay writes the same times into frame logs).
    public var time: Timestamp

    /// True when the command removed a project (the `removeProject` result).
    public var removedProject: Bool {
        events.contains { if case .projectRemoved = $0 { true } else { false } }
    }
}
