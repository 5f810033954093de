import Foundation
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// A store written by the first schema (`Fixtures/schema-1.db`, made by `writeFixture` below with
/// the code of commit 60bd427, before migration 2) opens in this version with everything in it:
/// live projects, frames, logs, the event counter, past renders and their reports. Every later
/// schema must keep passing this; never regenerate the fixture with a newer schema.
@Suite("SQLite store: migrations")
struct MigrationTests {
    static let shot = "anna/fixture"

    static func start(_ at: Double, _ frame: Int, job: String, version: Int) -> Call {
        Call(at, "startedFrameRender", [.string(shot), .int(frame), .string(job), .string("/renders/fixture/v\(version).\(frame).exr")],
            from: "10.0.0.\(frame)")
    }

    static func fraction(_ at: Double, _ frame: Int, _ value: Double) -> Call {
        Call(at, "setFrameRenderFraction", [.string(shot), .int(frame), .double(value)], from: "10.0.0.\(frame)")
    }

    /// What the fixture holds: a render of two frames, done, then replaced by a render of four
    /// (one done, one in Error, one rendering, one waiting); a project removed; the bare counter.
    static let fixtureCalls: [Call] = [
        Call(0, "startedRenderProject", [.string(shot), frames(1...2), .bool(false), .string("6")], from: "10.0.0.9"),
        start(1, 1, job: "6", version: 1),
        start(2, 2, job: "6", version: 1),
        fraction(11, 1, 1),
        fraction(22, 2, 1),
        Call(30, "startedRenderProject", [.string(shot), frames(1...4), .bool(false), .string("7")], from: "10.0.0.9"),
        start(31, 1, job: "7", version: 2),
        start(32, 2, job: "7", version: 2),
        start(33, 3, job: "7", version: 2),
        Call(37, "setFrameError", [.string(shot), .int(2), .string("disk full")], from: "10.0.0.2"),
        fraction(38, 3, 0.5),
        fraction(41, 1, 1),
        Call(42, "startedRenderProject", [.string("bob/other"), frames(1...1), .bool(false), .string("8")], from: "10.0.0.8"),
        Call(43, "removeProject", [.string("bob/other")], from: "10.0.0.8"),
        Call(44, "incrementAndGetLastEventId", [], from: "10.0.0.9"),
    ]

    /// Writes the fixture to $RENDERTRACKER_WRITE_SCHEMA_FIXTURE, checkpointed and closed (no -wal).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RENDERTRACKER_WRITE_SCHEMA_FIXTURE"] != nil))
    func writeFixture() throws {
        let output = try #require(ProcessInfo.processInfo.environment["RENDERTRACKER_WRITE_SCHEMA_FIXTURE"])
        let folder = TemporaryFolder()
        do {
            let life = try StoreLife(path: folder.store)
            life.core.make(Self.fixtureCalls, clock: life.clock)
            life.close()
        }
        #expect(!FileManager.default.fileExists(atPath: folder.store + "-wal"), "the store is not checkpointed")
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.copyItem(atPath: folder.store, toPath: output)
    }

    static func time(_ seconds: Double) -> RPCValue {
        .string(startOfTime.advanced(bySeconds: seconds).iso8601)
    }

    /// The fixture, copied into a fresh folder as the store.
    private func migratedStore() throws -> TemporaryFolder {
        let fixture = try #require(Bundle.module.url(forResource: "schema-1", withExtension: "db", subdirectory: "Fixtures"))
        let folder = TemporaryFolder()
        try FileManager.default.copyItem(atPath: fixture.path, toPath: folder.store)
        return folder
    }

    @Test("a store written by schema 1 opens with its projects, frames, logs, counter and past renders")
    func schemaOne() throws {
        let folder = try migratedStore()
        let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 50))
        #expect(life.restored.replayedWrites == 0)
        #expect(life.restored.lastEventID == 21)
        let core = life.core

        #expect(try core.answer("getAllProjects", []) == .array([.string(Self.shot)]))
        #expect(try core.answer("getAllFramesInfo", [.string(Self.shot)]) == .array([
            .array([.int(1), .int(FrameStatus.done.rawValue), .double(1)]),
            .array([.int(2), .int(FrameStatus.error.rawValue), .double(0)]),
            .array([.int(3), .int(FrameStatus.rendering.rawValue), .double(0.5)]),
            .array([.int(4), .int(FrameStatus.waiting.rawValue), .double(0)]),
        ]))
        #expect(try core.answer("getFrameJobID", [.string(Self.shot), .int(3)]) == .string("7"))
        #expect(try core.answer("getImagePath", [.string(Self.shot), .int(3)]) == .string("/renders/fixture/v2.3.exr"))
        #expect(try core.answer("getImagePath", [.string(Self.shot), .int(4)]) == .null)
        let log = try core.answer("getFrameLog", [.string(Self.shot), .int(2)]).elements.compactMap(\.text)
        #expect(log.count == 3, "\(log)")
        #expect(log.first?.hasPrefix("2026-01-01T00:00:30.000Z ") == true, "\(log)")
        #expect(log.dropFirst().first?.hasPrefix("2026-01-01T00:00:32.000Z ") == true, "\(log)")
        #expect(log.last?.hasPrefix("2026-01-01T00:00:37.000Z ") == true && log.last?.contains("disk full") == true, "\(log)")
        // A monitor's cursor from before the upgrade.
        #expect(try core.answer("getChangedFrames", [.string(Self.shot), .int(15)]) == .structure([
            "event_id": .int(21), "reset": .bool(false),
            "frames": .array([
                .array([.int(2), .int(FrameStatus.error.rawValue), .double(0)]),
                .array([.int(3), .int(FrameStatus.rendering.rawValue), .double(0.5)]),
                .array([.int(1), .int(FrameStatus.done.rawValue), .double(1)]),
            ]),
        ]))
        // The estimate's evidence: frame 1's 10 s render (31 to 41 s).
        #expect(life.tracker.read { $0.project(named: Self.shot)?.renderDurations.inOrder } == [10])

        let firstRender = RPCValue.structure([
            "render_id": .int(1), "project": .string(Self.shot), "job_id": .string("6"), "started": Self.time(0), "ended": Self.time(22),
            "state": .string("done"), "ending": .string("replaced"), "frames": .int(2), "done": .int(2), "errors": .int(0),
            "render_seconds": .double(30), "wall_seconds": .double(22),
        ])
        let history = try core.answer("getRenderHistory", [.string(Self.shot)]).elements
        #expect(history.count == 2)
        #expect(history.first?["render_id"] == .int(8))
        #expect(history.first?["ending"] == .string("live"))
        #expect(history.last == firstRender)

        let report = try core.answer("getRenderReport", [.int(1)])
        #expect(report["render"] == firstRender)
        #expect(report["frames"] == .array([
            .structure([
                "frame": .int(1), "status": .string("Done"), "render_seconds": .double(10), "attempts": .int(1),
                "machine_seconds": .double(10), "machine": .string("10.0.0.1"), "error": .null, "cause": .null, "started": Self.time(1),
                "finished": Self.time(11), "failed_on": .array([]),
            ]),
            .structure([
                "frame": .int(2), "status": .string("Done"), "render_seconds": .double(20), "attempts": .int(1),
                "machine_seconds": .double(20), "machine": .string("10.0.0.2"), "error": .null, "cause": .null, "started": Self.time(2),
                "finished": Self.time(22), "failed_on": .array([]),
            ]),
        ]))
        #expect(report["frame_seconds"]?["p50"] == .double(10))
        #expect(report["frame_seconds"]?["max"] == .double(20))

        let removed = try core.answer("getRenderHistory", [.string("bob/other")])
        #expect(removed == .array([.structure([
            "render_id": .int(19), "project": .string("bob/other"), "job_id": .string("8"), "started": Self.time(42),
            "ended": Self.time(42), "state": .string("running"), "ending": .string("removed"), "frames": .int(1), "done": .int(0),
            "errors": .int(0), "render_seconds": .double(0), "wall_seconds": .double(0),
        ])]))

        // The live render's frame in Error was reported by its machine: schema 1's report counted
        // it under that machine, and so does this one's (not under "unknown").
        let live = try core.answer("getRenderReport", [.int(8)])
        #expect(live["frames"]?.elements.dropFirst().first?["error"] == .string("disk full"))
        #expect(live["frames"]?.elements.dropFirst().first?["machine"] == .string("10.0.0.2"))
        #expect(live["frames"]?.elements.dropFirst().first?["failed_on"] == .array([.string("10.0.0.2")]))
        #expect(live["failures_by_machine"] == .array([.structure(["machine": .string("10.0.0.2"), "failures": .int(1)])]))
    }

    @Test("a store migrated from schema 1 takes new writes and keeps them across a restart")
    func schemaOneGoesOn() throws {
        let folder = try migratedStore()
        let more = [
            Self.fraction(60, 3, 1),
            Self.start(61, 4, job: "7", version: 2),
            Call(62, "setFrameError", [.string(Self.shot), .int(4), .string("bad node")], from: "10.0.0.4"),
            Call(70, "startedRenderProject", [.string(Self.shot), frames(1...1), .bool(false), .string("9")], from: "10.0.0.9"),
        ]
        do {
            let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 50))
            life.core.make(more, clock: life.clock)
            life.checkpoint()
        }
        let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 80))
        #expect(life.restored.lastEventID == 26)
        let history = try life.core.answer("getRenderHistory", [.string(Self.shot)]).elements
        #expect(history.map { $0["ending"] } == [.string("live"), .string("replaced"), .string("replaced")])
        #expect(history.map { $0["render_id"] } == [.int(25), .int(8), .int(1)])
        let second = try life.core.answer("getRenderReport", [.int(8)])
        #expect(second["render"]?["done"] == .int(2))
        #expect(second["render"]?["errors"] == .int(2))
        #expect(second["frames"]?.elements.last?["failed_on"] == .array([.string("10.0.0.4")]))
    }
}
