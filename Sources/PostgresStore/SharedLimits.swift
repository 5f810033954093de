import PostgresNIO
import RenderTracker
import RenderTrackerService

/// The limits every daemon on one database applies. Each daemon applies every write of the shared
/// log itself, and a write applied under other limits (a message clipped at another length, a
/// frame's log cut at another count, a project evicted at another number of live projects) would
/// leave the daemons holding different frames while answering the same cursors.
///
/// The database keeps the limits in `rendertracker.limits`. Every running daemon holds a shared
/// advisory lock on `key` on its work connection; the limits change only under the exclusive
/// lock, which nobody gets while any daemon runs. So the first daemon on a database writes its
/// limits, a daemon configured otherwise is refused while others run (naming each difference), and
/// new limits take effect when the daemons are all stopped and started again with them.
enum SharedLimits {
    static let key: Int64 = 0x7274_6c69_6d74  // "rtlimt"

    /// The settings compared, with their names in the configuration.
    private static func settings(_ limits: TrackerLimits) -> [(name: String, value: Int)] {
        [
            ("log-entries-per-frame", limits.logEntriesPerFrame), ("log-bytes-per-frame", limits.logBytesPerFrame),
            ("max-message-bytes", limits.messageBytes), ("max-live-projects", limits.maxLiveProjects),
        ]
    }

    /// Joins the daemons on the database with `limits`: takes the shared lock, after writing
    /// `limits` when no other daemon runs. Daemons join one at a time (under the migration lock),
    /// so two starting together on a fresh database do not refuse each other.
    /// - Throws: `StoreError` naming each setting that differs from the running daemons'.
    static func join(with limits: TrackerLimits, in session: PostgresLink.Session, location: PostgresLocation, logger: Logger) throws {
        try session.query("BEGIN")
        try session.query("SELECT pg_advisory_xact_lock(\(PostgresStore.migrationLockKey))")
        let stored = try read(session)
        if stored != limits {
            let alone = try session.query("SELECT pg_try_advisory_lock(\(key))").first(where: { _ in true })?.decode(Bool.self) == true
            guard alone else {
                try session.query("ROLLBACK")
                throw StoreError(
                    "the daemons running on \(location) apply other limits (\(differences(stored, limits))): every daemon on one "
                        + "database must apply the same ones; give this one theirs, or stop them all and start each with the new ones")
            }
            try session.query("""
                INSERT INTO rendertracker.limits VALUES
                    (1, \(limits.logEntriesPerFrame), \(limits.logBytesPerFrame), \(limits.messageBytes), \(limits.maxLiveProjects))
                ON CONFLICT (id) DO UPDATE SET log_entries_per_frame = excluded.log_entries_per_frame,
                    log_bytes_per_frame = excluded.log_bytes_per_frame, message_bytes = excluded.message_bytes,
                    max_live_projects = excluded.max_live_projects
                """)
            try session.query("SELECT pg_advisory_unlock(\(key))")
            if stored != nil {
                logger.notice(
                    "the shared store's limits changed; every daemon starting on it must apply the new ones",
                    metadata: ["store": "\(location)", "change": "\(differences(stored, limits, words: ("was", "now")))"])
            }
        }
        // A session's lock, held after the transaction ends, until the connection does.
        try session.query("SELECT pg_advisory_lock_shared(\(key))")
        try session.query("COMMIT")
    }

    /// After the work connection was opened again: takes the shared lock once more, and says what
    /// differs when the limits changed while this daemon was away (nil when they did not).
    static func rejoin(with limits: TrackerLimits, in session: PostgresLink.Session) throws -> String? {
        let held = try session.query("""
            SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                AND mode = 'ShareLock' AND ((classid::bigint << 32) | objid::bigint) = \(key)
            """).first(where: { _ in true })?.decode(Bool.self) == true
        guard !held else { return nil }
        try session.query("SELECT pg_advisory_lock_shared(\(key))")
        let stored = try read(session)
        guard stored != limits else { return nil }
        return "the other daemons on the database apply other limits (\(differences(stored, limits))): restart this one with theirs"
    }

    private static func read(_ session: PostgresLink.Session) throws -> TrackerLimits? {
        let rows = try session.query("""
            SELECT log_entries_per_frame, log_bytes_per_frame, message_bytes, max_live_projects FROM rendertracker.limits
            """)
        return try rows.first(where: { _ in true }).map { row in
            let (entries, bytes, message, live) = try row.decode((Int, Int, Int, Int).self)
            return TrackerLimits(logEntriesPerFrame: entries, logBytesPerFrame: bytes, messageBytes: message, maxLiveProjects: live)
        }
    }

    /// "max-message-bytes 1024 there, 65536 here; ..." for each setting that differs (with other
    /// words for the two sides: "was", "now").
    static func differences(_ there: TrackerLimits?, _ here: TrackerLimits, words: (String, String) = ("there", "here")) -> String {
        guard let there else { return "none stored" }
        return zip(settings(there), settings(here)).filter { $0.value != $1.value }
            .map { "\($0.name) \($0.value) \(words.0), \($1.value) \(words.1)" }.joined(separator: "; ")
    }
}
