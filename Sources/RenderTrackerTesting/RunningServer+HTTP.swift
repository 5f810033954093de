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

    /// One JSON-RPC 2.0 call; returns the whole response object (`result` or `error`).
    @discardableResult
    public func call(_ method: String, _ params: RPCValue...) async throws -> [String: RPCValue] {
        try await response(method, params)
    }

    /// One JSON-RPC 2.0 call's `result`; a JSON-RPC error is thrown.
    public func result(_ method: String, _ params: RPCValue...) async throws -> RPCValue {
        let response = try await response(method, params)
        if let error = response["error"] { throw UnexpectedHTTPAnswer(answer: HTTPAnswer(status: 200, contentType: nil, body: JSONWriter.string(error))) }
        return response["result"] ?? .null
    }

    /// `result` with the parameters as an array.
    public func result(_ method: String, params: [RPCValue]) async throws -> RPCValue {
        let response = try await response(method, params)
        if let error = response["error"] { throw UnexpectedHTTPAnswer(answer: HTTPAnswer(status: 200, contentType: nil, body: JSONWriter.string(error))) }
        return response["result"] ?? .null
    }

    private func response(_ method: String, _ params: [RPCValue]) async throws -> [String: RPCValue] {
        let request = RPCValue.structure(["jsonrpc": .string("2.0"), "method": .string(method), "params": .array(params), "id": .int(1)])
        let answer = try await post(body: JSONWriter.string(request))
        guard answer.status == 200, case .structure(let response) = try JSONReader.parse(Array(answer.body.utf8)) else {
            throw UnexpectedHTTPAnswer(answer: answer)
        }
        return response
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
