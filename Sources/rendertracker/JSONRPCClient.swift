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
            let code: Int = if case .int(let code)? = error["code"] { code } else { RPCFault.internalErrorCode }
            let message: String = if case .string(let message)? = error["message"] { message } else { text }
            throw RPCFault(code: code, message: message)
        }
        return answer["result"] ?? .null
    }
}
