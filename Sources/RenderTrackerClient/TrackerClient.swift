public import RPC
import XMLRPC

/// A running tracker at a URL, called over XML-RPC (as HQueue's farm jobs call it) or JSON-RPC
/// (as the command line and web pages do). Every command-line command, the live replay and the
/// tests talk to a tracker through this.
///
/// Two ways to call: `answer` returns the fault as a value (a replay counts faults and goes on);
/// `call` throws it as an `RPCFault`. Both throw `TrackerClientError` when there is no answer.
public final class TrackerClient: Sendable {
    public enum Encoding: Sendable {
        case xmlRPC
        case jsonRPC
    }

    public let url: String
    public let encoding: Encoding
    private let transport: HTTPTransport

    /// - Parameters:
    ///   - url: the RPC endpoint, e.g. `http://127.0.0.1:5002/RPC2`.
    ///   - maxConnections: 1 sends calls one after another on one kept-alive connection.
    ///   - token: sent as `Authorization: Bearer TOKEN` with every request (the tracker's admin or
    ///     read token); nil sends none.
    public init(
        url: String, encoding: Encoding = .jsonRPC, timeoutSeconds: Double = 30, maxConnections: Int = 4, token: String? = nil
    ) throws(TrackerClientError) {
        self.url = url
        self.encoding = encoding
        transport = try HTTPTransport(url: url, timeoutSeconds: timeoutSeconds, maxConnections: maxConnections, token: token)
    }

    /// The method's result, or its fault; throws only when there is no answer.
    public func answer(_ method: String, _ params: [RPCValue]) async throws(TrackerClientError) -> Result<RPCValue, RPCFault> {
        switch encoding {
        case .xmlRPC:
            let body = XMLRPCEncoder.encodeRequest(XMLRPCRequest(methodName: method, params: params))
            let answer = try await post(body, contentType: "text/xml")
            do {
                switch try XMLRPCDecoder.decodeResponse(answer.body) {
                case .success(let value): return .success(value)
                case .fault(let code, let message): return .failure(RPCFault(code: code, message: message))
                }
            } catch {
                throw TrackerClientError(.malformed, "\(url) answered something that is not XML-RPC: \(error.message)")
            }
        case .jsonRPC:
            let request = RPCValue.structure(["jsonrpc": .string("2.0"), "method": .string(method), "params": .array(params), "id": .int(1)])
            let answer = try await post(JSONWriter.write(request), contentType: "application/json")
            guard case .structure(let response)? = try? JSONReader.parse(answer.body) else {
                throw TrackerClientError(.malformed, "\(url) answered something that is not a JSON-RPC response: \(answer.text.prefix(500))")
            }
            if case .structure(let error)? = response["error"] {
                return .failure(Self.fault(code: error["code"], message: error["message"], answer: answer.text))
            }
            return .success(response["result"] ?? .null)
        }
    }

    /// The method's result; a fault is thrown as an `RPCFault`.
    public func call(_ method: String, _ params: [RPCValue] = []) async throws -> RPCValue {
        try await answer(method, params).get()
    }

    /// Several calls in one request (`system.multicall`), each call's result or fault in order.
    public func multicall(_ calls: [(method: String, params: [RPCValue])]) async throws -> [Result<RPCValue, RPCFault>] {
        let entries = calls.map { RPCValue.structure(["methodName": .string($0.method), "params": .array($0.params)]) }
        guard case .array(let results) = try await call("system.multicall", [.array(entries)]), results.count == calls.count else {
            throw TrackerClientError(.malformed, "\(url) did not answer system.multicall with one result per call")
        }
        return try zip(calls, results).map { call, result throws(TrackerClientError) in
            switch result {
            case .array(let values) where values.count == 1:
                return .success(values[0])
            case .structure(let fault):
                let fault = Self.fault(code: fault["faultCode"], message: fault["faultString"], answer: result.debugSummary)
                return .failure(RPCFault(code: fault.code, message: "\(call.method): \(fault.message)"))
            default:
                throw TrackerClientError(.malformed, "\(url) answered \(call.method) in system.multicall with \(result.debugSummary)")
            }
        }
    }

    /// An HTTP answer as it came, for the routes that are not RPC.
    public struct HTTPAnswer: Sendable {
        public var status: Int
        public var contentType: String?
        public var body: String

        public init(status: Int, contentType: String?, body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// A plain HTTP request to a path of the same server (`/admin/plugins/reload`, `/metrics`).
    public func http(
        _ method: String, path: String, body: String? = nil, contentType: String? = nil, headers: [String: String] = [:]
    ) async throws(TrackerClientError) -> HTTPAnswer {
        let answer = try await transport.send(
            method: method, path: path, body: body.map { Array($0.utf8) }, contentType: contentType, headers: headers)
        return HTTPAnswer(status: answer.status, contentType: answer.contentType, body: answer.text)
    }

    private func post(_ body: [UInt8], contentType: String) async throws(TrackerClientError) -> HTTPTransport.Answer {
        let answer = try await transport.send(method: "POST", body: body, contentType: contentType)
        guard answer.status == 200 else {
            throw TrackerClientError(.httpStatus(answer.status), "\(url) answered HTTP \(answer.status): \(answer.text.prefix(500))")
        }
        return answer
    }

    /// A fault from its code and message, as JSON-RPC errors and multicall faults carry them.
    private static func fault(code: RPCValue?, message: RPCValue?, answer: String) -> RPCFault {
        let code: Int = if case .int(let code)? = code { code } else { RPCFault.internalErrorCode }
        let message: String = if case .string(let message)? = message { message } else { answer }
        return RPCFault(code: code, message: message)
    }
}
