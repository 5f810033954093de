import PostgresNIO
import RenderTrackerService

/// The store's tables, in a schema of their own (`rendertracker`) so they can sit in a database
/// the studio already has. Each migration runs once, in order, in one transaction under an
/// advisory lock, so daemons starting together do not run one twice; a database migrated by a
/// newer rendertracker is refused rather than misread.
///
/// - `log`: every write in the shared order. `position` is taken from `log_head` inside the
///   statement that inserts the rows: the row lock on `log_head` is held until commit, so
///   positions commit in order and without gaps (a sequence would not: its values are taken
///   before commit and commit out of order, and a reader could pass a write that commits later).
/// - `origins`: the last write each daemon process shipped, so writes kept through an outage are
///   shipped once even when the answer to a shipment was lost.
/// - `checkpoint`, `projects`, `frames`: the live state as of the log position `checkpoint`
///   names; a daemon starts from it and applies the log after it. Frames and project headers are
///   bytes (`FrameCoding`): every daemon must restore exactly the values the others hold.
/// - `renders`, `render_frames`: past renders, in columns, for SQL and for `getRenderHistory`.
/// - `limits`: the limits every daemon on the database applies (`SharedLimits`).
enum PostgresSchema {
    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE rendertracker.log_head (id integer PRIMARY KEY CHECK (id = 1), position bigint NOT NULL)
            """,
            "INSERT INTO rendertracker.log_head VALUES (1, 0)",
            """
            CREATE TABLE rendertracker.log (
                position bigint PRIMARY KEY, origin text NOT NULL, origin_sequence bigint NOT NULL,
                taken_at double precision NOT NULL, client text, command bytea NOT NULL,
                committed_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE TABLE rendertracker.origins (origin text PRIMARY KEY, last_sequence bigint NOT NULL, seen_at timestamptz NOT NULL)",
            """
            CREATE TABLE rendertracker.checkpoint (
                id integer PRIMARY KEY CHECK (id = 1), position bigint NOT NULL, last_event_id bigint NOT NULL)
            """,
            "INSERT INTO rendertracker.checkpoint VALUES (1, 0, 0)",
            "CREATE TABLE rendertracker.projects (name bytea PRIMARY KEY, header bytea NOT NULL)",
            """
            CREATE TABLE rendertracker.frames (
                project bytea NOT NULL, number bigint NOT NULL, frame bytea NOT NULL, PRIMARY KEY (project, number))
            """,
            """
            CREATE TABLE rendertracker.renders (
                id bigint PRIMARY KEY, project text NOT NULL, job_id text NOT NULL, started_at double precision NOT NULL,
                ended_at double precision NOT NULL, state text NOT NULL, ending text NOT NULL, frames bigint NOT NULL,
                done bigint NOT NULL, errors bigint NOT NULL, render_seconds double precision NOT NULL)
            """,
            "CREATE INDEX renders_by_project ON rendertracker.renders (project, id)",
            "CREATE INDEX renders_by_end ON rendertracker.renders (ended_at)",
            """
            CREATE TABLE rendertracker.render_frames (
                render_id bigint NOT NULL, number bigint NOT NULL, status integer NOT NULL, render_seconds double precision,
                attempts bigint NOT NULL, machine_seconds double precision NOT NULL, machine text, error text,
                started_at double precision, finished_at double precision, failed_on text NOT NULL,
                PRIMARY KEY (render_id, number))
            """,
        ],
        [
            """
            CREATE TABLE rendertracker.limits (
                id integer PRIMARY KEY CHECK (id = 1), log_entries_per_frame bigint NOT NULL, log_bytes_per_frame bigint NOT NULL,
                message_bytes bigint NOT NULL, max_live_projects bigint NOT NULL)
            """
        ],
    ]

    /// Brings the database up to this build's schema.
    /// - Throws: `StoreError` when the database was migrated by a newer rendertracker.
    static func migrate(_ session: PostgresLink.Session, location: PostgresLocation) throws {
        try session.query("BEGIN")
        try session.query("SELECT pg_advisory_xact_lock(\(PostgresStore.migrationLockKey))")
        // Created only when missing: a role that may not create schemas can run on one made for it.
        if try session.query("SELECT 1 FROM pg_namespace WHERE nspname = 'rendertracker'").first(where: { _ in true }) == nil {
            try session.query("CREATE SCHEMA rendertracker")
        }
        try session.query("CREATE TABLE IF NOT EXISTS rendertracker.schema_version (version integer NOT NULL)")
        let rows = try session.query("SELECT version FROM rendertracker.schema_version")
        var version = 0
        for row in rows {
            version = try row.decode(Int.self)
        }
        if version > migrations.count {
            try session.query("ROLLBACK")
            throw StoreError(
                "\(location) was migrated by a newer rendertracker (schema \(version), this one knows \(migrations.count)): run that version")
        }
        for migration in migrations.dropFirst(version) {
            for statement in migration {
                try session.query(statement)
            }
        }
        try session.query("DELETE FROM rendertracker.schema_version")
        try session.query("INSERT INTO rendertracker.schema_version VALUES (\(max(version, migrations.count)))")
        try session.query("COMMIT")
    }
}
