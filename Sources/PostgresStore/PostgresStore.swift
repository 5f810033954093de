import DequeModule
import Dispatch
import Foundation
public import Logging
import NIOCore
import NIOPosix
import PostgresNIO
public import RenderTracker
public import RenderTrackerService
import StoreCoding
import Synchronization

/// The store several daemons share (`--store postgres://USER@HOST/DB`): every write goes into
/// one log in one order (`SharedWriteOrder`), every daemon applies the whole log, and one of them,
/// the holder of the lease (a session advisory lock), writes checkpoints of the live state and the
/// past renders and runs the timed hooks.
///
/// What survives what (docs/operations.md § Several daemons on PostgreSQL):
/// - an answered write is committed in PostgreSQL with the server's `synchronous_commit` (on by
///   default: in the WAL on disk); a daemon killed at any moment loses nothing it answered, and
///   the other daemons have it;
/// - the database out of reach never fails a call: each daemon serves alone from memory after
///   `commitTimeout` (`/healthz` says degraded), keeps what it was sent, ships it when the
///   database is back and takes the shared state again;
/// - a restart (of one daemon or all) starts from the last checkpoint and applies the log after it.
public final class PostgresStore: TrackerStore {
    public let location: PostgresLocation
    public let checkpointSeconds: Double
    public let keepHistoryDays: Double?
    /// Log entries stay this long after a checkpoint covers them, so a daemon that lags (a pause,
    /// a slow link) catches up from the log instead of reloading the whole state.
    public static let logRetentionSeconds = 600.0
    /// The channel the daemons NOTIFY on when they append to the log.
    static let channel = "rendertracker_log"
    static let migrationLockKey: Int64 = 0x7274_6d69_6772  // "rtmigr"
    static let leaseKey: Int64 = 0x7274_6c65_6173  // "rtleas"

    private let logger: Logger
    /// The log's connection (the ordering thread's), the listener's, and one for the rest
    /// (checkpoints, the lease, past renders).
    private let logLink: PostgresLink
    /// Commits with the server's `synchronous_commit` (on by default), after a batch went into
    /// the log: its commit reaches the disk only with everything written before it, the batch
    /// included, so once it returns the batch is as durable as the server promises.
    private let flushLink: PostgresLink
    private let listenLink: PostgresLink
    private let workLink: PostgresLink
    private let order: SharedWriteOrder
    /// The background work's own thread (an overcommitting serial queue).
    private let worker = DispatchQueue(label: "rendertracker-postgres-store")
    private let box = Box()

    /// The store's mutable parts, in a class the ordering thread's callbacks can hold.
    private final class Box: Sendable {
        let state = Mutex(State())
        /// The daemon's limits, which a replay of the log must apply as the daemon did.
        let limits = Mutex(TrackerLimits())
        /// A round of background work is running on `worker`.
        let busy = Atomic(false)
    }

    fileprivate struct State {
        var isLeader = false
        /// Set on taking the lease: the first checkpoint writes the whole state.
        var needsFullCheckpoint = true
        var pending = PendingChanges()
        /// The log position the tracker's state stands at (set inside its lock).
        var position = 0
        /// Renders that ended lately, by id, with when: answered at once and written by whoever
        /// holds the lease next.
        var recentEnded: [Int: (render: EndedRender, at: ContinuousClock.Instant)] = [:]
        var lastCheckpoint = ContinuousClock.now
        var lastPrune: ContinuousClock.Instant?
        var lastSize: ContinuousClock.Instant?
        var lastLeaseCheck: ContinuousClock.Instant?
        var checkpointProblem: String?
        /// The limits changed on the database while this daemon was away from it: said until it
        /// restarts, since what it applied meanwhile may differ from the others' state.
        var limitsProblem: String?
        var written = WrittenCheckpoints()
        var reportedProblem: String?
        var bytesOnDisk = 0
        var listening: PostgresListenContext?
    }

    /// Connects, brings the schema up to date and starts listening.
    /// - Throws: `StoreError` naming the database and what failed (unreachable, refused login,
    ///   migrated by a newer rendertracker).
    public init(
        location: PostgresLocation, commitTimeout: Double = 2, checkpointSeconds: Double = 5, keepHistoryDays: Double? = 365,
        logger: Logger
    ) throws(StoreError) {
        self.location = location
        self.checkpointSeconds = checkpointSeconds
        self.keepHistoryDays = keepHistoryDays
        self.logger = logger
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let waitBound = TimeAmount.milliseconds(Int64(commitTimeout * 1000))
        // The log's statements commit without waiting for the disk: the row lock on `log_head`
        // is held to the commit, so a commit that waited for its fsync would hold every daemon's
        // next batch for that long (measured: 3,000-4,000 writes/s in all, p99 240-400 ms).
        // Durability comes from `flushLink` instead, before any write is answered.
        logLink = PostgresLink(
            location: location, name: "log", timeout: waitBound, settings: [("synchronous_commit", "off")], eventLoop: eventLoop,
            logger: logger)
        flushLink = PostgresLink(location: location, name: "flush", timeout: waitBound, eventLoop: eventLoop, logger: logger)
        listenLink = PostgresLink(location: location, name: "listen", timeout: .seconds(10), eventLoop: eventLoop, logger: logger)
        workLink = PostgresLink(location: location, name: "work", timeout: .seconds(60), eventLoop: eventLoop, logger: logger)
        do {
            try workLink.withConnection { session in try PostgresSchema.migrate(session, location: location) }
        } catch let error as StoreError {
            workLink.drop()
            throw error
        } catch {
            workLink.drop()
            throw StoreError("cannot open the store \(location): \(PostgresLink.describe(error))")
        }
        let box = box
        order = SharedWriteOrder(
            link: logLink, flushLink: flushLink, loadLink: workLink, commitTimeout: commitTimeout, logger: logger,
            load: { session in try Self.loadShared(session, limits: box.limits.withLock { $0 }) },
            installed: { shared in
                box.state.withLock { state in
                    state.position = shared.position
                    state.pending = PendingChanges()
                    state.needsFullCheckpoint = true
                }
            })
        listen()
    }

    public var description: String { location.description }
    public var sequencer: (any WriteSequencer)? { order }
    public var leadsSharedWork: Bool { box.state.withLock { $0.isLeader } }

    // MARK: - Start

    public func restore(limits: TrackerLimits) throws(StoreError) -> RestoredState {
        box.limits.withLock { $0 = limits }
        do {
            let shared = try workLink.withConnection { session in
                try SharedLimits.join(with: limits, in: session, location: location, logger: logger)
                return try Self.loadShared(session, limits: limits)
            }
            box.state.withLock { $0.position = shared.position }
            order.start(at: shared.position)
            return shared.restored
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot read the store \(location): \(PostgresLink.describe(error))")
        }
    }

    /// The checkpoint and the log after it, read in one snapshot (a checkpoint written meanwhile
    /// cannot prune what this read needs), applied on a tracker of their own.
    static func loadShared(_ session: PostgresLink.Session, limits: TrackerLimits) throws -> SharedWriteOrder.SharedState {
        try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let (projects, checkpoint, lastEventID) = try PostgresRows.loadCheckpoint(session)
        let histories = try PostgresRows.shotHistories(in: session)
        let rows = try session.query("""
            SELECT position, taken_at, client, command FROM rendertracker.log WHERE position > \(checkpoint) ORDER BY position
            """)
        try session.query("COMMIT")
        var tracker = Tracker(restoring: projects, lastEventID: lastEventID, histories: histories, clock: ManualClock(), limits: limits)
        var position = checkpoint
        var replayed = 0
        for row in rows {
            let (at, time, client, command) = try row.decode((Int, Double, String?, ByteBuffer).self)
            guard at == position + 1 else {
                throw StoreError("the shared log has a gap after position \(position) (next is \(at)): the database was changed by hand or restored in part")
            }
            var reader = ByteReader(Array(command.readableBytesView))
            _ = tracker.apply(try CommandCoding.decode(&reader), from: client, at: Timestamp(secondsSince1970: time))
            position = at
            replayed += 1
        }
        let restored = RestoredState(
            projects: Array(tracker.allProjects), lastEventID: tracker.lastEventID, replayedWrites: replayed, histories: tracker.shotHistories)
        return SharedWriteOrder.SharedState(restored: restored, position: position)
    }

    // MARK: - The write pipeline

    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        // A write applied alone (database out of reach) is not in the shared order: the shared
        // state replaces it later, and no checkpoint runs meanwhile.
        guard let position = write.orderPosition else { return }
        box.state.withLock { state in
            state.position = position
            if state.isLeader, !state.needsFullCheckpoint {
                state.pending.note(write.command, write.outcome)
            }
            for render in write.outcome.endedRenders {
                state.recentEnded[render.project.createdEventID] = (render, .now)
            }
        }
    }

    // MARK: - Background work

    /// Hands the work to the store's own thread, unless the last round is still at it: a
    /// checkpoint or a connection attempt to a host that does not answer can take seconds, and
    /// `StoreService` calls this from one of the few cooperative threads.
    public func tick(_ tracker: SharedTracker) {
        guard box.busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return }
        worker.async { [self] in
            defer { box.busy.store(false, ordering: .releasing) }
            work(tracker)
        }
    }

    private func work(_ tracker: SharedTracker) {
        let now = ContinuousClock.now
        if !listenLink.isOpen { listen() }
        keepLease(now: now)
        let (checkpointDue, pruneDue, sizeDue) = box.state.withLock { state in
            let checkpointDue = state.isLeader && state.lastCheckpoint.duration(to: now) >= .seconds(checkpointSeconds)
            let pruneDue = state.isLeader && (state.lastPrune.map { $0.duration(to: now) >= .seconds(3600) } ?? true)
            if pruneDue { state.lastPrune = now }
            let sizeDue = state.lastSize.map { $0.duration(to: now) >= .seconds(60) } ?? true
            if sizeDue { state.lastSize = now }
            // Renders that ended a while ago are in the database by now (whoever held the lease).
            state.recentEnded = state.recentEnded.filter { $0.value.at.duration(to: now) < .seconds(Self.logRetentionSeconds) }
            return (checkpointDue, pruneDue, sizeDue)
        }
        if checkpointDue { checkpoint(tracker) }
        if pruneDue, let keepHistoryDays {
            let cutoff = tracker.read { $0.clock.now() }.secondsSince1970 - keepHistoryDays * 86_400
            do {
                try workLink.withConnection { session in
                    try PostgresRows.prune(olderThan: cutoff, in: session)
                    // Daemon processes not seen for 30 days will not ship anything any more.
                    try session.query("DELETE FROM rendertracker.origins WHERE seen_at < now() - interval '30 days'")
                }
            } catch {
                logger.warning("pruning past renders failed", metadata: ["store": "\(location)", "error": "\(PostgresLink.describe(error))"])
            }
        }
        if sizeDue, let size = try? workLink.withConnection({ session in
            // The store's own tables with their indexes and TOAST, not the rest of a database the
            // studio may use for other things too.
            try session.query("""
                SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'rendertracker' AND c.relkind = 'r'
                """).first(where: { _ in true })?.decode(Int.self)
        }) {
            box.state.withLock { $0.bytesOnDisk = size }
        }
        reportHealthChanges()
    }

    public func close(_ tracker: SharedTracker) {
        worker.sync {}
        order.stop()
        if box.state.withLock({ $0.isLeader }) { checkpoint(tracker) }
        box.state.withLock { $0.listening }?.stop()
        for link in [logLink, flushLink, listenLink, workLink] { link.drop() }
        reportHealthChanges()
    }

    /// Takes the lease when nobody holds it; a lost connection loses it (the database lets go
    /// of a session's advisory locks when the session ends, so a killed daemon's lease frees).
    private func keepLease(now: ContinuousClock.Instant) {
        let (wasLeader, due) = box.state.withLock { state in
            let due = state.lastLeaseCheck.map { $0.duration(to: now) >= .seconds(1) } ?? true
            if due { state.lastLeaseCheck = now }
            return (state.isLeader, due)
        }
        guard due else { return }
        // Held on this very session? (The connection may have been opened again since.)
        let limits = box.limits.withLock { $0 }
        var limitsProblem: String?
        // nil: the database did not answer.
        let held: Bool? = try? workLink.withConnection { session in
            limitsProblem = try SharedLimits.rejoin(with: limits, in: session)
            let key = Self.leaseKey
            let owned = try session.query("""
                SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                    AND ((classid::bigint << 32) | objid::bigint) = \(key)
                """).first(where: { _ in true })?.decode(Bool.self)
            if owned == true { return true }
            return try session.query("SELECT pg_try_advisory_lock(\(key))").first(where: { _ in true })?.decode(Bool.self)
        }
        box.state.withLock { state in
            if let limitsProblem { state.limitsProblem = limitsProblem }
            if held == false {
                // Another daemon holds the lease and writes the checkpoints: one this daemon
                // failed to write (the database restarted under it, say) is no longer its
                // problem, and no checkpoint of its own would ever clear it.
                state.checkpointProblem = nil
            }
            if held == true, !state.isLeader {
                // The whole state goes out at once, on taking the lease, not a checkpoint later.
                state.needsFullCheckpoint = true
                state.pending = PendingChanges()
                state.lastCheckpoint = now - .seconds(checkpointSeconds)
            }
            state.isLeader = held == true
        }
        if held == true, !wasLeader {
            logger.notice("this daemon holds the shared store's lease: it writes checkpoints and runs timed hooks", metadata: ["store": "\(location)"])
        }
    }

    /// Writes the live state as of one cut: what changed since the last checkpoint, or all of it
    /// just after taking the lease; then prunes the log entries that a checkpoint written at least
    /// `logRetentionSeconds` ago covers (`WrittenCheckpoints`).
    public func checkpoint(_ tracker: SharedTracker) {
        guard !order.isServingAlone else { return }
        let started = ContinuousClock.now
        let cut = tracker.read { tracker -> (batch: CheckpointBatch, taken: PendingChanges, full: Bool, position: Int)? in
            box.state.withLock { state in
                state.lastCheckpoint = .now
                var taken = state.pending
                let full = state.needsFullCheckpoint
                if full {
                    taken = PendingChanges()
                    for project in tracker.allProjects { taken.rewritten.insert(ProjectKey(project.name)) }
                    taken.finished = Set(tracker.allProjects.filter { $0.state == .done || $0.state == .failed }.map { ProjectKey($0.name) })
                    taken.ended = state.recentEnded.values.map(\.render)
                    taken.writes = 1
                }
                guard !taken.isEmpty else { return nil }
                state.pending = PendingChanges()
                state.needsFullCheckpoint = false
                return (CheckpointBatch(taken, tracker: tracker, sequence: 0), taken, full, state.position)
            }
        }
        guard let (batch, taken, full, position) = cut else { return }
        let cutTime = ContinuousClock.now - started
        do {
            let reports = batch.renders.map { RenderReport($0.project, ending: $0.ending) }
            let written = try workLink.withConnection { session in
                try session.query("BEGIN")
                if full {
                    // The whole state replaces what is there: projects a lost leader knew and
                    // this daemon never saw end go too.
                    try session.query("DELETE FROM rendertracker.frames")
                    try session.query("DELETE FROM rendertracker.projects")
                }
                guard try PostgresRows.write(batch, position: position, reports: reports, in: session) else {
                    try session.query("ROLLBACK")
                    return false
                }
                try session.query("COMMIT")
                return true
            }
            logger.debug("checkpoint written", metadata: [
                "position": "\(position)", "whole": "\(full)", "written": "\(written)",
                "frames": "\(batch.projects.reduce(0) { $0 + $1.frameCount })", "cut": "\(cutTime)", "took": "\(ContinuousClock.now - started)",
            ])
            let prunable = box.state.withLock { state -> Int? in
                state.checkpointProblem = nil
                guard written else {
                    // Another daemon checkpointed further: it holds the lease now.
                    state.isLeader = false
                    state.lastLeaseCheck = nil
                    return nil
                }
                return state.written.checkpoint(at: position, now: .now, retention: .seconds(Self.logRetentionSeconds))
            }
            if let prunable {
                do {
                    try workLink.withConnection { session in
                        try session.query("DELETE FROM rendertracker.log WHERE position <= \(prunable)")
                    }
                } catch {
                    // The next prune's bound covers these entries too.
                    logger.warning("pruning the shared log failed", metadata: ["store": "\(location)", "error": "\(PostgresLink.describe(error))"])
                }
            }
        } catch {
            box.state.withLock { state in
                if full {
                    state.needsFullCheckpoint = true
                } else {
                    state.pending.merge(olderChanges: taken)
                }
                state.checkpointProblem = "writing a checkpoint to \(location) failed: \(PostgresLink.describe(error))"
            }
        }
    }

    /// The checkpoints this daemon wrote in the last `logRetentionSeconds`, oldest first: the log
    /// up to the newest one older than that may go. Pruning by position is a range of the primary
    /// key, the entries that came due since the last prune; a condition on `committed_at` instead
    /// read every entry the log keeps on each checkpoint (90 ms at 57,000 entries in the benchmark,
    /// and 10 minutes at 5,000 writes a second are 3 million).
    struct WrittenCheckpoints {
        private var positions = Deque<(position: Int, at: ContinuousClock.Instant)>()

        /// Notes a checkpoint at `position`; returns the log position up to which entries may go, if any came due.
        mutating func checkpoint(at position: Int, now: ContinuousClock.Instant, retention: Duration) -> Int? {
            positions.append((position, now))
            var through: Int?
            while let oldest = positions.first, oldest.at.duration(to: now) >= retention {
                through = oldest.position
                positions.removeFirst()
            }
            return through
        }
    }

    /// LISTEN on its own connection: a notice wakes the ordering thread at once; a missed one
    /// costs at most its half-second poll.
    private func listen() {
        let order = order
        do {
            try listenLink.withConnection { session in
                // A daemon's own notices are of writes it applied already: only others' wake it
                // (half the wake-ups and fetches at two daemons).
                let context = session.connection.addListener(channel: Self.channel) { _, notice in
                    if notice.payload != order.origin { order.nudge() }
                }
                try session.query(PostgresQuery(unsafeSQL: "LISTEN \(Self.channel)"))
                box.state.withLock { $0.listening = context }
            }
        } catch {
            logger.debug("LISTEN failed; polling the log meanwhile", metadata: ["error": "\(PostgresLink.describe(error))"])
        }
    }

    public var health: StoreHealth {
        let (problem, waiting, lost) = order.health
        let (checkpointProblem, limitsProblem, bytes) = box.state.withLock { ($0.checkpointProblem, $0.limitsProblem, $0.bytesOnDisk) }
        var text = problem.map { "serving alone from memory: \($0)" } ?? limitsProblem ?? checkpointProblem
        if lost > 0 {
            // Said until the daemon restarts: those writes are gone for good.
            let dropped = "\(lost) writes served alone were dropped (more than \(SharedWriteOrder.maxAloneWrites) kept)"
            text = text.map { "\($0); \(dropped)" } ?? dropped
        }
        return StoreHealth(problem: order.isServingAlone ? (text ?? "serving alone from memory") : text, pendingWrites: waiting, bytesOnDisk: bytes)
    }

    /// Logs a problem when it starts and when it ends, not once per call.
    private func reportHealthChanges() {
        let problem = health.problem
        let previous = box.state.withLock { state in
            defer { state.reportedProblem = problem }
            return state.reportedProblem
        }
        if let problem, problem != previous {
            logger.error("the store is degraded: calls still succeed", metadata: ["store": "\(location)", "problem": "\(problem)"])
        } else if problem == nil, let previous {
            logger.notice("the store recovered", metadata: ["store": "\(location)", "was": "\(previous)"])
        }
    }

    // MARK: - Past renders

    public func history(of project: String, limit: Int) throws(StoreError) -> [PastRender] {
        let recent = box.state.withLock { $0.recentEnded.values.map(\.render) }
        let stored: [PastRender]
        do {
            stored = try workLink.withConnection { session in try PostgresRows.history(of: project, limit: limit, in: session) }
        } catch {
            throw StoreError("reading past renders from \(location) failed: \(PostgresLink.describe(error))")
        }
        return PastRender.newestFirst(unwritten: recent, stored: stored, of: project, limit: limit)
    }

    public func report(renderID: Int) throws(StoreError) -> RenderReport? {
        if let recent = box.state.withLock({ $0.recentEnded[renderID]?.render }) {
            return RenderReport(recent.project, ending: PastRender.Ending(recent.reason))
        }
        do {
            return try workLink.withConnection { session in try PostgresRows.report(renderID: renderID, in: session) }
        } catch {
            throw StoreError("reading past renders from \(location) failed: \(PostgresLink.describe(error))")
        }
    }

    /// Refused: the event counter is the daemons' shared log, which renders written beside it
    /// would put out of step with the daemons running on it (`rendertracker import` says so first).
    public func importRenders(_ renders: [RenderReport], lastEventID: Int) throws(StoreError) {
        throw StoreError("a PostgreSQL store takes no import: import into an SQLite store instead")
    }
}
