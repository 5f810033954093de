#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB
public import Logging
public import RenderTracker
import StoreCoding
public import RenderTrackerService
import Synchronization

/// The embedded durable store (`--store sqlite:PATH`): a journal of writes beside an SQLite
/// database (GRDB, WAL mode) that holds the live projects as of the last checkpoint and every
/// past render.
///
/// What survives what (docs/operations.md § Durability):
/// - a process crash loses no acknowledged write: each write's journal record reaches the kernel
///   before the call is answered (`StoreJournal`);
/// - power loss loses at most the last `syncInterval` seconds of acknowledged writes (the journal
///   is synced that often; 0 syncs before every answer);
/// - a full disk or unwritable folder never fails a call: the tracker goes on from memory, the
///   store reports the problem in `health` (once in the log), and the next checkpoint that
///   succeeds writes out everything that changed meanwhile.
///
/// Every `checkpointSeconds`, what changed (`PendingChanges`) is copied from the tracker at a cut
/// and written in one transaction with `synchronous=FULL`; journal segments the cut covers are
/// then deleted. A restart loads the checkpoint and replays the journal after it.
public final class SQLiteStore: TrackerStore {
    public let path: String
    public let syncInterval: Double
    public let checkpointSeconds: Double
    /// Past renders older than this many days are pruned; nil keeps them for ever.
    public let keepHistoryDays: Double?
    private let logger: Logger
    private let database: DatabasePool
    private let journal: StoreJournal
    private let lock: StoreLock

    private struct State {
        var pending = PendingChanges()
        /// Renders that ended since they were last written out, by id: the history answers with
        /// them at once, not only after the next checkpoint.
        var unwrittenRenders: [Int: EndedRender] = [:]
        var lastSync = ContinuousClock.now
        var lastCheckpoint = ContinuousClock.now
        var lastPrune: ContinuousClock.Instant?
        var checkpointProblem: String?
        var reportedProblem: String?
    }

    private let state = Mutex(State())

    /// Opens (creating) the store at `path`; the journal lives in `<path>-writes/`.
    /// - Throws: `StoreError` naming the file when it is in use by another daemon, damaged, from
    ///   a newer rendertracker, or cannot be created.
    public init(
        path: String, syncInterval: Double = 1, checkpointSeconds: Double = 5, keepHistoryDays: Double? = 365, logger: Logger
    ) throws(StoreError) {
        self.path = path
        self.syncInterval = syncInterval
        self.checkpointSeconds = checkpointSeconds
        self.keepHistoryDays = keepHistoryDays
        self.logger = logger
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        lock = try StoreLock(path: path + ".lock")
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // A checkpoint is what lets the journal go: it must be on the disk when it commits.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(5)
        do {
            // Checked on a read-only connection before the pool opens: opening a pool writes (GRDB
            // creates and drops a table to make the -wal file), which must not touch a damaged file.
            if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 {
                var readOnly = Configuration()
                readOnly.readonly = true
                let check = try DatabaseQueue(path: path, configuration: readOnly).read { db in
                    try String.fetchOne(db, sql: "PRAGMA quick_check")
                }
                guard check == "ok" else { throw StoreError(Self.damaged(path, check ?? "no answer from quick_check")) }
            }
            database = try DatabasePool(path: path, configuration: configuration)
            let migrator = StoreSchema.migrator
            if try database.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError(
                    "\(path) was written by a newer rendertracker (its schema is ahead of this one): run that version, or move the file aside")
            }
            try migrator.migrate(database)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where [ResultCode.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode.primaryResultCode) {
            throw StoreError(Self.damaged(path, error.message ?? "\(error)"))
        } catch {
            throw StoreError("cannot open the store \(path): \(error)")
        }
        journal = StoreJournal(directory: path + "-writes", syncEveryWrite: syncInterval == 0)
    }

    private static func damaged(_ path: String, _ detail: String) -> String {
        "the store \(path) is damaged (\(detail)). The daemon does not start on it, so nothing in it is overwritten. "
            + "Move it aside to start with an empty store (mv \(path) \(path).damaged; the same for \(path)-wal and \(path)-writes), "
            + "or restore it from a backup; `sqlite3 \(path) .recover` may save what it holds."
    }

    public var description: String { "sqlite:\(path)" }

    // MARK: - Start

    public func restore(limits: TrackerLimits) throws(StoreError) -> RestoredState {
        var restored: RestoredState
        let applied: UInt64
        do {
            (restored, applied) = try database.read { db in
                let meta = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta").map {
                    (try $0.decode(String.self, atIndex: 0), try $0.decode(Int64.self, atIndex: 1))
                })
                let projects = try StoredRows.loadProjects(db)
                return (
                    RestoredState(projects: projects, lastEventID: Int(meta["last_event_id"] ?? 0), histories: try StoredRows.shotHistories(db)),
                    UInt64(meta["applied_sequence"] ?? 0)
                )
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where [ResultCode.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode.primaryResultCode) {
            throw StoreError(Self.damaged(path, error.message ?? "\(error)"))
        } catch is ByteReader.Truncated {
            // A row SQLite finds sound whose bytes (a frame log, the estimate's evidence) do not decode.
            throw StoreError(Self.damaged(path, "a stored project or frame cannot be decoded"))
        } catch let error as RowDecodingError {
            // A column of the wrong type or NULL where a value belongs: read with throwing calls,
            // so damage of this kind is refused like any other instead of stopping the process.
            throw StoreError(Self.damaged(path, "a stored value has the wrong type: \(error)"))
        } catch {
            throw StoreError("cannot read the store \(path): \(error)")
        }
        let segments = journal.segments()
        let (records, segmentOf, tornBytes) = StoreJournal.readRecords(of: segments)
        // Each journaled write again, at the time it was applied: the model is deterministic, so
        // this gives the same frames, logs and event ids the clients saw.
        let clock = ManualClock()
        var tracker = Tracker(
            restoring: restored.projects, lastEventID: restored.lastEventID, histories: restored.histories, clock: clock, limits: limits)
        var expected = applied + 1
        var pending = PendingChanges()
        for (index, record) in records.enumerated() where record.sequence >= expected {
            guard record.sequence == expected else {
                restored.lostWrites = records.filter { $0.sequence >= expected }.count
                // A gap starts a segment (a broken segment takes no more records; the next record
                // goes to a new one). Unless records before it in that segment were replayed, the
                // segments from there on go: the journal started below numbers on from `expected`.
                if index == 0 || segmentOf[index - 1] != segmentOf[index] {
                    journal.removeSegments(from: segmentOf[index])
                }
                break
            }
            clock.set(record.time)
            pending.note(record.command, tracker.apply(record.command, from: record.client))
            restored.replayedWrites += 1
            expected += 1
        }
        restored.histories = tracker.shotHistories
        if restored.replayedWrites > 0 {
            restored.projects = Array(tracker.allProjects)
            restored.lastEventID = tracker.lastEventID
        }
        if tornBytes > 0 || restored.lostWrites > 0 {
            logger.warning("the store's journal was cut short (power loss or a full disk): writes after the cut are lost", metadata: [
                "store": "\(path)", "tornBytes": "\(tornBytes)", "writesNotReplayed": "\(restored.lostWrites)",
            ])
        }
        state.withLock { state in
            state.pending = pending
            // Renders the replay ended are past renders now, answered at once as those a live
            // write ends are, not only after the next checkpoint writes them.
            for render in pending.ended {
                state.unwrittenRenders[render.project.createdEventID] = render
            }
        }
        try journal.start(after: segments.last?.number ?? 0, sequence: expected - 1)
        return restored
    }

    // MARK: - The write pipeline

    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        journal.append(time: write.outcome.time, client: write.call?.client, command: write.command)
        state.withLock { state in
            state.pending.note(write.command, write.outcome)
            for render in write.outcome.endedRenders {
                state.unwrittenRenders[render.project.createdEventID] = render
            }
        }
    }

    public func trackerDidFinish(_ write: TrackerWrite) {
        journal.writeOut()
    }

    // MARK: - Background work

    public func tick(_ tracker: SharedTracker) {
        let now = ContinuousClock.now
        let (syncDue, checkpointDue, pruneDue) = state.withLock { state in
            let syncDue = syncInterval > 0 && state.lastSync.duration(to: now) >= .seconds(syncInterval)
            if syncDue { state.lastSync = now }
            let checkpointDue = state.lastCheckpoint.duration(to: now) >= .seconds(checkpointSeconds)
            let pruneDue = state.lastPrune.map { $0.duration(to: now) >= .seconds(3600) } ?? true
            if pruneDue { state.lastPrune = now }
            return (syncDue, checkpointDue, pruneDue)
        }
        if syncDue { journal.sync() }
        if checkpointDue { checkpoint(tracker) }
        if pruneDue, let keepHistoryDays { prune(olderThanDays: keepHistoryDays, now: tracker.read { $0.clock.now() }) }
        reportHealthChanges()
    }

    public func close(_ tracker: SharedTracker) {
        checkpoint(tracker)
        reportHealthChanges()
    }

    /// Writes out everything that changed since the last checkpoint, as of one cut.
    public func checkpoint(_ tracker: SharedTracker) {
        // The cut: inside the tracker's lock, what changed is taken and the journal moves to a new
        // segment at the same instant, so the batch is exactly the journal's closed segments.
        let cut = tracker.read { tracker -> (batch: CheckpointBatch, taken: PendingChanges, firstKept: Int)? in
            let taken = state.withLock { state in
                state.lastCheckpoint = .now
                defer { state.pending = PendingChanges() }
                return state.pending
            }
            guard !taken.isEmpty || journal.problem != nil else { return nil }
            let (sequence, firstKept) = journal.rotate()
            return (CheckpointBatch(taken, tracker: tracker, sequence: sequence), taken, firstKept)
        }
        guard let (batch, taken, firstKept) = cut else { return }
        do {
            let reports = batch.renders.map { RenderReport($0.project, ending: $0.ending) }
            try database.write { db in
                try StoredRows.write(batch, reports: reports, in: db)
            }
            journal.removeSegments(before: firstKept)
            truncateWALIfLarge()
            state.withLock { state in
                state.checkpointProblem = nil
                for render in batch.renders where state.unwrittenRenders[render.project.createdEventID]?.reason.rawValue == render.ending.rawValue {
                    state.unwrittenRenders[render.project.createdEventID] = nil
                }
            }
        } catch {
            state.withLock { state in
                state.pending.merge(olderChanges: taken)
                state.checkpointProblem = "writing \(path) failed: \(error)"
            }
        }
    }

    /// SQLite's own checkpoints copy the WAL into the database but leave the file at its largest
    /// (a checkpoint of a million frames leaves a WAL of about 300 MB); past `walTruncateBytes`, a
    /// TRUNCATE checkpoint gives the space back, so the store's size follows its contents.
    private func truncateWALIfLarge() {
        var info = stat()
        guard stat(path + "-wal", &info) == 0, Int(info.st_size) > Self.walTruncateBytes else { return }
        _ = try? database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    static let walTruncateBytes = 64 << 20

    private func prune(olderThanDays days: Double, now: Timestamp) {
        let cutoff = now.secondsSince1970 - days * 86_400
        do {
            try database.write { db in
                try db.execute(
                    sql: "DELETE FROM render_frames WHERE render_id IN (SELECT id FROM renders WHERE ended_at < ? AND ending != 'live')",
                    arguments: [cutoff])
                try db.execute(sql: "DELETE FROM renders WHERE ended_at < ? AND ending != 'live'", arguments: [cutoff])
            }
        } catch {
            logger.warning("pruning past renders failed", metadata: ["store": "\(path)", "error": "\(error)"])
        }
    }

    public var health: StoreHealth {
        let (problem, pending) = state.withLock { ($0.checkpointProblem, $0.pending.writes) }
        return StoreHealth(problem: journal.problem ?? problem, pendingWrites: pending, bytesOnDisk: bytesOnDisk)
    }

    private var bytesOnDisk: Int {
        var total = 0
        for file in [path, path + "-wal", path + "-shm"] + journal.segments().map(\.path) {
            var info = stat()
            if stat(file, &info) == 0 { total += Int(info.st_size) }
        }
        return total
    }

    /// Logs a problem when it starts and when it ends, not once per call.
    private func reportHealthChanges() {
        let problem = health.problem
        let previous = state.withLock { state in
            defer { state.reportedProblem = problem }
            return state.reportedProblem
        }
        if let problem, problem != previous {
            logger.error("the store is degraded: serving from memory, calls still succeed", metadata: ["store": "\(path)", "problem": "\(problem)"])
        } else if problem == nil, let previous {
            logger.notice("the store recovered: everything that changed meanwhile is written out", metadata: [
                "store": "\(path)", "was": "\(previous)",
            ])
        }
    }

    // MARK: - Past renders

    public func history(of project: String, limit: Int) throws(StoreError) -> [PastRender] {
        let unwritten = state.withLock { Array($0.unwrittenRenders.values) }
        let stored: [PastRender]
        do {
            stored = try database.read { db in try StoredRows.history(of: project, limit: limit, in: db) }
        } catch {
            throw StoreError("reading \(path) failed: \(error)")
        }
        return PastRender.newestFirst(unwritten: unwritten, stored: stored, of: project, limit: limit)
    }

    public func importRenders(_ renders: [RenderReport], lastEventID: Int) throws(StoreError) {
        do {
            try database.write { db in
                for report in renders {
                    try StoredRows.writeRender(report, in: db)
                }
                try db.execute(
                    sql: "INSERT INTO meta (key, value) VALUES ('last_event_id', ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
                    arguments: [lastEventID])
            }
        } catch {
            throw StoreError("writing \(path) failed: \(error)")
        }
    }

    public func report(renderID: Int) throws(StoreError) -> RenderReport? {
        if let render = state.withLock({ $0.unwrittenRenders[renderID] }) {
            return RenderReport(render.project, ending: PastRender.Ending(render.reason))
        }
        do {
            return try database.read { db in try StoredRows.report(renderID: renderID, in: db) }
        } catch {
            throw StoreError("reading \(path) failed: \(error)")
        }
    }
}
