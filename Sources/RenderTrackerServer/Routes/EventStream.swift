import Hummingbird
import Logging
import NIOCore
import NIOPosix
import RenderTrackerService
import RPC
import ServiceLifecycle
import Synchronization

/// `GET /events?project=NAME&cursor=N`: Server-Sent Events carrying `ChangeBatch`es, the push
/// form of polling `getChangedFrames` and `getProjectSummary`. A stream sends a batch as soon as
/// something changed, but at most one per `minimumInterval` (a busy farm's writes coalesce into
/// one batch), and a comment line after `heartbeatInterval` of silence so that proxies and the
/// browser keep the connection. A reconnecting `EventSource` sends `Last-Event-ID`, which takes
/// the place of `cursor`: the page resumes instead of reloading.
struct EventStream: Sendable {
    /// Its tracker, its change feed and its estimate seam (so the page shows the estimate
    /// `getProjectSummary` answers).
    let core: TrackerCore
    let logger: Logger
    /// With a store shared by several daemons: threads to wait on while this daemon catches up to
    /// a cursor another daemon gave out (`BlockingCallService`).
    var blocking: NIOThreadPool?
    private var feed: ChangeFeed { core.feed }

    static let minimumInterval: Duration = .milliseconds(250)
    static let heartbeatInterval: Duration = .seconds(15)
    /// Asked of a browser that lost the stream: reconnect after this many milliseconds.
    static let reconnectMilliseconds = 1000

    /// What a stream was asked for.
    struct Query: Equatable {
        var project: String?
        var cursor = 0

        /// Refuses (400) an unknown parameter or a malformed value, naming it. The query is read
        /// as a form (`+` is a space), as the monitor page's `URLSearchParams` writes it.
        init(_ request: Request) throws(HTTPError) {
            let parameters: FormQuery
            do {
                parameters = try FormQuery(request.uri.query.map { $0[...] } ?? "")
            } catch {
                throw HTTPError(.badRequest, message: error.message)
            }
            for (key, value) in parameters.pairs {
                switch key {
                case "project":
                    guard value.utf8.count <= RPCCall.maxProjectNameBytes else {
                        throw HTTPError(.badRequest, message: "project is \(value.utf8.count) bytes long; project names are limited to \(RPCCall.maxProjectNameBytes)")
                    }
                    project = value
                case "cursor":
                    cursor = try Self.integer(value[...], named: "cursor")
                default:
                    throw HTTPError(.badRequest, message: "unknown query parameter \"\(key.prefix(40))\": use project and cursor")
                }
            }
            // HTTPTypes has no name constant for this header; canonical names are lowercase.
            if let lastEventID = request.headers.first(where: { $0.name.canonicalName == "last-event-id" })?.value {
                cursor = try Self.integer(Substring(lastEventID), named: "Last-Event-ID")
            }
        }

        private static func integer(_ text: Substring, named name: String) throws(HTTPError) -> Int {
            guard let number = Int(text) else {
                throw HTTPError(.badRequest, message: "\(name) must be an integer event id, got \"\(text.prefix(40))\"")
            }
            return number
        }
    }

    /// A stream counts against its client's address (`ChangeFeed.maxStreamsPerClient`) and the
    /// daemon's (`maxStreams`), and gives its slot back as soon as the client closes the connection.
    func respond(to request: Request, context: TrackerRequestContext) throws -> Response {
        let query: Query
        do {
            query = try Query(request)
        } catch {
            logger.info("refused request", metadata: ["status": "\(error.status.code)", "reason": "\(error.body ?? "")"])
            throw error
        }
        let client = context.client ?? "unknown"
        if let refusal = feed.refusal(for: client) {
            logger.info("refused event stream", metadata: ["reason": "\(refusal)", "client": "\(client)"])
            // One client's own excess is 429; the daemon's being full or stopping is 503.
            throw HTTPError(refusal == .clientFull ? .tooManyRequests : .serviceUnavailable, headers: [.retryAfter: "5"], message: "\(refusal)")
        }
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8",
            .cacheControl: "no-store",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // The slot is taken here, not before, so that it is always given back.
            guard feed.openStream(for: client) else {
                try await writer.finish(nil)
                return
            }
            defer { feed.closeStream(for: client) }
            // The client closing its side of the connection (its page closed) ends the stream at
            // once, instead of at the next write that fails (up to two heartbeats, 30 s).
            let closed = ConnectionClosed()
            try await request.body.consumeWithInboundCloseHandler { _ in
                try await withGracefulShutdownHandler {
                    try await send(query, to: &writer, until: closed)
                } onGracefulShutdown: { [feed] in
                    feed.shutDown()
                }
            } onInboundClosed: { [feed] in
                closed.set()
                feed.wakeStreams()
            }
            try await writer.finish(nil)
        })
    }

    /// Writes batches until the server stops, the client goes away (its connection closed, or a
    /// write fails) or the task is cancelled. A batch with more summaries than
    /// `ChangeBatch.maxProjectsPerBatch` is sent in pages, one after the other; until the last,
    /// each page's id stays the cursor the paging started from, so a stream resumed from it misses
    /// nothing, and after the last the summaries are read again from the first page's moment,
    /// since projects of earlier pages may have changed meanwhile.
    private func send(_ query: Query, to writer: inout any ResponseBodyWriter, until closed: ConnectionClosed) async throws {
        // A cursor from another daemon on a shared store, ahead of this one (a monitor page
        // behind a load balancer that reconnected here with its Last-Event-ID): catch up first,
        // as `getChangedFrames` does, so the stream resumes with what changed after it instead of
        // starting over with everything.
        if let blocking, query.cursor > core.tracker.read({ $0.lastEventID }) {
            try await blocking.runIfActive { [tracker = core.tracker] in tracker.catchUp(toEventID: query.cursor) }
        }
        // Where a resumed stream would start, and what summaries are read after.
        var cursor = query.cursor
        var framesCursor = query.cursor
        // While summaries are paged: the last name sent and the event id of the first page.
        var paging: (after: String, firstPageEventID: Int)?
        var sentNames: [String]?
        var projectExisted: Bool?
        var prefix = Array("retry: \(Self.reconnectMilliseconds)\n".utf8)
        var lastWrite = ContinuousClock.now
        while !feed.isShutDown, !Task.isCancelled, !closed.isSet {
            let (version, batch) = core.tracker.read { tracker in
                (feed.version, ChangeBatch(
                    tracker: tracker, since: cursor, after: paging?.after, framesSince: framesCursor, following: query.project,
                    sentNames: sentNames, projectExisted: projectExisted, timeLeft: core.timeLeft))
            }
            framesCursor = batch.eventID
            projectExisted = batch.projectExists
            let readAgain = batch.morePast != nil || paging != nil
            if let last = batch.morePast {
                paging = (last, paging?.firstPageEventID ?? batch.eventID)
            } else {
                cursor = paging?.firstPageEventID ?? batch.eventID
                paging = nil
            }
            if !batch.isEmpty {
                sentNames = batch.projectNames ?? sentNames
                try await writer.write(ByteBuffer(bytes: prefix + Self.message(batch, id: cursor)))
                prefix = []
                lastWrite = .now
                // Coalesce: whatever arrives meanwhile goes into the next batch; pages go at once.
                if !readAgain {
                    try? await Task.sleep(for: Self.minimumInterval)
                }
            } else if ContinuousClock.now - lastWrite >= Self.heartbeatInterval {
                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                lastWrite = .now
            }
            if !readAgain {
                await waitForChange(after: version, orUntil: lastWrite + Self.heartbeatInterval)
            }
        }
    }

    /// The SSE message: `id: <id>` and one `data:` line of JSON (JSONWriter escapes line breaks,
    /// so the JSON is one line), whose `event_id` is `id` too: where a stream resumed from it
    /// starts. `more` says that more summaries follow at once. Made after the tracker's lock is
    /// released: a plugin estimator runs in `projects()`.
    static func message(_ batch: ChangeBatch, id: Int) -> [UInt8] {
        var fields: [String: RPCValue] = ["event_id": .int(id), "projects": .array(batch.projects())]
        fields["project_names"] = batch.projectNames.map { .array($0.map(RPCValue.string)) }
        fields["changes"] = batch.changes
        fields["more"] = batch.morePast.map { _ in .bool(true) }
        var output = Array("id: \(id)\ndata: ".utf8)
        JSONWriter.write(.structure(fields), into: &output)
        output.append(contentsOf: "\n\n".utf8)
        return output
    }

    /// Parks until the tracker changes, the heartbeat is due or the feed wakes the streams (a
    /// connection closed); an idle stream costs this wait.
    private func waitForChange(after version: Int, orUntil deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await feed.waitForChange(after: version) }
            group.addTask { try? await Task.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// Set when a stream's client closed its side of the connection; the stream reads it each time it
/// wakes.
final class ConnectionClosed: Sendable {
    private let closed = Atomic<Bool>(false)

    var isSet: Bool { closed.load(ordering: .acquiring) }

    func set() {
        closed.store(true, ordering: .releasing)
    }
}
