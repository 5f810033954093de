public import XMLRPC

/// What a replay needs of a `getProjectSummary` answer (the wire form `RenderTrackerMethods`
/// writes), read the same way from an in-process tracker and a live one.
public struct ProjectStatus: Sendable, Equatable {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public var name: String
    public var state: String
    public var frameCount: Int
    /// Frames per status name ("Waiting", ..., "Error").
    public var statusCounts: [String: Int]
    public var elapsedSeconds: Double
    public var secondsLeft: Double?

    public init(_ answer: RPCValue) throws(Malformed) {
        guard case .structure(let fields) = answer,
            case .string(let name)? = fields["project"], case .string(let state)? = fields["state"],
            case .int(let frameCount)? = fields["frame_count"], case .structure(let counts)? = fields["status_counts"],
            let elapsed = fields["elapsed_seconds"]?.seconds
        else {
            throw Malformed(description: "getProjectSummary answered \(answer.debugSummary)")
        }
        self.name = name
        self.state = state
        self.frameCount = frameCount
        statusCounts = counts.compactMapValues { if case .int(let count) = $0 { count } else { nil } }
        elapsedSeconds = elapsed
        secondsLeft = fields["seconds_left"]?.seconds
    }
}

extension RPCValue {
    fileprivate var seconds: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}
