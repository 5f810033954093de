public import RPC

/// Everything clients can read of a tracker's projects, as one value, to compare two trackers
/// (the recorded daemon and its replay): project names, frames, each frame's log, job id and image
/// path, the event cursor, and the summary without the elapsed time (which depends on when it is asked).
public enum TrackerSnapshot {
    /// - Parameter logTimes: keep the times in frame logs and the project start (a replay in
    ///   virtual time reproduces them to the millisecond; a replay to a live tracker does not).
    public static func take(logTimes: Bool, _ call: (String, [RPCValue]) async throws -> RPCValue) async throws -> RPCValue {
        let projects = try await call("getAllProjects", [])
        guard case .array(let names) = projects else { return projects }
        var snapshot: [String: RPCValue] = ["projects": projects]
        for case .string(let name) in names {
            let project = RPCValue.string(name)
            let frames = try await call("getAllFramesInfo", [project])
            var details: [RPCValue] = []
            if case .array(let list) = frames {
                for case .array(let frame) in list {
                    var log = try await call("getFrameLog", [project, frame[0]])
                    if !logTimes, case .array(let lines) = log {
                        // "<ISO-8601 time> <what happened>": keep what happened.
                        log = .array(lines.map { line in
                            guard case .string(let text) = line, let space = text.firstIndex(of: " ") else { return line }
                            return .string(String(text[text.index(after: space)...]))
                        })
                    }
                    details.append(.array([
                        frame[0], log, try await call("getFrameJobID", [project, frame[0]]), try await call("getImagePath", [project, frame[0]]),
                    ]))
                }
            }
            var summary = try await call("getProjectSummary", [project])
            if case .structure(var fields) = summary {
                fields["elapsed_seconds"] = nil
                if !logTimes { fields["started"] = nil }
                summary = .structure(fields)
            }
            snapshot[name] = .structure([
                "frames": frames, "details": .array(details), "summary": summary,
                "changes": try await call("getChangedFrames", [project, .int(0)]),
            ])
        }
        return .structure(snapshot)
    }
}
