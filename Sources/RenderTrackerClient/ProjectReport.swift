public import RenderTracker
public import RPC

/// One project as `getProjectSummary` answers it, read with errors that name what is missing.
public struct ProjectReport: Sendable, Equatable {
    public var name: String
    public var jobID: String
    public var frameCount: Int
    public var statusCounts: [FrameStatus: Int]
    public var state: ProjectState
    public var started: String
    public var elapsedSeconds: Double
    public var secondsLeft: Double?
    /// The 80% range around `secondsLeft` (`seconds_left_low` ... `seconds_left_high`); nil when
    /// the tracker gives none (an older tracker, or a plugin estimator's single number).
    public var secondsLeftRange: ClosedRange<Double>?
    public var lastProjectError: String?
    /// The error that has stood longest: its frame and cause (nil without one, or from a tracker
    /// that does not send it).
    public var firstError: ProjectSummary.FirstError?

    /// - Returns: nil for the tracker's nil (an unknown project).
    public init?(_ value: RPCValue) throws(UnexpectedAnswer) {
        if value == .null { return nil }
        let summary = try AnswerFields(value, what: "getProjectSummary")
        name = try summary.string("project")
        jobID = try summary.string("job_id")
        frameCount = try summary.integer("frame_count")
        let counts = try AnswerFields(summary.value("status_counts"), what: "getProjectSummary's status_counts")
        statusCounts = [:]
        for status in FrameStatus.allCases {
            statusCounts[status] = try counts.integer(status.name)
        }
        let stateName = try summary.string("state")
        guard let state = ProjectState(rawValue: stateName) else {
            throw UnexpectedAnswer(description: "getProjectSummary answered an unknown state \"\(stateName)\"")
        }
        self.state = state
        started = try summary.string("started")
        elapsedSeconds = try summary.number("elapsed_seconds")
        secondsLeft = try summary.optionalNumber("seconds_left")
        let low = summary.has("seconds_left_low") ? try summary.optionalNumber("seconds_left_low") : nil
        let high = summary.has("seconds_left_high") ? try summary.optionalNumber("seconds_left_high") : nil
        if let low, let high, low <= high { secondsLeftRange = low...high }
        lastProjectError = try summary.optionalString("last_project_error")
        firstError = try summary.optionalFields("first_error").map { error throws(UnexpectedAnswer) in
            ProjectSummary.FirstError(frame: try error.integer("frame"), cause: try error.string("cause"))
        }
    }
}
