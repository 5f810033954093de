import Hummingbird
import NIOCore

/// Reads a request's whole body within `limit` bytes, before and after inflating gzip or
/// deflate (`Content-Encoding`), and hands the plain body on: a small compressed body must not
/// become a memory bomb, and handlers behind it never see an encoded or oversized body.
/// Too large is 413 with `Connection: close` (the server discards the unread rest without storing
/// it); an unknown encoding is 415; a body that does not inflate is 400.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let plain: Request
        do {
            var head = request.head
            var body = try await collect(request)
            if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
                guard ["gzip", "x-gzip", "deflate"].contains(encoding) else {
                    throw HTTPError(.unsupportedMediaType, message: "unsupported Content-Encoding \"\(encoding)\": send gzip, deflate or none")
                }
                body = try HTTPCompression.inflate(body, encoding: encoding, limit: limit)
                head.headerFields[.contentEncoding] = nil
            }
            plain = Request(head: head, body: RequestBody(buffer: body))
        } catch let error as HTTPError {
            context.logger.info("refused request", metadata: ["status": "\(error.status.code)", "reason": "\(error.body ?? "")"])
            throw error
        }
        return try await next(plain, context)
    }

    private func collect(_ request: Request) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError.tooLarge("request body of \(declared) bytes is over the \(limit)-byte limit")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPError.tooLarge("request body is over the \(limit)-byte limit")
        }
    }
}

extension HTTPError {
    /// A 413 that asks the client to close the connection.
    static func tooLarge(_ message: String) -> HTTPError {
        HTTPError(.contentTooLarge, headers: [.connection: "close"], message: message)
    }
}
