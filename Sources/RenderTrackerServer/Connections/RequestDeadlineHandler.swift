import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not been read in full `limit` after its head arrived
/// (`serve --request-seconds`), with a log line. The idle timeout cannot do this: every piece of
/// a body restarts it, so a body trickled at 1 byte/s held its connection (and its share of the
/// body budget) for as long as the client liked.
///
/// A farm call's head and body arrive in one read, so the deadline is only scheduled for a request
/// still incomplete when a read ends: ordinary calls schedule no timer.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    private let logger: Logger
    /// The request being read: its method and path (for the log) and when its head arrived.
    private var reading: (request: String, since: NIODeadline)?
    private var deadline: Scheduled<Void>?

    init(limit: TimeAmount, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            reading = ("\(head.method) \(head.path?.prefix(100) ?? "")", .now())
        case .body:
            break
        case .end:
            reading = nil
            cancelDeadline()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let reading, deadline == nil {
            deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: reading.since + limit) { [self] in
                deadline = nil
                logger.info("closed connection: request not complete in time", metadata: [
                    "request": "\(reading.request)", "client": "\(context.channel.remoteAddress?.ipAddress ?? "unknown")",
                    "seconds": "\(limit.nanoseconds / 1_000_000_000)",
                ])
                context.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}
