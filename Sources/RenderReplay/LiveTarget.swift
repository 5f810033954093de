import Foundation
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

    /// The log being replayed and its size before the first call, until that call was checked
    /// for coming back into it (`ReplayRefusal.targetRecordsThisLog`).
    private var unchecked: (path: String, size: UInt64)?

    /// - Parameter path: the log being replayed, to find out whether the tracker records to it.
    public init(url: String, fast: Bool, replaying path: String? = nil) throws(TrackerClientError) {
        name = url
        client = try TrackerClient(url: url, encoding: .xmlRPC, timeoutSeconds: 60, maxConnections: 1)
        self.fast = fast
        unchecked = path.flatMap { path in Self.size(of: path).map { (path, $0) } }
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
        let result = try await read(call.method, call.params)
        if case .success = result, let (path, size) = unchecked {
            unchecked = nil
            try await checkNotRecorded(call, path: path, size: size)
        }
        return result
    }

    /// Throws `ReplayRefusal.targetRecordsThisLog` when `call` came back as a line appended to
    /// the log after `size`: the tracker records to it. A daemon writes its render log out at
    /// least every 100 ms, so the log is looked at for 500 ms. Lines other clients make the
    /// tracker record do not count: only this call's method and parameters.
    private func checkNotRecorded(_ call: RecordedCall, path: String, size: UInt64) async throws {
        var echo = Array(#""method":"#.utf8)
        JSONWriter.write(.string(call.method), into: &echo)
        echo += Array(#","params":"#.utf8)
        JSONWriter.write(.array(call.params), into: &echo)
        let needle = String(decoding: echo, as: UTF8.self)
        for _ in 0..<5 {
            try await Task.sleep(for: .milliseconds(100))
            guard let handle = FileHandle(forReadingAtPath: path) else { return }
            defer { try? handle.close() }
            try? handle.seek(toOffset: size)
            let appended = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
            if appended.contains(needle) {
                throw ReplayRefusal.targetRecordsThisLog(url: name, path: path)
            }
        }
    }

    private static func size(of path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
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
