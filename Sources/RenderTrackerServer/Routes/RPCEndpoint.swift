import Hummingbird
import NIOCore
import NIOPosix
import RPC
import XMLRPC

/// `POST /`, `/RPC2` and `/rpc`: answers XML-RPC or JSON-RPC (by Content-Type, or a body that
/// starts with `{` or `[`) and gzips large answers for clients that accept gzip. The route
/// group's middleware has already checked the origin, read the body within limits and inflated it,
/// and decided what the request's methods may do (`context.grant`): each grant has its own
/// dispatcher, made once here, whose refused methods answer a fault naming the rule.
struct RPCEndpoint: Sendable {
    /// A dispatcher and the JSON-RPC handler on it.
    private struct Dispatch: Sendable {
        let dispatcher: RPCDispatcher
        let json: JSONRPCHandler

        func restricted(to grant: RPCGrant, limits: RPCServerLimits) -> Dispatch {
            let restricted = dispatcher.restricted(by: grant.refusal)
            return Dispatch(dispatcher: restricted, json: JSONRPCHandler(dispatcher: restricted, maxDepth: limits.maxDepth))
        }
    }

    private let dispatches: [RPCGrant: Dispatch]
    private let open: Dispatch
    let limits: RPCServerLimits
    /// Where calls run when they may block (a shared store's writes); nil runs them on the
    /// request's own task.
    let blocking: NIOThreadPool?

    /// - Parameters:
    ///   - grants: every grant the route group's middleware may decide besides `.everything`.
    ///   - blocking: threads for calls that block (`BlockingCallService`).
    init(dispatcher: RPCDispatcher, limits: RPCServerLimits, grants: [RPCGrant] = [], blocking: NIOThreadPool? = nil) {
        self.blocking = blocking
        let open = Dispatch(dispatcher: dispatcher, json: JSONRPCHandler(dispatcher: dispatcher, maxDepth: limits.maxDepth))
        self.open = open
        dispatches = Dictionary(grants.map { ($0, open.restricted(to: $0, limits: limits)) }) { first, _ in first }
        self.limits = limits
    }

    func respond(to request: Request, context: TrackerRequestContext) async throws -> Response {
        let client = context.client
        let dispatch = context.grant == .everything ? open : dispatches[context.grant] ?? open.restricted(to: context.grant, limits: limits)
        let (dispatcher, json) = (dispatch.dispatcher, dispatch.json)
        let body = try await request.body.collect(upTo: limits.maxBodyBytes)
        let isJSON = (request.headers[.contentType]?.lowercased().contains("json") ?? false) || Self.looksLikeJSON(body)
        let respond = { @Sendable () -> [UInt8]? in
            if isJSON {
                return body.withUnsafeReadableBytes { json.respond(to: $0, client: client) }
            }
            return XMLRPCEncoder.encodeResponse(body.withUnsafeReadableBytes { xmlRPC($0, client: client, dispatcher: dispatcher) })
        }
        let answered = if let blocking { try await blocking.runIfActive(respond) } else { respond() }
        guard let answer = answered else {
            return Response(status: .noContent)  // JSON-RPC notifications only: nothing to say
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
    private func xmlRPC(_ body: UnsafeRawBufferPointer, client: String?, dispatcher: RPCDispatcher) -> XMLRPCResponse {
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
