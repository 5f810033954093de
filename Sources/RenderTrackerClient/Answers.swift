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
    public var lastProjectError: String?

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
        lastProjectError = try summary.optionalString("last_project_error")
    }
}

/// `[frame, status_index, fraction]`, as `getAllFramesInfo` and `getChangedFrames` send frames.
extension FrameSnapshot {
    public init(answer value: RPCValue) throws(UnexpectedAnswer) {
        guard case .array(let fields) = value, fields.count == 3, case .int(let number) = fields[0], case .int(let index) = fields[1],
            let status = FrameStatus(rawValue: index), let fraction = fields[2].number
        else {
            throw UnexpectedAnswer(description: "a frame is not [frame, status index, fraction]: \(value.debugSummary)")
        }
        self.init(number: number, status: status, fraction: fraction)
    }

    public static func list(_ value: RPCValue, what: String) throws(UnexpectedAnswer) -> [FrameSnapshot] {
        guard case .array(let frames) = value else {
            throw UnexpectedAnswer(description: "\(what) answered \(value.debugSummary), not an array of frames")
        }
        return try frames.map { frame throws(UnexpectedAnswer) in try FrameSnapshot(answer: frame) }
    }
}

/// The `getChangedFrames` answer.
extension ChangedFrames {
    public init(answer value: RPCValue) throws(UnexpectedAnswer) {
        let fields = try AnswerFields(value, what: "getChangedFrames")
        self.init(
            eventID: try fields.integer("event_id"), frames: try FrameSnapshot.list(fields.value("frames"), what: "getChangedFrames"),
            reset: try fields.bool("reset"))
    }
}

/// An answer without the members or types the command needs (a tracker of another version?).
public struct UnexpectedAnswer: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// The members of a struct answer, read with errors that name the member.
public struct AnswerFields {
    private let fields: [String: RPCValue]
    private let what: String

    init(_ value: RPCValue, what: String) throws(UnexpectedAnswer) {
        guard case .structure(let fields) = value else {
            throw UnexpectedAnswer(description: "\(what) answered \(value.debugSummary), not a struct")
        }
        self.fields = fields
        self.what = what
    }

    public func value(_ name: String) throws(UnexpectedAnswer) -> RPCValue {
        guard let value = fields[name] else { throw UnexpectedAnswer(description: "\(what) has no member \"\(name)\"") }
        return value
    }

    public func string(_ name: String) throws(UnexpectedAnswer) -> String {
        guard case .string(let text) = try value(name) else { throw wrongType(name, "a string") }
        return text
    }

    public func integer(_ name: String) throws(UnexpectedAnswer) -> Int {
        guard case .int(let number) = try value(name) else { throw wrongType(name, "an integer") }
        return number
    }

    public func bool(_ name: String) throws(UnexpectedAnswer) -> Bool {
        guard case .bool(let flag) = try value(name) else { throw wrongType(name, "a boolean") }
        return flag
    }

    public func number(_ name: String) throws(UnexpectedAnswer) -> Double {
        guard let number = try value(name).number else { throw wrongType(name, "a number") }
        return number
    }

    public func optionalNumber(_ name: String) throws(UnexpectedAnswer) -> Double? {
        let value = try value(name)
        if value == .null { return nil }
        guard let number = value.number else { throw wrongType(name, "a number or nil") }
        return number
    }

    public func optionalString(_ name: String) throws(UnexpectedAnswer) -> String? {
        switch try value(name) {
        case .null: return nil
        case .string(let text): return text
        default: throw wrongType(name, "a string or nil")
        }
    }

    private func wrongType(_ name: String, _ expected: String) -> UnexpectedAnswer {
        UnexpectedAnswer(description: "\(what)'s \"\(name)\" is \(fields[name]?.debugSummary ?? "missing"), not \(expected)")
    }
}
