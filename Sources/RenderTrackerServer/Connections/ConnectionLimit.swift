import DequeModule
import Logging
import NIOCore
import NIOHTTPTypes
import Prometheus
import Synchronization

/// The daemon's open connections, at most `maximum` at once (`serve --max-connections`).
///
/// Past the limit a new connection takes the place of the connection idle longest (no request
/// being read or answered: a socket that never sent one, or a kept-alive connection between
/// calls), which is closed, as nginx does. Only when every connection is busy is the new one
/// refused (closed at once). Both are logged at most once per `logInterval`, with counts. So idle
/// sockets, however many, cannot lock a farm call out: before, 1,100 idle sockets at a 1,024-file
/// limit stopped all service and burned a core until they closed. Closing a kept-alive connection
/// between calls is what the idle timeout does too; Python's xmlrpc.client reconnects by itself.
///
/// Busy connections are bounded apart: a request by `RequestDeadlineHandler`, an event stream by
/// `ChangeFeed`'s limits.
final class ConnectionLimit: Sendable {
    let maximum: Int
    static let logInterval: Duration = .seconds(10)

    private let logger: Logger
    private let state = Mutex(State())
    private let refusals: Counter
    private let closedForRoom: Counter

    init(maximum: Int, logger: Logger, refusals: Counter, closedForRoom: Counter) {
        self.maximum = maximum
        self.logger = logger
        self.refusals = refusals
        self.closedForRoom = closedForRoom
    }

    /// Open connections now.
    var openCount: Int { state.withLock { $0.open } }

    private struct State {
        var open = 0
        /// Each idle connection, with the number of its current idle spell.
        var idle: [ObjectIdentifier: (channel: any Channel, spell: Int)] = [:]
        /// Idle spells in the order they began; one that is no longer its connection's current
        /// spell is stale and skipped. Keeps finding the longest idle O(1), amortised.
        var spells = Deque<(id: ObjectIdentifier, spell: Int)>()
        var nextSpell = 0
        /// What happened since the last log line.
        var closedForRoom = 0
        var refused = 0
        var lastLog: ContinuousClock.Instant?

        mutating func beginIdle(_ channel: any Channel) {
            let id = ObjectIdentifier(channel)
            nextSpell += 1
            idle[id] = (channel, nextSpell)
            spells.append((id, nextSpell))
            // Busy connections leave stale spells behind; drop them before they outnumber the live.
            if spells.count > 2 * idle.count + 64 {
                spells.removeAll { idle[$0.id]?.spell != $0.spell }
            }
        }

        mutating func takeLongestIdle() -> (any Channel)? {
            while let (id, spell) = spells.popFirst() {
                if let entry = idle[id], entry.spell == spell {
                    idle[id] = nil
                    return entry.channel
                }
            }
            return nil
        }

        /// The counts to log, if a line is due.
        mutating func logDue(now: ContinuousClock.Instant) -> (closedForRoom: Int, refused: Int)? {
            guard lastLog.map({ now - $0 >= ConnectionLimit.logInterval }) ?? true else { return nil }
            defer { (closedForRoom, refused, lastLog) = (0, 0, now) }
            return (closedForRoom, refused)
        }
    }

    /// Counts a new connection in, closing the longest-idle one to make room at the limit; false
    /// when every connection is busy and this one must be closed.
    func admit(_ channel: any Channel) -> Bool {
        let (admitted, evicted, logCounts) = state.withLock { state -> (Bool, (any Channel)?, (closedForRoom: Int, refused: Int)?) in
            var evicted: (any Channel)?
            if state.open >= maximum {
                guard let longestIdle = state.takeLongestIdle() else {
                    state.refused += 1
                    return (false, nil, state.logDue(now: .now))
                }
                state.closedForRoom += 1
                evicted = longestIdle
            }
            state.open += 1
            state.beginIdle(channel)
            return (true, evicted, evicted == nil ? nil : state.logDue(now: .now))
        }
        if let evicted {
            closedForRoom.increment()
            evicted.close(promise: nil)
        } else if !admitted {
            refusals.increment()
        }
        if let logCounts {
            logger.notice("at the connection limit", metadata: [
                "maximum": "\(maximum)", "closedIdle": "\(logCounts.closedForRoom)", "refused": "\(logCounts.refused)",
                "interval": "\(Self.logInterval)",
            ])
        }
        return admitted
    }

    func beginRequest(on channel: any Channel) {
        state.withLock { _ = $0.idle.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func endRequests(on channel: any Channel) {
        state.withLock { $0.beginIdle(channel) }
    }

    func closed(_ channel: any Channel) {
        state.withLock { state in
            state.open -= 1
            state.idle[ObjectIdentifier(channel)] = nil
        }
    }
}

/// Tells a `ConnectionLimit` of its connection: opened, busy from a request's head until its
/// answer has been written, idle again, closed.
final class ConnectionLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limit: ConnectionLimit
    private var counted = false
    /// Requests whose answer has not been written yet (HTTP/1.1 pipelining allows several).
    private var requestsInProgress = 0

    init(limit: ConnectionLimit) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            admit(context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = limit.admit(context.channel)
        if !counted {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data), counted {
            requestsInProgress += 1
            if requestsInProgress == 1 {
                limit.beginRequest(on: context.channel)
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), counted, requestsInProgress > 0 {
            requestsInProgress -= 1
            if requestsInProgress == 0 {
                limit.endRequests(on: context.channel)
            }
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted {
            counted = false
            limit.closed(context.channel)
        }
        context.fireChannelInactive()
    }
}
