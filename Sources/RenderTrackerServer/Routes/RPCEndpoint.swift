import Hummingbird
import NIOCore
import RPC
import XMLRPC

/// `POST /`, `/RPC2` and `/rpc`: answers XML-RPC or JSON-RPC (by Content-Type, or a body that
/// starts with `{` or `[`) and gzips large answers for clients that accept gzip. The route
/// group's middleware has already checked the origin, read the body within limits and inflated it.
struct RPCEndpoint: Sendable {
    let dispatcher: RPCDispatcher
    let json: JSONRPCHandler
    let limits: RPCServerLimits

    init(dispatcher: RPCDispatcher, limits: RPCServerLimits) {
        self.dispatcher = dispatcher
        self.json = JSONRPCHandler(dispatcher: dispatcher, maxDepth: limits.maxDepth)
        self.limits = limits
    }

    func respond(to request: Request, context: TrackerRequestContext) async throws -> Response {
        let client = context.remoteAddress?.ipAddress
        let body = try await request.body.collect(upTo: limits.maxBodyBytes)
        let isJSON = (request.headers[.contentType]?.lowercased().contains("json") ?? false) || Self.looksLikeJSON(body)
        let answer: [UInt8]
        if isJSON {
            guard let bytes = body.withUnsafeReadableBytes({ json.respond(to: $0, client: client) }) else {
                return Response(status: .noContent)  // only notifications: nothing to say
            }
            answer = bytes
        } else {
            answer = XMLRPCEncoder.encodeResponse(body.withUnsafeReadableBytes { xmlRPC($0, client: client) })
        }
        var headers: HTTPFields = [.contentType: isJSON ? "application/json" : "text/xml; charset=utf-8"]
        let acceptsGzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") ?? false
        if acceptsGzip, answer.count >= limits.compressResponsesFromBytes {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: try HTTPCompression.gzip(answer)))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    /// One XML-RPC call; a request that cannot be decoded becomes a fault, as XML-RPC wants (HTTP 200).
    private func xmlRPC(_ body: UnsafeRawBufferPointer, client: String?) -> XMLRPCResponse {
        let request: XMLRPCRequest
        do {
            request = try XMLRPCDecoder.decodeRequest(body, limits: XMLRPCLimits(maxDepth: limits.maxDepth))
        } catch {
            let fault: RPCFault = error.kind == .invalidStructure
                ? .invalidRequest("invalid XML-RPC request: \(error.message)")
                : .parseError("XML parse error: \(error.message)")
            dispatcher.refused(fault)
            return .fault(code: fault.code, message: fault.message)
        }
        switch dispatcher.call(request.methodName, request.params, client: client) {
        case .success(let value):
            return .success(value)
        case .failure(let fault):
            return .fault(code: fault.code, message: fault.message)
        }
    }

    private static func looksLikeJSON(_ body: ByteBuffer) -> Bool {
        body.withUnsafeReadableBytes { bytes in
            guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return false }
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        }
    }
}
