public import RenderTracker
import RPC

/// The reads monitors make, with their answers typed.
extension TrackerClient {
    /// Every project name, sorted.
    public func allProjects() async throws -> [String] {
        let answer = try await call("getAllProjects")
        guard case .array(let names) = answer else {
            throw UnexpectedAnswer(description: "getAllProjects answered \(answer.debugSummary), not an array")
        }
        return try names.map { name throws(UnexpectedAnswer) in
            guard case .string(let text) = name else { throw UnexpectedAnswer(description: "getAllProjects answered a name that is \(name.debugSummary)") }
            return text
        }
    }

    /// nil for a project the tracker does not know.
    public func projectSummary(_ project: String) async throws -> ProjectReport? {
        try ProjectReport(try await call("getProjectSummary", [.string(project)]))
    }

    public func allFramesInfo(_ project: String) async throws -> [FrameSnapshot] {
        try FrameSnapshot.list(try await call("getAllFramesInfo", [.string(project)]), what: "getAllFramesInfo")
    }

    public func changedFrames(_ project: String, since cursor: Int) async throws -> ChangedFrames {
        try ChangedFrames(answer: try await call("getChangedFrames", [.string(project), .int(cursor)]))
    }
}
