import GRDB

/// The store's tables, versioned by GRDB's migrator: a store written by an older schema is
/// brought up to date when opened (Tests/SQLiteStoreTests/Fixtures holds one written by the
/// first), and a store written by a newer rendertracker is refused rather than misread.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1: live projects, frames, past renders") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                CREATE TABLE projects (
                    name TEXT PRIMARY KEY, job_id TEXT NOT NULL, generates_ifds INTEGER NOT NULL, started_at REAL NOT NULL,
                    created_event_id INTEGER NOT NULL, created_implicitly INTEGER NOT NULL, last_event_id INTEGER NOT NULL,
                    last_project_error TEXT, last_changed_at REAL NOT NULL, peak_rendering INTEGER NOT NULL, evidence BLOB NOT NULL);
                CREATE TABLE frames (
                    project TEXT NOT NULL, number INTEGER NOT NULL, status INTEGER NOT NULL, render_fraction REAL NOT NULL,
                    download_fraction REAL NOT NULL, job_id TEXT NOT NULL, image_path TEXT, error TEXT, event_id INTEGER NOT NULL,
                    render_started_at REAL, render_seen_from_start INTEGER NOT NULL, download_started_at REAL, finished_at REAL,
                    last_progress_at REAL, machine TEXT, attempts INTEGER NOT NULL, render_seconds REAL, machine_seconds REAL NOT NULL,
                    log BLOB NOT NULL,
                    PRIMARY KEY (project, number)) WITHOUT ROWID;
                CREATE TABLE renders (
                    id INTEGER PRIMARY KEY, project TEXT NOT NULL, job_id TEXT NOT NULL, started_at REAL NOT NULL,
                    ended_at REAL NOT NULL, state TEXT NOT NULL, ending TEXT NOT NULL, frames INTEGER NOT NULL, done INTEGER NOT NULL,
                    errors INTEGER NOT NULL, render_seconds REAL NOT NULL);
                CREATE INDEX renders_by_project ON renders (project, id);
                CREATE INDEX renders_by_end ON renders (ended_at);
                CREATE TABLE render_frames (
                    render_id INTEGER NOT NULL, number INTEGER NOT NULL, status INTEGER NOT NULL, render_seconds REAL,
                    attempts INTEGER NOT NULL, machine_seconds REAL NOT NULL, machine TEXT, error TEXT, started_at REAL,
                    finished_at REAL,
                    PRIMARY KEY (render_id, number)) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("2: the machines of failed attempts") { db in
            try db.execute(sql: """
                ALTER TABLE frames ADD COLUMN failed_on TEXT NOT NULL DEFAULT '';
                ALTER TABLE render_frames ADD COLUMN failed_on TEXT NOT NULL DEFAULT '';
                """)
            // A frame schema 1 kept in Error failed on its machine: its reports counted it there, and
            // go on doing so (not under "unknown").
            try db.execute(sql: """
                UPDATE frames SET failed_on = machine WHERE status = 6 AND machine IS NOT NULL;
                UPDATE render_frames SET failed_on = machine WHERE status = 6 AND machine IS NOT NULL;
                """)
        }
        return migrator
    }
}
