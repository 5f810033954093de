import Dispatch
import Foundation
import Logging
import NIOCore
import PostgresNIO
import RenderLog
import RenderTracker
import RenderTrackerService
import StoreCoding
import Synchronization

/// The order of writes across the daemons on one PostgreSQL database (a `WriteSequencer`).
///
/// A write a client sends this daemon waits in `commit` while one thread of the store's own
/// puts it in the shared log with every write that queued meanwhile (one statement per batch:
/// group commit) and then applies, in log order, every write up to and including them: other
/// daemons' first, then this batch. So every daemon applies the same writes in the same order,
/// at the times they were taken, and gives out the same event ids: one cursor works on any
/// daemon. Other daemons' writes arrive the same way between batches, woken by LISTEN/NOTIFY or
/// found by a poll every half second (a lost notice only delays them).
///
/// When the database does not answer within `commitTimeout`, this daemon serves alone: each
/// write is applied here at once, answered, and kept. Once the database answers again, the kept
/// writes are shipped to the log (`origins` says which got there already, so none goes twice) and
/// the daemon takes the shared state again from the database (`SharedTracker.replaceState`).
final class SharedWriteOrder: WriteSequencer, Sendable {
    /// This process among the daemons: host, process id and a random part (a restarted daemon is
    /// a new origin).
    let origin: String
    let commitTimeout: Double
    /// Writes kept while serving alone, at most; past it the oldest are dropped and counted lost.
    static let maxAloneWrites = 1_000_000
    /// Writes taken from the queue and put in the log in one statement, at most.
    static let maxBatch = 2_000

    private let link: PostgresLink
    private let flushLink: PostgresLink
    /// For loading the whole shared state, which takes longer than a write may wait.
    private let loadLink: PostgresLink
    private let load: @Sendable (PostgresLink.Session) throws -> SharedState
    private let installed: @Sendable (SharedState) -> Void
    private let logger: Logger
    private let tracker = Mutex<SharedTracker?>(nil)
    private let state = Mutex(State())
    /// Held while applying anything to the tracker and while changing between serving with the
    /// others and alone, so that no write is applied twice or lost across the change.
    private let applying = Mutex(())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// The state as the database holds it, loaded at start and after serving alone.
    struct SharedState: Sendable {
        var restored: RestoredState
        var position: Int
    }

    private struct Kept: Sendable {
        var sequence: Int64
        var time: Timestamp
        var client: String?
        var command: TrackerCommand
    }

    private enum Mode {
        case shared
        case alone(since: ContinuousClock.Instant)
    }

    private struct State {
        var queue: [Ticket] = []
        var nextSequence: Int64 = 0
        var appliedPosition = 0
        var mode = Mode.shared
        var kept: [Kept] = []
        var lostWrites = 0
        var problem: String?
        var lastAttempt = ContinuousClock.now
        var running = true
        /// Rounds of the thread's loop, for a read waiting for one whole round.
        var rounds = 0
        var isAlone: Bool { if case .alone = mode { true } else { false } }
    }

    /// One write waiting for its place.
    private final class Ticket: Sendable {
        let kept: Kept
        let call: RecordedCall?
        let done = DispatchSemaphore(value: 0)
        /// Set once: the outcome, or nil with `abandoned` when the caller stopped waiting.
        let result = Mutex<(outcome: TrackerOutcome?, abandoned: Bool)>((nil, false))

        init(_ kept: Kept, call: RecordedCall?) {
            self.kept = kept
            self.call = call
        }

        /// False when the caller gave up first (it applied the write alone).
        func resolve(_ outcome: TrackerOutcome) -> Bool {
            let taken = result.withLock { result -> Bool in
                guard !result.abandoned, result.outcome == nil else { return false }
                result.outcome = outcome
                return true
            }
            if taken { done.signal() }
            return taken
        }

        var isAbandoned: Bool { result.withLock { $0.abandoned } }
    }

    init(
        link: PostgresLink, flushLink: PostgresLink, loadLink: PostgresLink, commitTimeout: Double, logger: Logger,
        load: @escaping @Sendable (PostgresLink.Session) throws -> SharedState, installed: @escaping @Sendable (SharedState) -> Void
    ) {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        origin = "\(name)/\(getpid())/\(UInt32.random(in: 0...UInt32.max))"
        self.link = link
        self.flushLink = flushLink
        self.loadLink = loadLink
        self.commitTimeout = commitTimeout
        self.logger = logger
        self.load = load
        self.installed = installed
    }

    /// The log position the restored state stands at; called before `attach`.
    func start(at position: Int) {
        state.withLock { $0.appliedPosition = position }
    }

    func attach(_ tracker: SharedTracker) {
        self.tracker.withLock { $0 = tracker }
        let thread = Thread { [self] in run() }
        thread.name = "rendertracker-shared-order"
        thread.start()
    }

    /// Stops the thread after the batch in hand.
    func stop() {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            return state.running
        }
        guard wasRunning, self.tracker.withLock({ $0 }) != nil else { return }
        wake.signal()
        stopped.wait()
    }

    /// Wakes the thread: another daemon wrote (NOTIFY).
    func nudge() {
        wake.signal()
    }

    var appliedPosition: Int { state.withLock { $0.appliedPosition } }
    var isServingAlone: Bool { state.withLock { $0.isAlone } }
    var health: (problem: String?, waiting: Int, lost: Int) {
        state.withLock { ($0.problem, $0.kept.count + $0.queue.count, $0.lostWrites) }
    }

    // MARK: - WriteSequencer

    func commit(_ command: TrackerCommand, call: RecordedCall?, at time: Timestamp) -> TrackerOutcome {
        let (ticket, queued) = state.withLock { state -> (Ticket, Bool) in
            state.nextSequence += 1
            let ticket = Ticket(Kept(sequence: state.nextSequence, time: time, client: call?.client, command: command), call: call)
            guard !state.isAlone else { return (ticket, false) }
            state.queue.append(ticket)
            return (ticket, true)
        }
        guard queued else { return applyAlone(ticket) }
        wake.signal()
        if ticket.done.wait(timeout: .now() + commitTimeout) == .success, let outcome = ticket.result.withLock({ $0.outcome }) {
            return outcome
        }
        return giveUp(ticket)
    }

    func catchUp() {
        // The thread applies what is new; a read waits for one whole round of it started after
        // the read came (two rounds from now), at most a second.
        let target = state.withLock { $0.rounds + 2 }
        wake.signal()
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline, state.withLock({ $0.rounds < target && !$0.isAlone }) {
            wake.signal()
            usleep(1_000)
        }
    }

    // MARK: - Serving alone

    /// A write while the database is out of reach: applied here and kept for shipping.
    private func applyAlone(_ ticket: Ticket) -> TrackerOutcome {
        applying.withLock { _ in
            // The database came back between the check and the lock: take the shared way.
            state.withLock { $0.isAlone } ? serveAlone(ticket) : nil
        } ?? commit(ticket.kept.command, call: ticket.call, at: ticket.kept.time)
    }

    private func keep(_ write: Kept, in state: inout State) {
        state.kept.append(write)
        if state.kept.count > Self.maxAloneWrites {
            state.lostWrites += state.kept.count - Self.maxAloneWrites
            state.kept.removeFirst(state.kept.count - Self.maxAloneWrites)
        }
    }

    /// The caller waited `commitTimeout` for its write: serve alone from now on.
    private func giveUp(_ ticket: Ticket) -> TrackerOutcome {
        applying.withLock { _ in
            if let outcome = ticket.result.withLock({ result -> TrackerOutcome? in
                if result.outcome == nil { result.abandoned = true }
                return result.outcome
            }) {
                return outcome
            }
            goAlone(because: "the database did not answer within \(commitTimeout) s")
            return serveAlone(ticket)
        }
    }

    /// Inside `applying`: from now on writes are applied here and kept. Writes still queued are
    /// applied alone now rather than after their callers' timeouts.
    private func goAlone(because problem: String) {
        let (queued, wasShared) = state.withLock { state -> ([Ticket], Bool) in
            let wasShared = !state.isAlone
            if wasShared {
                state.mode = .alone(since: .now)
                state.lastAttempt = .now
                logger.error("the shared store is out of reach: this daemon serves alone, calls still succeed", metadata: [
                    "problem": "\(problem)"
                ])
            }
            state.problem = problem
            defer { state.queue.removeAll() }
            return (state.queue, wasShared)
        }
        if wasShared {
            tracker.withLock { $0 }?.setAsideEventIDs()
        }
        for ticket in queued where !ticket.isAbandoned {
            _ = ticket.resolve(serveAlone(ticket))
        }
    }

    /// Inside `applying`, serving alone: keeps the write for shipping and applies it here.
    private func serveAlone(_ ticket: Ticket) -> TrackerOutcome {
        state.withLock { state in keep(ticket.kept, in: &state) }
        return apply(alone: ticket)
    }

    private func apply(alone ticket: Ticket) -> TrackerOutcome {
        guard let tracker = tracker.withLock({ $0 }) else { return TrackerOutcome(lastEventID: 0, time: ticket.kept.time) }
        return tracker.applyAlone(ticket.kept.command, call: ticket.call, at: ticket.kept.time)
    }

    // MARK: - The thread

    private func run() {
        defer { stopped.signal() }
        while state.withLock({ $0.running }) {
            _ = wake.wait(timeout: .now() + .milliseconds(500))
            let (alone, due, batch) = state.withLock { state -> (Bool, Bool, [Ticket]) in
                if state.isAlone {
                    let due = state.lastAttempt.duration(to: .now) >= .seconds(1)
                    if due { state.lastAttempt = .now }
                    return (true, due, [])
                }
                let batch = Array(state.queue.prefix(Self.maxBatch))
                state.queue.removeFirst(batch.count)
                return (false, false, batch)
            }
            defer { state.withLock { $0.rounds += 1 } }
            if alone {
                if due { rejoin() }
                continue
            }
            do {
                if batch.isEmpty {
                    try applyNew(before: nil)
                } else {
                    try append(batch)
                }
            } catch let gap as LogGap {
                resolveAfterReload(batch, because: gap)
            } catch {
                applying.withLock { _ in
                    goAlone(because: PostgresLink.describe(error))
                    // The statement's fate is unknown: kept as well, `origins` tells at shipping.
                    for ticket in batch where !ticket.isAbandoned {
                        _ = ticket.resolve(serveAlone(ticket))
                    }
                }
            }
        }
    }

    /// A write in the log this build cannot read: a newer rendertracker on the same database.
    private struct UnreadableWrite: Error, CustomStringConvertible {
        var position: Int
        var description: String {
            "the shared log holds a write this rendertracker cannot read (position \(position)): "
                + "a newer rendertracker shares the database; upgrade this daemon"
        }
    }

    /// The append statement returned no row (it always returns one).
    private struct NoPosition: Error {}

    /// Entries this daemon needs are gone from the log (pruned while it lagged far behind).
    private struct LogGap: Error {
        var expected: Int
        var found: Int?
    }

    /// Puts `batch` in the log, waits until it is durable, applies the log up to it, then the
    /// batch itself.
    private func append(_ batch: [Ticket]) throws {
        let end = try link.withConnection { session in
            try Self.append(batch.map(\.kept), origin: origin, in: session)
        }
        let start = end - batch.count + 1
        // The log restarted below what this daemon applied (the database crashed before its last
        // commits reached the disk, or was restored from a backup): take its state again.
        if start <= appliedPosition { throw LogGap(expected: appliedPosition + 1, found: start) }
        // Durable before anyone is answered; the flush overlaps fetching and applying.
        let flushed = try flushLink.send(Self.flushQuery)
        try applyNew(before: start)
        try flushed.wait()
        applying.withLock { _ in
            guard let tracker = tracker.withLock({ $0 }) else { return }
            if state.withLock({ $0.isAlone }) {
                // Committed, but this daemon went alone meanwhile: the shared state comes back
                // with the next reload; the callers still waiting are answered from here.
                for ticket in batch where !ticket.isAbandoned {
                    _ = ticket.resolve(apply(alone: ticket))
                }
                return
            }
            for (offset, ticket) in batch.enumerated() {
                let kept = ticket.kept
                let outcome = tracker.applyInOrder(
                    kept.command, client: kept.client, call: ticket.call, at: kept.time, origin: .here, position: start + offset)
                _ = ticket.resolve(outcome)
            }
            state.withLock { $0.appliedPosition = end }
        }
    }

    /// One statement: takes `writes.count` positions from `log_head` (its row lock held to the
    /// commit), inserts the writes there, notes the last one this origin shipped, and notifies
    /// the other daemons. Returns the last position taken.
    private static func append(_ writes: [Kept], origin: String, in session: PostgresLink.Session) throws -> Int {
        let count = writes.count
        let sequences = writes.map(\.sequence)
        let times = writes.map(\.time.secondsSince1970)
        let clients = writes.map { $0.client ?? "" }
        let commands = writes.map { write in
            var writer = ByteWriter()
            CommandCoding.encode(write.command, into: &writer)
            return ByteBuffer(bytes: writer.bytes)
        }
        let last = sequences.max() ?? 0
        let rows = try session.query("""
            WITH head AS (
                UPDATE rendertracker.log_head SET position = position + \(count) RETURNING position
            ), entries AS (
                INSERT INTO rendertracker.log (position, origin, origin_sequence, taken_at, client, command)
                SELECT head.position - \(count) + e.n, \(origin), e.sequence, e.taken_at, NULLIF(e.client, ''), e.command
                FROM head, unnest(\(sequences)::bigint[], \(times)::float8[], \(clients)::text[], \(commands)::bytea[])
                    WITH ORDINALITY AS e(sequence, taken_at, client, command, n)
            ), shipped AS (
                INSERT INTO rendertracker.origins (origin, last_sequence, seen_at) VALUES (\(origin), \(last), now())
                ON CONFLICT (origin) DO UPDATE
                    SET last_sequence = GREATEST(rendertracker.origins.last_sequence, excluded.last_sequence), seen_at = now()
            )
            SELECT position, pg_notify(\(PostgresStore.channel), \(origin))::text FROM head
            """)
        guard let row = rows.first(where: { _ in true }) else { throw NoPosition() }
        return try row.decode(Int.self)
    }

    /// Applies the log's writes after this daemon's position (before `limit`, when given).
    /// - Throws: `LogGap` when writes this daemon needs were pruned; a database error.
    private func applyNew(before limit: Int?) throws {
        while true {
            let from = appliedPosition
            if let limit, from >= limit - 1 { return }
            let bound = limit.map { " AND position < \($0)" } ?? ""
            let rows = try link.withConnection { session in
                try session.query(PostgresQuery(unsafeSQL: """
                    SELECT position, origin, taken_at, client, command FROM rendertracker.log
                    WHERE position > \(from)\(bound) ORDER BY position LIMIT 2000
                    """))
            }
            var entries: [(position: Int, mine: Bool, time: Double, client: String?, command: TrackerCommand)] = []
            for row in rows {
                let (position, origin, time, client, command) = try row.decode((Int, String, Double, String?, ByteBuffer).self)
                var reader = ByteReader(Array(command.readableBytesView))
                guard let decoded = try? CommandCoding.decode(&reader) else { throw UnreadableWrite(position: position) }
                entries.append((position, origin == self.origin, time, client, decoded))
            }
            if entries.isEmpty {
                if let limit { throw LogGap(expected: from + 1, found: limit) }
                return
            }
            if entries[0].position != from + 1 { throw LogGap(expected: from + 1, found: entries[0].position) }
            let applied = applying.withLock { _ -> Bool in
                guard !state.withLock({ $0.isAlone }), let tracker = tracker.withLock({ $0 }) else { return false }
                for entry in entries {
                    // A write of this origin found in the log is one it shipped after serving alone.
                    tracker.applyInOrder(
                        entry.command, client: entry.client, call: nil, at: Timestamp(secondsSince1970: entry.time),
                        origin: entry.mine ? .here : .anotherDaemon, position: entry.position)
                    state.withLock { $0.appliedPosition = entry.position }
                }
                return true
            }
            // Gone alone meanwhile: the shared state comes back whole, later.
            guard applied else { return }
            if entries.count < 2000, limit == nil { return }
        }
    }

    /// The writes this daemon needed were pruned: it takes the whole shared state again. The
    /// batch in hand was committed, so it is in that state: its callers get the counter as of it.
    private func resolveAfterReload(_ batch: [Ticket], because gap: LogGap) {
        logger.warning("this daemon fell behind the shared log's retention: it takes the shared state again", metadata: [
            "expected": "\(gap.expected)", "found": "\(gap.found.map(String.init) ?? "none")",
        ])
        do {
            try reload()
        } catch {
            applying.withLock { _ in goAlone(because: PostgresLink.describe(error)) }
        }
        let tracker = tracker.withLock { $0 }
        for ticket in batch where !ticket.isAbandoned {
            let lastEventID = tracker?.read { $0.lastEventID } ?? 0
            _ = ticket.resolve(TrackerOutcome(lastEventID: lastEventID, time: ticket.kept.time))
        }
    }

    /// Loads the shared state and puts it in place of this daemon's.
    private func reload() throws {
        let shared = try loadLink.withConnection { session in try load(session) }
        applying.withLock { _ in install(shared) }
    }

    /// Inside `applying`: the shared state in place of this daemon's, the store told.
    private func install(_ shared: SharedState) {
        installed(shared)
        tracker.withLock { $0 }?.replaceState(with: shared.restored)
        state.withLock { $0.appliedPosition = shared.position }
    }

    /// Serving alone, once a second: ship what was kept, then take the shared state again.
    private func rejoin() {
        do {
            // Ship while writes go on being kept; the last round, with none left, switches over
            // under `applying` so no write falls between the shipment and the reload.
            while true {
                let kept = state.withLock { $0.kept }
                guard !kept.isEmpty else { break }
                try ship(kept)
                let shipped = kept.map(\.sequence).max() ?? 0
                let remaining = state.withLock { state -> Int in
                    state.kept.removeAll { $0.sequence <= shipped }
                    return state.kept.count
                }
                if remaining == 0 { break }
            }
            try applying.withLock { _ in
                let last = state.withLock { $0.kept }
                if !last.isEmpty { try ship(last) }
                install(try loadLink.withConnection { session in try load(session) })
                let (since, lost) = state.withLock { state -> (ContinuousClock.Instant?, Int) in
                    let since: ContinuousClock.Instant? = if case .alone(let since) = state.mode { since } else { nil }
                    state.kept.removeAll()
                    state.mode = .shared
                    state.problem = nil
                    return (since, state.lostWrites)
                }
                logger.notice("the shared store is back: the writes served alone are shipped and this daemon has the shared state again", metadata: [
                    "aloneSeconds": "\(since.map { Int($0.duration(to: .now).components.seconds) } ?? 0)", "lostWrites": "\(lost)",
                ])
            }
        } catch {
            state.withLock { $0.problem = PostgresLink.describe(error) }
        }
    }

    /// Returns once everything committed before it is on the database's disk (as its
    /// `synchronous_commit` has it): a transaction that takes an id commits, and a commit waits for
    /// the WAL up to its own record. Daemons' waits overlap here, and PostgreSQL flushes them together.
    private static let flushQuery: PostgresQuery = "SELECT pg_current_xact_id()"

    /// Ships kept writes the log does not have yet (`origins` knows the last one that got there),
    /// on the connection with the longer bound, whose commits wait for the disk as the server's
    /// `synchronous_commit` says (no flush commit needed): a backlog goes in chunks of `maxBatch`.
    private func ship(_ kept: [Kept]) throws {
        try loadLink.withConnection { session in
            var shipped: Int64 = 0
            for row in try session.query("SELECT last_sequence FROM rendertracker.origins WHERE origin = \(origin)") {
                shipped = try row.decode(Int64.self)
            }
            let missing = kept.filter { $0.sequence > shipped }.sorted { $0.sequence < $1.sequence }
            var start = 0
            while start < missing.count {
                let chunk = Array(missing[start..<min(start + Self.maxBatch, missing.count)])
                _ = try Self.append(chunk, origin: origin, in: session)
                start += chunk.count
            }
        }
    }
}
