import NIOCore
import PostgresNIO
import RenderTracker
import RenderTrackerService
import StoreCoding

/// The store's rows to and from the model's values: the live state as of a checkpoint, and past
/// renders. Sets of rows go in one statement each (`unnest` over arrays), not a statement per
/// row: a checkpoint of a 20,000-frame render is one round trip, not 20,000.
enum PostgresRows {
    // MARK: - Live state

    /// The live state as of the checkpoint: projects with their frames, and the log position and
    /// event counter it stands at.
    static func loadCheckpoint(_ session: PostgresLink.Session) throws -> (projects: [Project], position: Int, lastEventID: Int) {
        var position = 0
        var lastEventID = 0
        for row in try session.query("SELECT position, last_event_id FROM rendertracker.checkpoint") {
            (position, lastEventID) = try row.decode((Int, Int).self)
        }
        var records: [[UInt8]: ProjectRecord] = [:]
        for row in try session.query("SELECT name, header FROM rendertracker.projects") {
            let (name, header) = try row.decode((ByteBuffer, ByteBuffer).self)
            records[bytes(name)] = try FrameCoding.decodeRecord(bytes(header))
        }
        var frames: [[UInt8]: [Frame]] = [:]
        for row in try session.query("SELECT project, frame FROM rendertracker.frames ORDER BY project, number") {
            let (project, frame) = try row.decode((ByteBuffer, ByteBuffer).self)
            frames[bytes(project), default: []].append(try FrameCoding.decodeFrame(bytes(frame)))
        }
        let projects = records.map { key, record in Project(restoring: record, frames: frames[key] ?? []) }
        return (projects, position, lastEventID)
    }

    /// One checkpoint, in the transaction the caller opened: the position and counter the state
    /// stands at, what changed, the renders that ended. False (write nothing, roll back) when a
    /// checkpoint further along is there already: the row lock on `checkpoint` is the fence, so
    /// a daemon that lost the lease without knowing it yet cannot write older frames over newer.
    static func write(_ batch: CheckpointBatch, position: Int, reports: [RenderReport], in session: PostgresLink.Session) throws -> Bool {
        let fenced = try session.query("""
            UPDATE rendertracker.checkpoint SET position = \(position), last_event_id = \(batch.lastEventID) WHERE position <= \(position)
            """)
        guard fenced.metadata.rows == 1 else { return false }
        for key in batch.deleted {
            try deleteProject(key.name, in: session)
        }
        for change in batch.projects {
            switch change {
            case .rewrite(let project):
                try deleteProject(project.name, in: session)
                try writeProject(project.record, frames: project.allFrames, in: session)
            case let .update(record, frames):
                try writeProject(record, frames: frames, in: session)
            }
        }
        for report in reports {
            try writeRender(report, in: session)
        }
        return true
    }

    private static func deleteProject(_ name: String, in session: PostgresLink.Session) throws {
        let key = buffer(Array(name.utf8))
        try session.query("DELETE FROM rendertracker.frames WHERE project = \(key)")
        try session.query("DELETE FROM rendertracker.projects WHERE name = \(key)")
    }

    private static func writeProject(_ record: ProjectRecord, frames: [Frame], in session: PostgresLink.Session) throws {
        let key = buffer(Array(record.name.utf8))
        try session.query("""
            INSERT INTO rendertracker.projects (name, header) VALUES (\(key), \(buffer(FrameCoding.encode(record))))
            ON CONFLICT (name) DO UPDATE SET header = excluded.header
            """)
        // In pieces of `framesPerStatement`: a project of 100,000 frames is about 30 MB of
        // frames, too much for one message.
        var start = 0
        while start < frames.count {
            let piece = frames[start..<min(start + framesPerStatement, frames.count)]
            let numbers = piece.map { Int64($0.number) }
            let values = piece.map { buffer(FrameCoding.encode($0)) }
            try session.query("""
                INSERT INTO rendertracker.frames (project, number, frame)
                SELECT \(key), number, frame FROM unnest(\(numbers)::bigint[], \(values)::bytea[]) AS f(number, frame)
                ON CONFLICT (project, number) DO UPDATE SET frame = excluded.frame
                """)
            start += piece.count
        }
    }

    static let framesPerStatement = 1_000

    // MARK: - Past renders

    /// Keeps (or replaces, under the same id) one render and its frames. Text from clients goes
    /// into text columns with any NUL made U+FFFD (PostgreSQL's text cannot hold NUL); absent
    /// values travel as NaN or an empty string and are stored as NULL.
    static func writeRender(_ report: RenderReport, in session: PostgresLink.Session) throws {
        let render = report.render
        try session.query("""
            INSERT INTO rendertracker.renders (id, project, job_id, started_at, ended_at, state, ending, frames, done, errors, render_seconds)
            VALUES (\(render.renderID), \(text(render.project)), \(text(render.jobID)), \(render.startedAt.secondsSince1970),
                \(render.endedAt.secondsSince1970), \(render.state.rawValue), \(render.ending.rawValue), \(render.frames), \(render.done),
                \(render.errors), \(render.renderSeconds))
            ON CONFLICT (id) DO UPDATE SET project = excluded.project, job_id = excluded.job_id, started_at = excluded.started_at,
                ended_at = excluded.ended_at, state = excluded.state, ending = excluded.ending, frames = excluded.frames,
                done = excluded.done, errors = excluded.errors, render_seconds = excluded.render_seconds
            """)
        try session.query("DELETE FROM rendertracker.render_frames WHERE render_id = \(render.renderID)")
        let frames = report.frames
        guard !frames.isEmpty else { return }
        let numbers = frames.map { Int64($0.number) }
        let statuses = frames.map { Int64($0.status.rawValue) }
        let renderSeconds = frames.map { $0.renderSeconds ?? .nan }
        let attempts = frames.map { Int64($0.attempts) }
        let machineSeconds = frames.map(\.machineSeconds)
        let machines = frames.map { text($0.machine ?? "") }
        let errors = frames.map { text($0.error ?? "") }
        let started = frames.map { $0.renderStartedAt?.secondsSince1970 ?? .nan }
        let finished = frames.map { $0.finishedAt?.secondsSince1970 ?? .nan }
        let failedOn = frames.map { text($0.failedOn.joined(separator: "\n")) }
        try session.query("""
            INSERT INTO rendertracker.render_frames (render_id, number, status, render_seconds, attempts, machine_seconds, machine, error,
                started_at, finished_at, failed_on)
            SELECT \(render.renderID), number, status, NULLIF(render_seconds, 'NaN'), attempts, machine_seconds, NULLIF(machine, ''),
                NULLIF(error, ''), NULLIF(started_at, 'NaN'), NULLIF(finished_at, 'NaN'), failed_on
            FROM unnest(\(numbers)::bigint[], \(statuses)::bigint[], \(renderSeconds)::float8[], \(attempts)::bigint[],
                \(machineSeconds)::float8[], \(machines)::text[], \(errors)::text[], \(started)::float8[], \(finished)::float8[],
                \(failedOn)::text[])
                AS f(number, status, render_seconds, attempts, machine_seconds, machine, error, started_at, finished_at, failed_on)
            """)
    }

    private static func pastRender(_ row: PostgresRow) throws -> PastRender {
        let (id, project, jobID, startedAt, endedAt, state, ending, frames, done, errors, renderSeconds) = try row.decode(
            (Int, String, String, Double, Double, String, String, Int, Int, Int, Double).self)
        return PastRender(
            renderID: id, project: project, jobID: jobID, startedAt: Timestamp(secondsSince1970: startedAt),
            endedAt: Timestamp(secondsSince1970: endedAt), state: ProjectState(rawValue: state) ?? .failed,
            ending: PastRender.Ending(rawValue: ending) ?? .removed, frames: frames, done: done, errors: errors, renderSeconds: renderSeconds)
    }

    static func history(of project: String, limit: Int, in session: PostgresLink.Session) throws -> [PastRender] {
        try session.query("""
            SELECT id, project, job_id, started_at, ended_at, state, ending, frames, done, errors, render_seconds
            FROM rendertracker.renders WHERE project = \(text(project)) ORDER BY id DESC LIMIT \(limit)
            """).map(pastRender)
    }

    static func report(renderID: Int, in session: PostgresLink.Session) throws -> RenderReport? {
        guard let row = try session.query("""
            SELECT id, project, job_id, started_at, ended_at, state, ending, frames, done, errors, render_seconds
            FROM rendertracker.renders WHERE id = \(renderID)
            """).first(where: { _ in true })
        else { return nil }
        let frames = try session.query("""
            SELECT number, status, render_seconds, attempts, machine_seconds, machine, error, started_at, finished_at, failed_on
            FROM rendertracker.render_frames WHERE render_id = \(renderID) ORDER BY number
            """).map { row in
            let (number, status, renderSeconds, attempts, machineSeconds, machine, error, started, finished, failedOn) = try row.decode(
                (Int, Int, Double?, Int, Double, String?, String?, Double?, Double?, String).self)
            return FrameResult(
                number: number, status: FrameStatus(rawValue: status) ?? .error, renderSeconds: renderSeconds, attempts: attempts,
                machineSeconds: machineSeconds, machine: machine, error: error, renderStartedAt: started.map(Timestamp.init(secondsSince1970:)),
                finishedAt: finished.map(Timestamp.init(secondsSince1970:)), failedOn: failedOn.split(separator: "\n").map(String.init))
        }
        return RenderReport(render: try pastRender(row), frames: frames)
    }

    /// The newest past render of each shot (`ShotHistory.key`) among the newest 4,096 renders
    /// that finished or timed a frame, as the SQLite store gives them: what the estimate learned
    /// from before a restart.
    static func shotHistories(in session: PostgresLink.Session) throws -> [ShotHistory] {
        var newest: [String: Int] = [:]
        for row in try session.query("""
            SELECT id, project FROM rendertracker.renders r WHERE ending != \(PastRender.Ending.live.rawValue)
                AND (state = \(ProjectState.done.rawValue) OR EXISTS (
                    SELECT 1 FROM rendertracker.render_frames f WHERE f.render_id = r.id AND f.render_seconds IS NOT NULL))
            ORDER BY id DESC LIMIT 4096
            """) {
            let (id, project) = try row.decode((Int, String).self)
            let key = ShotHistory.key(of: project)
            if newest[key] == nil, newest.count < 256 { newest[key] = id }
        }
        return try newest.values.sorted().compactMap { id in try report(renderID: id, in: session).flatMap(ShotHistory.init(of:)) }
    }

    /// Past renders that ended more than `days` ago go, with their frames.
    static func prune(olderThan cutoff: Double, in session: PostgresLink.Session) throws {
        try session.query("""
            DELETE FROM rendertracker.render_frames WHERE render_id IN (
                SELECT id FROM rendertracker.renders WHERE ended_at < \(cutoff) AND ending != \(PastRender.Ending.live.rawValue))
            """)
        try session.query("DELETE FROM rendertracker.renders WHERE ended_at < \(cutoff) AND ending != \(PastRender.Ending.live.rawValue)")
    }

    // MARK: - Values

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        Array(buffer.readableBytesView)
    }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    /// Client text as a text column holds it: NUL cannot be stored, so it becomes U+FFFD.
    static func text(_ value: String) -> String {
        value.contains("\0") ? value.replacing("\0", with: "\u{FFFD}") : value
    }
}
