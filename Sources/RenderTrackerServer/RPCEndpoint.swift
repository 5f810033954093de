import Hummingbird
import Logging
import NIOCore
import XMLRPC

/// `POST /`, `/RPC2` and `/rpc`: reads the body within limits, inflates gzip, answers XML-RPC or
/// JSON-RPC (by Content-Type, or a body that starts with `{` or `[`), gzips large answers.
struct RPCEndpoint: Sendable {
    let dispatcher: RPCDispatcher
    let json: JSONRPCHandler
    let limits: RPCServerLimits
    let logger: Logger

    init(dispatcher: RPCDispatcher, limits: RPCServerLimits, logger: Logger) {
        self.dispatcher = dispatcher
        self.json = JSONRPCHandler(dispatcher: dispatcher, maxDepth: limits.maxDepth, logger: logger)
        self.limits = limits
        self.logger = logger
    }

    func respond(to request: Request, context: TrackerRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        defer { dispatcher.metrics?.requestDuration.record(ContinuousClock.now - start) }
        do {
            return try await answer(request, client: context.remoteAddress?.ipAddress)
        } catch let error as HTTPError {
            logger.info("refused request", metadata: ["status": "\(error.status.code)", "reason": "\(error.body ?? "")"])
            throw error
        }
    }

    /// - Parameter client: the peer's IP address, for the render log.
    private func answer(_ request: Request, client: String?) async throws -> Response {
        try refuseCrossSite(request)
        var body = try await collectBody(of: request)
        if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
            guard ["gzip", "x-gzip", "deflate"].contains(encoding) else {
                throw HTTPError(.unsupportedMediaType, message: "unsupported Content-Encoding \"\(encoding)\": send gzip, deflate or none")
            }
            body = try HTTPCompression.inflate(body, encoding: encoding, limit: limits.maxBodyBytes)
        }
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

    /// A web page on another site can make a visitor's browser POST a `text/plain` body here (no
    /// preflight asked), which would be taken as JSON-RPC: a write to the tracker from any website.
    /// Browsers name the page's site in `Origin`; farm scripts send none. So a request whose
    /// `Origin` is not this daemon's own address is refused. The monitor page, served from here,
    /// passes.
    private func refuseCrossSite(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        // `http://host:port` against the request's own `host:port`; "null" (a file, a sandbox) never matches.
        let originHost = origin.split(separator: "://", maxSplits: 1).last.map(String.init) ?? origin
        guard let authority = request.head.authority, originHost.lowercased() == authority.lowercased() else {
            throw HTTPError(
                .forbidden,
                message: "cross-site request refused: a page from \(origin) may not call this tracker (only pages it serves itself may)\n"
            )
        }
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
            logger.debug("refused request", metadata: ["fault": "\(fault.code)", "reason": "\(fault.message)"])
            dispatcher.metrics?.countRefusal(fault)
            return .fault(code: fault.code, message: fault.message)
        }
        switch dispatcher.call(request.methodName, request.params, client: client) {
        case .success(let value):
            return .success(value)
        case .failure(let fault):
            return .fault(code: fault.code, message: fault.message)
        }
    }

    private func collectBody(of request: Request) async throws -> ByteBuffer {
        let limit = limits.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw Self.tooLarge("request body of \(declared) bytes is over the \(limit)-byte limit")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge("request body is over the \(limit)-byte limit")
        }
    }

    /// A 413 that asks the client to close the connection; the server discards the unread rest of
    /// the body without storing it.
    static func tooLarge(_ message: String) -> HTTPError {
        HTTPError(.contentTooLarge, headers: [.connection: "close"], message: message)
    }

    private static func looksLikeJSON(_ body: ByteBuffer) -> Bool {
        body.withUnsafeReadableBytes { bytes in
            guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return false }
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        }
    }
}
