import Foundation
import RenderTrackerServer
import XMLRPC

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP to a running daemon from Swift, for the routes that are not RPC and for feeding it calls.
extension RunningServer {
    struct HTTPAnswer {
        var status: Int
        var contentType: String?
        var body: String
    }

    func get(_ path: String) async throws -> HTTPAnswer {
        try await send(path, method: "GET")
    }

    /// A request with no body.
    func send(_ path: String, method: String) async throws -> HTTPAnswer {
        var request = URLRequest(url: try endpoint(path))
        request.httpMethod = method
        return try await send(request)
    }

    func post(
        _ path: String = "/rpc", body: String, contentType: String = "application/json", headers: [String: String] = [:]
    ) async throws -> HTTPAnswer {
        var request = URLRequest(url: try endpoint(path))
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = Data(body.utf8)
        return try await send(request)
    }

    /// One JSON-RPC 2.0 call; returns the whole response object (`result` or `error`).
    @discardableResult
    func call(_ method: String, _ params: RPCValue...) async throws -> [String: RPCValue] {
        try await response(method, params)
    }

    /// One JSON-RPC 2.0 call's `result`; a JSON-RPC error is thrown.
    func result(_ method: String, _ params: RPCValue...) async throws -> RPCValue {
        let response = try await response(method, params)
        if let error = response["error"] { throw UnexpectedHTTPAnswer(answer: HTTPAnswer(status: 200, body: JSONWriter.string(error))) }
        return response["result"] ?? .null
    }

    /// `result` with the parameters as an array.
    func result(_ method: String, params: [RPCValue]) async throws -> RPCValue {
        let response = try await response(method, params)
        if let error = response["error"] { throw UnexpectedHTTPAnswer(answer: HTTPAnswer(status: 200, body: JSONWriter.string(error))) }
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
    func metrics() async throws -> PrometheusText {
        let answer = try await get("/metrics")
        guard answer.status == 200 else { throw UnexpectedHTTPAnswer(answer: answer) }
        return try PrometheusText(answer.body)
    }

    private func endpoint(_ path: String) throws -> URL {
        guard let url = URL(string: self.url + path) else { throw UnexpectedHTTPAnswer(answer: HTTPAnswer(status: 0, body: path)) }
        return url
    }

    private func send(_ request: URLRequest) async throws -> HTTPAnswer {
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return HTTPAnswer(
            status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"),
            body: String(decoding: data, as: UTF8.self))
    }

    struct UnexpectedHTTPAnswer: Error, CustomStringConvertible {
        var answer: HTTPAnswer
        var description: String { "HTTP \(answer.status): \(answer.body.prefix(500))" }
    }
}
