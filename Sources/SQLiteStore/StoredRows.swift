import Foundation
import GRDB
import RenderTracker
import StoreCoding

/// The store's rows to and from the model's values: live projects and frames, past renders.
enum StoredRows {
    // MARK: - Live projects

    /// Every live project with its frames, as of the last checkpoint.
    static func loadProjects(_ db: Database) throws -> [Project] {
        // Keyed by bytes, as the tracker keys names (SQLite's TEXT keys compare bytes too).
        var records: [ProjectKey: ProjectRecord] = [:]
        let projects = try Row.fetchCursor(db, sql: """
            SELECT name, job_id, generates_ifds, started_at, created_event_id, created_implicitly, last_event_id,
                   last_project_error, last_changed_at, peak_rendering, evidence FROM projects
            """)
        while let row = try projects.next() {
            let name: String = try row.decode(atIndex: 0)
            var evidence = ByteReader([UInt8](try row.decode(Data.self, atIndex: 10)))
            records[ProjectKey(name)] = ProjectRecord(
                name: name, jobID: try row.decode(atIndex: 1), generatesIFDs: try row.decode(atIndex: 2),
                startedAt: Timestamp(secondsSince1970: try row.decode(atIndex: 3)), createdEventID: try row.decode(atIndex: 4),
                createdImplicitly: try row.decode(atIndex: 5), lastEventID: try row.decode(atIndex: 6),
                lastProjectError: try row.decode(atIndex: 7), lastChangedAt: Timestamp(secondsSince1970: try row.decode(atIndex: 8)),
                peakRendering: try row.decode(atIndex: 9), renderDurations: try evidence.doubles(),
                downloadDurations: try evidence.doubles(), completionTimes: try evidence.doubles())
        }
        var frames: [ProjectKey: [Frame]] = [:]
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT project, number, status, render_fraction, download_fraction, job_id, image_path, error, event_id,
                   render_started_at, render_seen_from_start, download_started_at, finished_at, last_progress_at, machine, attempts,
                   render_seconds, machine_seconds, log, failed_on FROM frames ORDER BY project
            """)
        var current: (name: ProjectKey, frames: [Frame])?
        while let row = try cursor.next() {
            let name = ProjectKey(try row.decode(String.self, atIndex: 0))
            if current?.name != name {
                if let current { frames[current.name] = current.frames }
                current = (name, [])
            }
            let imagePath: String? = try row.decode(atIndex: 6)
            let status = FrameStatus(rawValue: try row.decode(atIndex: 2)) ?? .waiting
            let log = try FrameLogCoding.decode([UInt8](try row.decode(Data.self, atIndex: 18)), imagePath: imagePath)
            current?.frames.append(Frame(
                number: try row.decode(atIndex: 1), status: status, renderFraction: try row.decode(atIndex: 3),
                downloadFraction: try row.decode(atIndex: 4), jobID: try row.decode(atIndex: 5), imagePath: imagePath,
                errorMessage: try row.decode(atIndex: 7), eventID: try row.decode(atIndex: 8), log: log,
                renderStartedAt: timestamp(try row.decode(atIndex: 9)), renderSeenFromStart: try row.decode(atIndex: 10),
                downloadStartedAt: timestamp(try row.decode(atIndex: 11)), finishedAt: timestamp(try row.decode(atIndex: 12)),
                lastProgressAt: timestamp(try row.decode(atIndex: 13)), machine: try row.decode(atIndex: 14),
                attempts: try row.decode(atIndex: 15), renderSeconds: try row.decode(atIndex: 16), machineSeconds: try row.decode(atIndex: 17),
                failedOn: machines(try row.decode(atIndex: 19))))
        }
        if let current { frames[current.name] = current.frames }
        return records.values.map { Project(restoring: $0, frames: frames[ProjectKey($0.name)] ?? []) }
    }

    /// The machines of failed attempts, one per line (addresses hold no line break).
    private static func machines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    private static func timestamp(_ seconds: Double?) -> Timestamp? {
        seconds.map(Timestamp.init(secondsSince1970:))
    }

    /// One checkpoint, in the transaction the caller opened.
    static func write(_ batch: CheckpointBatch, reports: [RenderReport], in db: Database) throws {
        for key in batch.deleted {
            try deleteProject(key.name, in: db)
        }
        for change in batch.projects {
            switch change {
            case .rewrite(let project):
                try deleteProject(project.name, in: db)
                try writeProject(project.record, in: db)
                for frame in project.allFrames {
                    try writeFrame(frame, of: project.name, in: db)
                }
            case let .update(record, frames):
                try writeProject(record, in: db)
                for frame in frames {
                    try writeFrame(frame, of: record.name, in: db)
                }
            }
        }
        for report in reports {
            try writeRender(report, in: db)
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_event_id', ?), ('applied_sequence', ?)",
            arguments: [batch.lastEventID, Int64(bitPattern: batch.sequence)])
    }

    private static func deleteProject(_ name: String, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM frames WHERE project = ?").execute(arguments: [name])
        try db.cachedStatement(sql: "DELETE FROM projects WHERE name = ?").execute(arguments: [name])
    }

    private static func writeProject(_ record: ProjectRecord, in db: Database) throws {
        var evidence = ByteWriter()
        evidence.doubles(record.renderDurations)
        evidence.doubles(record.downloadDurations)
        evidence.doubles(record.completionTimes)
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO projects (name, job_id, generates_ifds, started_at, created_event_id, created_implicitly,
                last_event_id, last_project_error, last_changed_at, peak_rendering, evidence) VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                record.name, record.jobID, record.generatesIFDs, record.startedAt.secondsSince1970, record.createdEventID,
                record.createdImplicitly, record.lastEventID, record.lastProjectError, record.lastChangedAt.secondsSince1970,
                record.peakRendering, Data(evidence.bytes),
            ])
    }

    private static func writeFrame(_ frame: Frame, of project: String, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO frames (project, number, status, render_fraction, download_fraction, job_id, image_path, error,
                event_id, render_started_at, render_seen_from_start, download_started_at, finished_at, last_progress_at, machine,
                attempts, render_seconds, machine_seconds, log, failed_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                project, frame.number, frame.status.rawValue, frame.renderFraction, frame.downloadFraction, frame.jobID, frame.imagePath,
                frame.errorMessage, frame.eventID, frame.renderStartedAt?.secondsSince1970, frame.renderSeenFromStart,
                frame.downloadStartedAt?.secondsSince1970, frame.finishedAt?.secondsSince1970, frame.lastProgressAt?.secondsSince1970,
                frame.machine, frame.attempts, frame.renderSeconds, frame.machineSeconds, Data(FrameLogCoding.encode(frame.log)),
                frame.failedOn.joined(separator: "\n"),
            ])
    }

    // MARK: - Past renders

    /// Keeps (or replaces, under the same id) one render and its frames.
    static func writeRender(_ report: RenderReport, in db: Database) throws {
        let render = report.render
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO renders (id, project, job_id, started_at, ended_at, state, ending, frames, done, errors,
                render_seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                render.renderID, render.project, render.jobID, render.startedAt.secondsSince1970, render.endedAt.secondsSince1970,
                render.state.rawValue, render.ending.rawValue, render.frames, render.done, render.errors, render.renderSeconds,
            ])
        try db.cachedStatement(sql: "DELETE FROM render_frames WHERE render_id = ?").execute(arguments: [render.renderID])
        let insert = try db.cachedStatement(sql: """
            INSERT INTO render_frames (render_id, number, status, render_seconds, attempts, machine_seconds, machine, error,
                started_at, finished_at, failed_on) VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """)
        for frame in report.frames {
            try insert.execute(arguments: [
                render.renderID, frame.number, frame.status.rawValue, frame.renderSeconds, frame.attempts, frame.machineSeconds,
                frame.machine, frame.error, frame.renderStartedAt?.secondsSince1970, frame.finishedAt?.secondsSince1970,
                frame.failedOn.joined(separator: "\n"),
            ])
        }
    }

    private static let renderColumns = "id, project, job_id, started_at, ended_at, state, ending, frames, done, errors, render_seconds"

    private static func pastRender(_ row: Row) throws -> PastRender {
        PastRender(
            renderID: try row.decode(atIndex: 0), project: try row.decode(atIndex: 1), jobID: try row.decode(atIndex: 2),
            startedAt: Timestamp(secondsSince1970: try row.decode(atIndex: 3)),
            endedAt: Timestamp(secondsSince1970: try row.decode(atIndex: 4)),
            state: ProjectState(rawValue: try row.decode(atIndex: 5)) ?? .failed,
            ending: PastRender.Ending(rawValue: try row.decode(atIndex: 6)) ?? .removed, frames: try row.decode(atIndex: 7),
            done: try row.decode(atIndex: 8), errors: try row.decode(atIndex: 9), renderSeconds: try row.decode(atIndex: 10))
    }

    static func history(of project: String, limit: Int, in db: Database) throws -> [PastRender] {
        try Row.fetchAll(db, sql: "SELECT \(renderColumns) FROM renders WHERE project = ? ORDER BY id DESC LIMIT ?", arguments: [project, limit])
            .map { row in try pastRender(row) }
    }

    /// The newest past render of each shot (`ShotHistory.key`), for at most `ShotHistories`'s
    /// capacity of shots, from the newest 4,096 renders: what the estimate learned from before a restart.
    static func shotHistories(_ db: Database) throws -> [ShotHistory] {
        var newest: [String: Int] = [:]
        // Live renders are the projects themselves, restored as such, not their own history; as
        // the tracker does (`Tracker.apply`), a render counts once it finished or timed a frame.
        let candidates = try Row.fetchAll(db, sql: """
            SELECT id, project FROM renders WHERE ending != ? AND (state = ? OR EXISTS (
                SELECT 1 FROM render_frames WHERE render_frames.render_id = renders.id AND render_frames.render_seconds IS NOT NULL))
            ORDER BY id DESC LIMIT 4096
            """, arguments: [PastRender.Ending.live.rawValue, ProjectState.done.rawValue])
        for row in candidates {
            let key = ShotHistory.key(of: try row.decode(String.self, atIndex: 1))
            if newest[key] == nil, newest.count < 256 { newest[key] = try row.decode(Int.self, atIndex: 0) }
        }
        return try newest.values.sorted().compactMap { id in try report(renderID: id, in: db).flatMap(ShotHistory.init(of:)) }
    }

    static func report(renderID: Int, in db: Database) throws -> RenderReport? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(renderColumns) FROM renders WHERE id = ?", arguments: [renderID]) else {
            return nil
        }
        let frames = try Row.fetchAll(db, sql: """
            SELECT number, status, render_seconds, attempts, machine_seconds, machine, error, started_at, finished_at, failed_on
            FROM render_frames WHERE render_id = ? ORDER BY number
            """, arguments: [renderID]).map { row in
            FrameResult(
                number: try row.decode(atIndex: 0), status: FrameStatus(rawValue: try row.decode(atIndex: 1)) ?? .error,
                renderSeconds: try row.decode(atIndex: 2), attempts: try row.decode(atIndex: 3), machineSeconds: try row.decode(atIndex: 4),
                machine: try row.decode(atIndex: 5), error: try row.decode(atIndex: 6), renderStartedAt: timestamp(try row.decode(atIndex: 7)),
                finishedAt: timestamp(try row.decode(atIndex: 8)), failedOn: machines(try row.decode(atIndex: 9)))
        }
        return RenderReport(render: try pastRender(row), frames: frames)
    }
}
