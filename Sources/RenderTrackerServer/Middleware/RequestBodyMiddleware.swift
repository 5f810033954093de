import Hummingbird
import NIOCore

/// Reads a request's whole body within `limit` bytes, before and after inflating gzip or
/// deflate (`Content-Encoding`), and hands the plain body on: a small compressed body must not
/// become a memory bomb, and handlers behind it never see an encoded or oversized body.
/// Too large is 413 with `Connection: close` (the server discards the unread rest without storing
/// it); an unknown encoding is 415; a body that does not inflate is 400.
///
/// Every byte buffered, and an inflated body again, is taken from the daemon's `BodyBudget` and
/// given back when the request has been answered (or failed): a body that does not fit is 503 with
/// `Retry-After` and `Connection: close`. Inflation produces the whole body before its size is
/// taken, but it runs on a cooperative thread without suspending, so at most one body per core
/// (32 MiB each) is being inflated beyond the budget at any moment.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let budget: BodyBudget

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let hold = budget.hold()
        defer { hold.release() }
        let plain: Request
        do {
            var head = request.head
            var body = try await collect(request, into: hold)
            if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
                guard ["gzip", "x-gzip", "deflate"].contains(encoding) else {
                    throw HTTPError(.unsupportedMediaType, message: "unsupported Content-Encoding \"\(encoding)\": send gzip, deflate or none")
                }
                body = try HTTPCompression.inflate(body, encoding: encoding, limit: limit)
                try hold.take(body.readableBytes)
                head.headerFields[.contentEncoding] = nil
            }
            plain = Request(head: head, body: RequestBody(buffer: body))
        } catch let error as HTTPError {
            context.logger.info("refused request", metadata: ["status": "\(error.status.code)", "reason": "\(error.body ?? "")"])
            throw error
        }
        return try await next(plain, context)
    }

    /// The whole body, each piece taken from the budget as it arrives.
    private func collect(_ request: Request, into hold: BodyHold) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError.tooLarge("request body of \(declared) bytes is over the \(limit)-byte limit")
        }
        do {
            return try await request.body.map { piece in
                try hold.take(piece.readableBytes)
                return piece
            }.collect(upTo: limit)
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
