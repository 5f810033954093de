public import RenderLog
public import RenderTracker
public import RenderTrackerClient
public import RPC

/// A running tracker at a URL, sent XML-RPC as the farm sends it: one connection, kept alive,
/// calls one after another, waiting between them to keep the recorded rhythm (divided by the
/// speed) unless `fast`.
public final class LiveTarget: ReplayTarget {
    public let name: String
    private let client: TrackerClient
    private let fast: Bool
    private let began = ContinuousClock.now

    public init(url: String, fast: Bool) throws(TrackerClientError) {
        name = url
        client = try TrackerClient(url: url, encoding: .xmlRPC, timeoutSeconds: 60, maxConnections: 1)
        self.fast = fast
    }

    /// A live tracker cannot be restarted from here: it keeps its state (the summary counts restarts).
    public func restart() {}

    public func send(_ call: RecordedCall, time: Timestamp, offset: Double) async throws -> Result<RPCValue, RPCFault> {
        if !fast {
            let due = began + .milliseconds(Int64((offset * 1000).rounded()))
            if due > ContinuousClock.now {
                try await Task.sleep(until: due, clock: .continuous)
            }
        }
        return try await read(call.method, call.params)
    }

    public func read(_ method: String, _ params: [RPCValue]) async throws -> Result<RPCValue, RPCFault> {
        try await client.answer(method, params)
    }

    public func progress(of project: String) async throws -> (done: Int, total: Int)? {
        guard let summary = try? await client.projectSummary(project) else { return nil }
        return (summary.statusCounts[.done] ?? 0, summary.frameCount)
    }

    public func finish() async -> [String: Int] { [:] }
}
