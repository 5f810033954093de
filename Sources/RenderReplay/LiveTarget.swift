import Foundation
public import RenderTracker
public import RenderTrackerServer
public import XMLRPC

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running tracker at a URL, sent XML-RPC over HTTP POST as the farm sends it: one session
/// limited to one connection, kept alive, calls one after another, waiting between them to keep
/// the recorded rhythm (divided by the speed) unless `fast`.
public final class LiveTarget: ReplayTarget {
    public struct Unreachable: Error, CustomStringConvertible {
        public var description: String
    }

    public let name: String
    private let endpoint: URL
    private let session: URLSession
    private let fast: Bool
    private let began = ContinuousClock.now

    public init(url: String, fast: Bool) throws(Unreachable) {
        guard let endpoint = URL(string: url), endpoint.scheme == "http" || endpoint.scheme == "https" else {
            throw Unreachable(description: "not an http(s) URL: \(url)")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.timeoutIntervalForRequest = 60
        name = url
        self.endpoint = endpoint
        self.session = URLSession(configuration: configuration)
        self.fast = fast
    }

    deinit {
        session.finishTasksAndInvalidate()
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
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("text/xml", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(XMLRPCEncoder.encodeRequest(XMLRPCRequest(methodName: method, params: params)))
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw Unreachable(description: "cannot reach \(name): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw Unreachable(description: "\(name) answered HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        do {
            switch try XMLRPCDecoder.decodeResponse(Array(data)) {
            case .success(let value): return .success(value)
            case .fault(let code, let message): return .failure(RPCFault(code: code, message: message))
            }
        } catch {
            throw Unreachable(description: "\(name) answered something that is not XML-RPC: \(error.message)")
        }
    }

    public func progress(of project: String) async throws -> (done: Int, total: Int)? {
        guard case .success(let answer) = try await read("getProjectSummary", [.string(project)]),
            let summary = try? ProjectStatus(answer)
        else { return nil }
        return (summary.statusCounts["Done"] ?? 0, summary.frameCount)
    }

    public func finish() async -> [String: Int] { [:] }
}
