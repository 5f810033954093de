import Foundation
import RenderTrackerServer
import XMLRPC

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal JSON-RPC 2.0 client for the command line.
struct JSONRPCClient {
    struct TransportError: Error, CustomStringConvertible {
        var description: String
    }

    let url: String

    func call(_ method: String, _ params: [RPCValue]) async throws -> RPCValue {
        guard let endpoint = URL(string: url), endpoint.scheme == "http" || endpoint.scheme == "https" else {
            throw TransportError(description: "not an http(s) URL: \(url)")
        }
        var request = URLRequest(url: endpoint, timeoutInterval: 30)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = RPCValue.structure(["jsonrpc": .string("2.0"), "method": .string(method), "params": .array(params), "id": .int(1)])
        request.httpBody = Data(JSONWriter.write(body))
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw TransportError(description: "cannot reach \(url): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let text = String(decoding: data, as: UTF8.self)
        guard status == 200 else {
            throw TransportError(description: "\(url) answered HTTP \(status): \(text.prefix(500))")
        }
        guard case .structure(let answer) = try JSONReader.parse(Array(data)) else {
            throw TransportError(description: "\(url) answered something that is not a JSON-RPC response: \(text.prefix(500))")
        }
        if case .structure(let error)? = answer["error"] {
            throw Self.fault(code: error["code"], message: error["message"], answer: text)
        }
        return answer["result"] ?? .null
    }

    /// Several calls in one request (`system.multicall`), results in the order of the calls. A call
    /// that faulted throws its fault, named after its method.
    func multicall(_ calls: [(method: String, params: [RPCValue])]) async throws -> [RPCValue] {
        let entries = calls.map { RPCValue.structure(["methodName": .string($0.method), "params": .array($0.params)]) }
        guard case .array(let results) = try await call("system.multicall", [.array(entries)]), results.count == calls.count else {
            throw TransportError(description: "\(url) did not answer system.multicall with one result per call")
        }
        return try zip(calls, results).map { call, result in
            switch result {
            case .array(let values) where values.count == 1:
                return values[0]
            case .structure(let fault):
                let fault = Self.fault(code: fault["faultCode"], message: fault["faultString"], answer: result.debugSummary)
                throw RPCFault(code: fault.code, message: "\(call.method): \(fault.message)")
            default:
                throw TransportError(description: "\(url) answered \(call.method) in system.multicall with \(result.debugSummary)")
            }
        }
    }

    /// A fault from its code and message, as JSON-RPC errors and multicall faults carry them.
    private static func fault(code: RPCValue?, message: RPCValue?, answer: String) -> RPCFault {
        let code: Int = if case .int(let code)? = code { code } else { RPCFault.internalErrorCode }
        let message: String = if case .string(let message)? = message { message } else { answer }
        return RPCFault(code: code, message: message)
    }
}
