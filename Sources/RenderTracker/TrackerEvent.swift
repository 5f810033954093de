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
    /// Left memory to keep live projects within `TrackerLimits.maxLiveProjects`.
    case projectEvicted(project: String)
}

/// A render that is no longer live: its project was replaced by a new render of the same name,
/// removed, or evicted from memory. Carried in the outcome so a store can keep it as a past render.
public struct EndedRender: Sendable {
    public enum Reason: String, Sendable {
        case replaced, removed, evicted
    }

    public var project: Project
    public var reason: Reason

    public init(project: Project, reason: Reason) {
        self.project = project
        self.reason = reason
    }
}

/// What `Tracker.apply(_:)` did.
public struct TrackerOutcome: Sendable {
    public var events: [TrackerEvent] = []
    /// Renders that stopped being live with this command (replaced, removed, evicted).
    public var endedRenders: [EndedRender] = []
    /// The global event counter after the command.
    public var lastEventID: Int
    /// The clock's reading the command was applied at (a render log records this very instant,
    /// so a replay writes the same times into frame logs).
    public var time: Timestamp

    public init(lastEventID: Int, time: Timestamp, events: [TrackerEvent] = [], endedRenders: [EndedRender] = []) {
        self.lastEventID = lastEventID
        self.time = time
        self.events = events
        self.endedRenders = endedRenders
    }

    /// True when the command removed a project (the `removeProject` result).
    public var removedProject: Bool {
        events.contains { if case .projectRemoved = $0 { true } else { false } }
    }
}
