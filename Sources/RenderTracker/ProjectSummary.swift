/// One project at a glance (the `getProjectSummary` extension).
public struct ProjectSummary: Sendable, Equatable {
    public var name: String
    public var jobID: String
    public var generatesIFDs: Bool
    public var frameCount: Int
    public var statusCounts: StatusCounts
    public var state: ProjectState
    public var startedAt: Timestamp
    public var elapsedSeconds: Double
    public var secondsLeft: Double?
    /// The 80% interval around `secondsLeft` (`TimeLeftEstimate`); nil when the estimate has none
    /// (a plugin's that gives one number).
    public var secondsLeftLow: Double?
    public var secondsLeftHigh: Double?
    /// The shot's past render the estimate learned from (`ShotHistory`), by project name; nil for none.
    public var learnedFrom: String?
    public var lastEventID: Int
    public var createdImplicitly: Bool
    public var lastProjectError: String?
    /// The error that has stood longest and its cause, so a list can show one failure at a
    /// glance; nil while no frame is in Error.
    public var firstError: FirstError?

    public struct FirstError: Sendable, Equatable {
        public var frame: Int
        public var cause: String

        public init(frame: Int, cause: String) {
            self.frame = frame
            self.cause = cause
        }
    }

    init(project: Project, now: Timestamp, estimate: TimeLeftEstimate?) {
        name = project.name
        jobID = project.jobID
        generatesIFDs = project.generatesIFDs
        frameCount = project.frameCount
        statusCounts = project.statusCounts
        state = project.state
        startedAt = project.startedAt
        // A finished project's clock stops at its last change.
        let end = project.state == .running ? now : project.lastChangedAt
        elapsedSeconds = max(0, end.seconds(since: project.startedAt))
        lastEventID = project.lastEventID
        createdImplicitly = project.createdImplicitly
        lastProjectError = project.lastProjectError
        firstError = project.longestStandingError.map { FirstError(frame: $0.number, cause: $0.failureCause ?? "") }
        apply(estimate)
    }

    /// Takes `estimate` as the time left (a plugin's replacing the built-in's).
    public mutating func apply(_ estimate: TimeLeftEstimate?) {
        secondsLeft = estimate?.seconds
        secondsLeftLow = estimate.flatMap { $0.isRange ? $0.low : nil }
        secondsLeftHigh = estimate.flatMap { $0.isRange ? $0.high : nil }
    }
}
