public import RenderTrackerClient
public import RPC

/// Plain HTTP to a running daemon from Swift, for the routes that are not RPC and for feeding it
/// calls, through the client library's transport.
extension RunningServer {
    public typealias HTTPAnswer = TrackerClient.HTTPAnswer

    /// A client for this daemon's RPC endpoint (`/RPC2`), XML-RPC or JSON-RPC.
    public func client(_ encoding: TrackerClient.Encoding = .jsonRPC) throws -> TrackerClient {
        try TrackerClient(url: url + "/RPC2", encoding: encoding)
    }

    public func get(_ path: String) async throws -> HTTPAnswer {
        try await send(path, method: "GET")
    }

    /// A request with no body.
    public func send(_ path: String, method: String) async throws -> HTTPAnswer {
        try await http.http(method, path: path)
    }

    public func post(
        _ path: String = "/rpc", body: String, contentType: String = "application/json", headers: [String: String] = [:]
    ) async throws -> HTTPAnswer {
        try await http.http("POST", path: path, body: body, contentType: contentType, headers: headers)
    }

    /// One JSON-RPC call through the client library: its result, or the fault it answered.
    @discardableResult
    public func call(_ method: String, _ params: RPCValue...) async throws -> Result<RPCValue, RPCFault> {
        try await http.answer(method, params)
    }

    /// One JSON-RPC call's result; a fault is thrown as an `RPCFault`.
    public func result(_ method: String, _ params: RPCValue...) async throws -> RPCValue {
        try await http.call(method, params)
    }

    /// `result` with the parameters as an array.
    public func result(_ method: String, params: [RPCValue]) async throws -> RPCValue {
        try await http.call(method, params)
    }

    /// `GET /metrics`, read by the strict parser.
    public func metrics() async throws -> PrometheusText {
        let answer = try await get("/metrics")
        guard answer.status == 200 else { throw UnexpectedHTTPAnswer(answer: answer) }
        return try PrometheusText(answer.body)
    }

    public struct UnexpectedHTTPAnswer: Error, CustomStringConvertible {
        public var answer: HTTPAnswer
        public var description: String { "HTTP \(answer.status): \(answer.body.prefix(500))" }
    }
}
