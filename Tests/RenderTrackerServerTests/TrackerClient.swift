import Foundation
import RenderTrackerServer
import XMLRPC

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// JSON-RPC and plain HTTP against a running daemon, over real sockets.
struct TrackerClient {
    let baseURL: String

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    func call(_ method: String, _ params: RPCValue...) async throws -> RPCValue {
        let request = RPCValue.structure(["jsonrpc": .string("2.0"), "method": .string(method), "params": .array(params), "id": .int(1)])
        let (status, body) = try await send("POST", "/rpc", body: JSONWriter.string(request))
        guard status == 200, case .structure(let answer) = try JSONReader.parse(Array(body.utf8)) else {
            throw Failed(description: "\(method): HTTP \(status): \(body)")
        }
        if let error = answer["error"] { throw Failed(description: "\(method): \(JSONWriter.string(error))") }
        return answer["result"] ?? .null
    }

    func send(_ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, body: String) {
        guard let url = URL(string: baseURL + path) else { throw Failed(description: "bad URL \(baseURL + path)") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
