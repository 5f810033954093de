/// One frame of a project and everything known about it.
public struct Frame: Sendable {
    public let number: Int
    public internal(set) var status: FrameStatus = .waiting
    public internal(set) var renderFraction: Double = 0
    public internal(set) var downloadFraction: Double = 0
    public internal(set) var jobID: String
    public internal(set) var imagePath: String?
    public internal(set) var errorMessage: String?
    /// The id of the last event that changed this frame (the `getChangedFrames` cursor compares against it).
    public internal(set) var eventID: Int
    public internal(set) var log = FrameLog()
    /// When the frame last entered Rendering, and whether that was seen from the start of the
    /// render (so its duration is a fair sample for the estimate).
    public internal(set) var renderStartedAt: Timestamp?
    public internal(set) var renderSeenFromStart = false
    public internal(set) var downloadStartedAt: Timestamp?
    public internal(set) var finishedAt: Timestamp?
    /// The last time the frame reported progress of any kind.
    public internal(set) var lastProgressAt: Timestamp?
    /// The client address (the farm machine) that started the frame's latest render.
    public internal(set) var machine: String?
    /// Renders started on this frame: 1 for a frame that rendered once, more after retries and reruns.
    public internal(set) var attempts = 0
    /// How long the render that finished took (start to Done or to Downloading); nil until one finished.
    public internal(set) var renderSeconds: Double?
    /// Machine time spent rendering this frame over every attempt, failed and lost ones included.
    public internal(set) var machineSeconds = 0.0
    /// The machines of its failed attempts, oldest first, the newest `maxFailuresKept`: a flaky
    /// node whose frames were retried elsewhere still shows in the render report.
    public internal(set) var failedOn: [String] = []
    public static let maxFailuresKept = 16

    // Links of the project's recency list (slots, -1 for none): newest changes at one end.
    var newer: Int32 = -1
    var older: Int32 = -1

    init(number: Int, jobID: String, eventID: Int) {
        self.number = number
        self.jobID = jobID
        self.eventID = eventID
    }

    /// A frame as a store kept it, to rebuild its project after a restart: every field a client
    /// can see and the estimate and render report use. The project's recency links are not taken:
    /// `Project.init(restoring:frames:)` rebuilds them from the event ids.
    public init(
        number: Int, status: FrameStatus, renderFraction: Double, downloadFraction: Double, jobID: String, imagePath: String?,
        errorMessage: String?, eventID: Int, log: FrameLog, renderStartedAt: Timestamp?, renderSeenFromStart: Bool,
        downloadStartedAt: Timestamp?, finishedAt: Timestamp?, lastProgressAt: Timestamp?, machine: String?, attempts: Int,
        renderSeconds: Double?, machineSeconds: Double, failedOn: [String]
    ) {
        self.failedOn = failedOn
        self.number = number
        self.status = status
        self.renderFraction = renderFraction
        self.downloadFraction = downloadFraction
        self.jobID = jobID
        self.imagePath = imagePath
        self.errorMessage = errorMessage
        self.eventID = eventID
        self.log = log
        self.renderStartedAt = renderStartedAt
        self.renderSeenFromStart = renderSeenFromStart
        self.downloadStartedAt = downloadStartedAt
        self.finishedAt = finishedAt
        self.lastProgressAt = lastProgressAt
        self.machine = machine
        self.attempts = attempts
        self.renderSeconds = renderSeconds
        self.machineSeconds = machineSeconds
    }

    /// The fraction of the current phase: render while Rendering, download while Downloading,
    /// 1 when Done, 0 otherwise.
    public var fraction: Double {
        switch status {
        case .rendering: renderFraction
        case .downloading: downloadFraction
        case .done: 1
        default: 0
        }
    }

    /// The log as `<ISO-8601 time> <what happened>` lines, oldest first, after a note of how many
    /// older entries were dropped to stay within the limit.
    public var logLines: [String] {
        let lines = log.entries.map(\.line)
        return log.droppedCount > 0 ? ["[\(log.droppedCount) earlier entries dropped]"] + lines : lines
    }

    /// The cause of its error in one line (`FailureCause`); nil unless it has an error message.
    public var failureCause: String? {
        errorMessage.flatMap(FailureCause.of)
    }

    public var snapshot: FrameSnapshot {
        FrameSnapshot(number: number, status: status, fraction: fraction)
    }
}

/// The three things a monitor polls per frame: `[frame, status_index, fraction]` on the wire.
public struct FrameSnapshot: Sendable, Equatable {
    public var number: Int
    public var status: FrameStatus
    public var fraction: Double

    public init(number: Int, status: FrameStatus, fraction: Double) {
        self.number = number
        self.status = status
        self.fraction = fraction
    }
}
