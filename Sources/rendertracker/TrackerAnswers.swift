import ArgumentParser
import RenderTracker
import RenderTrackerServer
import XMLRPC

/// One project as `getProjectSummary` describes it.
struct ProjectReport {
    var name: String
    var jobID: String
    var frameCount: Int
    var statusCounts: [FrameStatus: Int]
    var state: ProjectState
    var started: String
    var elapsedSeconds: Double
    var secondsLeft: Double?
    var lastProjectError: String?

    /// - Returns: nil for the tracker's nil (an unknown project).
    init?(_ value: RPCValue) throws(UnexpectedAnswer) {
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
struct FrameReport {
    var number: Int
    var status: FrameStatus
    var fraction: Double

    init(_ value: RPCValue) throws(UnexpectedAnswer) {
        guard case .array(let fields) = value, fields.count == 3, case .int(let number) = fields[0], case .int(let index) = fields[1],
            let status = FrameStatus(rawValue: index), let fraction = fields[2].number
        else {
            throw UnexpectedAnswer(description: "a frame is not [frame, status index, fraction]: \(value.debugSummary)")
        }
        self.number = number
        self.status = status
        self.fraction = fraction
    }

    static func list(_ value: RPCValue, what: String) throws(UnexpectedAnswer) -> [FrameReport] {
        guard case .array(let frames) = value else {
            throw UnexpectedAnswer(description: "\(what) answered \(value.debugSummary), not an array of frames")
        }
        return try frames.map { frame throws(UnexpectedAnswer) in try FrameReport(frame) }
    }
}

/// An answer without the members or types the command needs (a tracker of another version?).
struct UnexpectedAnswer: Error, CustomStringConvertible {
    var description: String
}

/// A project the tracker does not know: never started, removed, or lost in a restart.
struct NoSuchProject: Error, CustomStringConvertible {
    var project: String
    var description: String { "no such project: \"\(project)\" (rendertracker status lists the projects)" }
}

/// The members of a struct answer, read with errors that name the member.
struct AnswerFields {
    private let fields: [String: RPCValue]
    private let what: String

    init(_ value: RPCValue, what: String) throws(UnexpectedAnswer) {
        guard case .structure(let fields) = value else {
            throw UnexpectedAnswer(description: "\(what) answered \(value.debugSummary), not a struct")
        }
        self.fields = fields
        self.what = what
    }

    func value(_ name: String) throws(UnexpectedAnswer) -> RPCValue {
        guard let value = fields[name] else { throw UnexpectedAnswer(description: "\(what) has no member \"\(name)\"") }
        return value
    }

    func string(_ name: String) throws(UnexpectedAnswer) -> String {
        guard case .string(let text) = try value(name) else { throw wrongType(name, "a string") }
        return text
    }

    func integer(_ name: String) throws(UnexpectedAnswer) -> Int {
        guard case .int(let number) = try value(name) else { throw wrongType(name, "an integer") }
        return number
    }

    func bool(_ name: String) throws(UnexpectedAnswer) -> Bool {
        guard case .bool(let flag) = try value(name) else { throw wrongType(name, "a boolean") }
        return flag
    }

    func number(_ name: String) throws(UnexpectedAnswer) -> Double {
        guard let number = try value(name).number else { throw wrongType(name, "a number") }
        return number
    }

    func optionalNumber(_ name: String) throws(UnexpectedAnswer) -> Double? {
        let value = try value(name)
        if value == .null { return nil }
        guard let number = value.number else { throw wrongType(name, "a number or nil") }
        return number
    }

    func optionalString(_ name: String) throws(UnexpectedAnswer) -> String? {
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

extension RPCValue {
    /// A double, or an integer read as one (JSON writes 2.0 as 2.0, but a tracker need not).
    fileprivate var number: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}

/// Runs the body of a command that talks to a tracker; what goes wrong becomes one line on
/// standard error and the exit code the documentation promises: 1 for an unknown project, 2 when
/// there is no usable answer. A body that wants another code for a case throws its `ExitCode`.
func reportingTrackerErrors(_ command: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let unknown as NoSuchProject {
        printToStandardError("rendertracker \(command): \(unknown)")
        throw ExitCode(1)
    } catch let fault as RPCFault {
        printToStandardError("rendertracker \(command): the tracker refused: \(fault)")
        throw ExitCode(2)
    } catch {
        printToStandardError("rendertracker \(command): \(error)")
        throw ExitCode(2)
    }
}
