import Foundation
import Logging
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// A store in trouble never fails a write: the tracker goes on from memory, `health` says why
/// (logged when it starts and when it ends, not per call), and once the trouble is over the next
/// checkpoint writes out everything, so a restart finds it all.
@Suite("SQLite store: trouble writing")
struct StoreTroubleTests {
    static let shot = "ops/trouble"

    static func progress(_ at: Double, _ frame: Int, _ fraction: Double, project: String = shot) -> Call {
        Call(at, "setFrameRenderFraction", [.string(project), .int(frame), .double(fraction)], from: "10.0.0.\(frame)")
    }

    static func start(_ at: Double, _ frame: Int, project: String = shot) -> Call {
        Call(at, "startedFrameRender", [.string(project), .int(frame), .string("7"), .string("/r/\(frame).exr")], from: "10.0.0.\(frame)")
    }

    /// Makes `calls` on the store's tracker and on the reference.
    private func both(_ calls: [Call], _ life: StoreLife, _ reference: ReferenceTracker) {
        life.core.make(calls, clock: life.clock)
        reference.core.make(calls, clock: reference.clock)
    }

    private func degradedMessages(_ log: CapturedLog) -> [String] {
        log.messages(atLeast: .error).filter { $0.message.contains("the store is degraded") }.map { $0.metadata["problem"] ?? "" }
    }

    @Test("a journal that cannot be written: calls succeed, health says why once, and the next checkpoint after the fix clears it")
    func journalUnwritable() throws {
        let folder = TemporaryFolder()
        let reference = ReferenceTracker()
        let log = CapturedLog()
        let afterFix: [Call]
        do {
            let life = try StoreLife(path: folder.store, logger: log.logger)
            both([Call(0, "startedRenderProject", [.string(Self.shot), frames(1...8), .bool(false), .string("7")])]
                + (1...4).map { Self.start(1, $0) }, life, reference)
            life.checkpoint()
            #expect(life.store.health.problem == nil)

            // The journal's folder becomes a file: the next segment cannot be opened.
            try FileManager.default.removeItem(atPath: folder.journal)
            try Data("in the way".utf8).write(to: URL(fileURLWithPath: folder.journal))
            both((1...4).map { Self.progress(10, $0, 0.5) }, life, reference)
            life.checkpoint()
            let problem = try #require(life.store.health.problem)
            #expect(problem.contains(folder.journal), "\(problem)")
            // Every write still succeeds (make records any fault), while degraded.
            both((1...4).map { Self.progress(20, $0, 1) } + (5...8).map { Self.start(21, $0) }, life, reference)
            for _ in 0..<5 { life.store.tick(life.tracker) }
            #expect(life.store.health.problem == problem)
            #expect(degradedMessages(log) == [problem], "logged once, not per call or per tick")
            life.checkpoint()
            #expect(life.store.health.isDegraded)

            // Fixed: the folder is back. The next checkpoint opens a segment and clears the problem.
            try FileManager.default.removeItem(atPath: folder.journal)
            try FileManager.default.createDirectory(atPath: folder.journal, withIntermediateDirectories: false)
            life.checkpoint()
            #expect(life.store.health.problem == nil)
            life.store.tick(life.tracker)
            #expect(log.messages(atLeast: .notice).contains { $0.message.contains("the store recovered") && $0.metadata["was"] == problem })
            // Journaled again: these survive the crash below without a checkpoint.
            afterFix = (5...8).map { Self.progress(30, $0, 0.5) }
            both(afterFix, life, reference)
        }
        let later = startOfTime.advanced(bySeconds: 40)
        reference.clock.set(later)
        let life = try StoreLife(path: folder.store, at: later)
        #expect(life.restored.replayedWrites == afterFix.count)
        #expect(life.restored.lostWrites == 0)
        expectSameState(life.tracker, as: reference.core.tracker, "after the trouble and a crash")
    }

    /// Holds SQLite's write lock on `path` from another process (Python's sqlite3) until released:
    /// the store's checkpoint waits its busy timeout, then fails.
    final class WriteLockHolder {
        let process = Process()
        let input = Pipe()

        init(path: String) throws {
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import sqlite3, sys
                connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
                connection.execute("BEGIN IMMEDIATE")
                print("locked", flush=True)
                sys.stdin.readline()
                connection.execute("ROLLBACK")
                """, path]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var said = ""
            while !said.contains("locked") {
                let data = output.fileHandleForReading.availableData
                guard !data.isEmpty else { throw CocoaError(.fileReadUnknown) }
                said += String(decoding: data, as: UTF8.self)
            }
        }

        func release() {
            input.fileHandleForWriting.write(Data("\n".utf8))
            process.waitUntilExit()
        }
    }

    @Test("a checkpoint that fails keeps what it took: the next one writes it with what came after, and a restart needs no journal")
    func databaseUnwritable() throws {
        let folder = TemporaryFolder()
        let reference = ReferenceTracker()
        let log = CapturedLog()
        let replacedID: Int
        do {
            let life = try StoreLife(path: folder.store, logger: log.logger)
            both([
                Call(0, "startedRenderProject", [.string(Self.shot), frames(1...6), .bool(false), .string("7")]),
                Call(0, "startedRenderProject", [.string("ops/other"), frames(1...2), .bool(false), .string("8")]),
                Call(0, "startedRenderProject", [.string("ops/gone"), frames(1...2), .bool(false), .string("9")]),
            ] + (1...3).map { Self.start(1, $0) }, life, reference)
            life.checkpoint()
            // The first tick prunes past renders (a write that would wait on the lock below too).
            life.store.tick(life.tracker)
            replacedID = try #require(life.tracker.read { $0.project(named: "ops/other")?.createdEventID })

            // What the failing checkpoint takes: progress, a re-render, a new project, an implicit one.
            both((1...3).map { Self.progress(10, $0, 0.5) } + [
                Call(11, "startedRenderProject", [.string("ops/other"), frames(1...3), .bool(false), .string("18")]),
                Call(12, "startedRenderProject", [.string("ops/new"), frames(1...2), .bool(false), .string("19")]),
                Self.progress(13, 1, 0.5, project: "ops/implicit"),
            ], life, reference)
            let holder = try WriteLockHolder(path: folder.store)
            life.checkpoint()
            let problem = try #require(life.store.health.problem)
            #expect(problem.contains("writing \(folder.store) failed"), "\(problem)")
            #expect(life.store.health.pendingWrites > 0)
            life.store.tick(life.tracker)

            // After it, while the database is still locked: more on the same frames and projects,
            // a removal of a project the failed checkpoint had, another re-render.
            both((1...3).map { Self.progress(20, $0, 1) } + (4...6).map { Self.start(21, $0) } + [
                Self.progress(22, 1, 1, project: "ops/new"),
                Call(23, "removeProject", [.string("ops/gone")]),
                Self.progress(24, 2, 0.5, project: "ops/implicit"),
            ], life, reference)
            holder.release()

            life.checkpoint()
            #expect(life.store.health.problem == nil)
            #expect(life.store.health.pendingWrites == 0)
            life.store.tick(life.tracker)
            #expect(degradedMessages(log) == [problem])
            #expect(log.messages(atLeast: .notice).contains { $0.message.contains("the store recovered") })
            // The checkpoint covered every journal segment but the one being written.
            #expect(folder.segments().count == 1, "\(folder.segments())")
        }
        let later = startOfTime.advanced(bySeconds: 40)
        reference.clock.set(later)
        let life = try StoreLife(path: folder.store, at: later)
        #expect(life.restored.replayedWrites == 0, "the database alone holds everything")
        expectSameState(life.tracker, as: reference.core.tracker, "after the failed checkpoint and a good one")
        let history = try life.core.answer("getRenderHistory", [.string("ops/other")]).elements
        #expect(history.map { $0["ending"] } == [.string("live"), .string("replaced")])
        #expect(history.last?["render_id"] == .int(replacedID))
        #expect(try life.core.answer("getRenderHistory", [.string("ops/gone")]).elements.map { $0["ending"] } == [.string("removed")])
    }
}

/// Past `maxLiveProjects`, projects leave memory: finished ones first, then the running ones
/// silent longest. They stay in the history as "evicted".
@Suite("SQLite store: the live-project limit")
struct LiveProjectLimitTests {
    static let limits = TrackerLimits(maxLiveProjects: 3)

    static func started(_ at: Double, _ name: String) -> Call {
        Call(at, "startedRenderProject", [.string(name), frames(1...2), .bool(false), .string("1")])
    }

    static func render(_ at: Double, _ name: String, _ fraction: Double? = nil) -> Call {
        if let fraction {
            return Call(at, "setFrameRenderFraction", [.string(name), .int(1), .double(fraction)])
        }
        return Call(at, "startedFrameRender", [.string(name), .int(1), .string("1"), .string("/r/1.exr")])
    }

    private func endings(_ core: TrackerCore, _ name: String) throws -> [RPCValue?] {
        try core.answer("getRenderHistory", [.string(name)]).elements.map { $0["ending"] }
    }

    private func expectLimitOutcome(_ core: TrackerCore, _ when: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try core.answer("getAllProjects", []) == .array(["p4", "p5", "p6"].map(RPCValue.string)), "\(when)",
            sourceLocation: sourceLocation)
        for evicted in ["p1", "p2", "p3"] {
            #expect(try endings(core, evicted) == [.string("evicted")], "\(when): \(evicted)", sourceLocation: sourceLocation)
        }
        let p1 = try core.answer("getRenderHistory", [.string("p1")]).elements.first
        #expect(p1?["state"] == .string("failed"), "\(when)", sourceLocation: sourceLocation)
        let p2 = try core.answer("getRenderHistory", [.string("p2")]).elements.first
        #expect(p2?["state"] == .string("running"), "\(when)", sourceLocation: sourceLocation)
        let id = try #require(p2?["render_id"]?.int, sourceLocation: sourceLocation)
        #expect(try core.answer("getRenderReport", [.int(id)])["frames"]?.elements.count == 2, "\(when)", sourceLocation: sourceLocation)
    }

    @Test("finished projects leave first, then the running ones silent longest; all stay in the history, across restarts")
    func evictionOrder() throws {
        let folder = TemporaryFolder()
        do {
            let life = try StoreLife(path: folder.store, limits: Self.limits)
            life.core.make([
                Self.started(0, "p1"), Self.render(1, "p1"),
                Self.started(10, "p2"), Self.render(11, "p2"),
                Self.started(20, "p3"), Self.render(21, "p3"),
                // p1 fails last of the three: still the first to go, being finished.
                Call(30, "setProjectError", [.string("p1"), .string("license")]),
            ], clock: life.clock)
            life.checkpoint()
            life.core.make([Self.started(40, "p4")], clock: life.clock)
            #expect(try life.core.answer("getAllProjects", []) == .array(["p2", "p3", "p4"].map(RPCValue.string)))
            #expect(try endings(life.core, "p1") == [.string("evicted")])
            // No finished project left: p2, silent since 11 s, goes before p3 (21 s).
            life.core.make([Self.render(45, "p3", 0.5), Self.started(50, "p5")], clock: life.clock)
            #expect(try life.core.answer("getAllProjects", []) == .array(["p3", "p4", "p5"].map(RPCValue.string)))
            // A project created implicitly counts too: p3 (45 s) is now the silent one.
            life.core.make([Self.render(55, "p4"), Self.render(60, "p6", 0.5)], clock: life.clock)
            try expectLimitOutcome(life.core, "live")
            // A crash: the evictions after the checkpoint are only in the journal.
        }
        do {
            let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 70), limits: Self.limits)
            #expect(life.restored.projects.count == 3)
            try expectLimitOutcome(life.core, "after a crash")
            life.close()
        }
        let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 80), limits: Self.limits)
        #expect(life.restored.replayedWrites == 0)
        try expectLimitOutcome(life.core, "after a graceful stop")
    }
}
