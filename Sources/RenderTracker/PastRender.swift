/// One render of a project, live or past: the line `getRenderHistory` gives for it.
public struct PastRender: Sendable, Equatable {
    /// How a render stopped being the live one.
    public enum Ending: String, Sendable, CaseIterable {
        /// Still the project's live render.
        case live
        /// A new render of the same name replaced it (re-rendering clears the live project).
        case replaced
        /// `removeProject`.
        case removed
        /// Left memory past the live-project limit (finished ones first).
        case evicted
        /// Loaded from a render log by `rendertracker import`.
        case imported
    }

    /// The event id the render was created with: unique over the tracker's life.
    public var renderID: Int
    public var project: String
    public var jobID: String
    public var startedAt: Timestamp
    /// The render's last change.
    public var endedAt: Timestamp
    public var state: ProjectState
    public var ending: Ending
    public var frames: Int
    public var done: Int
    public var errors: Int
    /// Machine time: render seconds summed over every attempt of every frame.
    public var renderSeconds: Double
    /// From the start to the last change.
    public var wallSeconds: Double { max(0, endedAt.seconds(since: startedAt)) }

    public init(
        renderID: Int, project: String, jobID: String, startedAt: Timestamp, endedAt: Timestamp, state: ProjectState, ending: Ending,
        frames: Int, done: Int, errors: Int, renderSeconds: Double
    ) {
        self.renderID = renderID
        self.project = project
        self.jobID = jobID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.state = state
        self.ending = ending
        self.frames = frames
        self.done = done
        self.errors = errors
        self.renderSeconds = renderSeconds
    }

    /// A project's render as it stands.
    public init(_ project: Project, ending: Ending) {
        self.init(
            renderID: project.createdEventID, project: project.name, jobID: project.jobID, startedAt: project.startedAt,
            endedAt: project.lastChangedAt, state: project.state, ending: ending, frames: project.frameCount,
            done: project.statusCounts[.done], errors: project.statusCounts[.error],
            renderSeconds: project.allFrames.reduce(0) { $0 + $1.machineSeconds })
    }
}

/// One frame's line in a render report.
public struct FrameResult: Sendable, Equatable {
    public var number: Int
    public var status: FrameStatus
    /// Seconds of the render that succeeded, when it was seen from its start.
    public var renderSeconds: Double?
    public var attempts: Int
    /// Render seconds over every attempt.
    public var machineSeconds: Double
    /// The address of the machine that started its latest render.
    public var machine: String?
    public var error: String?
    public var renderStartedAt: Timestamp?
    public var finishedAt: Timestamp?
    /// The machines of its failed attempts (`Frame.failedOn`).
    public var failedOn: [String]

    /// The cause of its error in one line (`FailureCause`).
    public var cause: String? {
        error.flatMap(FailureCause.of)
    }

    public init(
        number: Int, status: FrameStatus, renderSeconds: Double?, attempts: Int, machineSeconds: Double, machine: String?,
        error: String?, renderStartedAt: Timestamp?, finishedAt: Timestamp?, failedOn: [String]
    ) {
        self.failedOn = failedOn
        self.number = number
        self.status = status
        self.renderSeconds = renderSeconds
        self.attempts = attempts
        self.machineSeconds = machineSeconds
        self.machine = machine
        self.error = error
        self.renderStartedAt = renderStartedAt
        self.finishedAt = finishedAt
    }

    public init(_ frame: Frame) {
        self.init(
            number: frame.number, status: frame.status, renderSeconds: frame.renderSeconds, attempts: frame.attempts,
            machineSeconds: frame.machineSeconds, machine: frame.machine, error: frame.errorMessage,
            renderStartedAt: frame.renderStartedAt, finishedAt: frame.finishedAt, failedOn: frame.failedOn)
    }
}
