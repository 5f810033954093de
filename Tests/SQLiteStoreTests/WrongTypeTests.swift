import Foundation
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// Values SQLite accepts but the store cannot read back (SQLite columns take any type): every
/// column is read with throwing calls, so the start is refused as damaged, never a crash.
@Suite("SQLite store: values of the wrong type")
struct WrongTypeTests {
    @Test("a frame's log or a project's evidence of the wrong type, or a counter that is no number, is refused as damaged", arguments: [
        "UPDATE frames SET log = 'not a log' WHERE number = 2",
        "UPDATE projects SET evidence = x''",
        "UPDATE meta SET value = 'many' WHERE key = 'last_event_id'",
    ])
    func wrongType(statement: String) throws {
        let folder = TemporaryFolder()
        do {
            let life = try StoreLife(path: folder.store)
            life.core.make([Call(0, "startedRenderProject", [.string("a/typed"), frames(1...3), .bool(false), .string("1")])], clock: life.clock)
            life.close()
        }
        let edit = try python("""
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            connection.execute(sys.argv[2])
            connection.commit()
            """, folder.store, statement)
        #expect(edit == 0)
        do {
            let store = try SQLiteStore(path: folder.store, logger: .silent)
            _ = try store.restore(limits: TrackerLimits())
            Issue.record("the store restored after: \(statement)")
        } catch {
            #expect(error.description.contains("the store \(folder.store) is damaged"), "\(error)")
        }
    }

    @Test("a past render whose text is not UTF-8: the report faults with code 2, the daemon goes on")
    func damagedHistoryRow() throws {
        let folder = TemporaryFolder()
        let life = try StoreLife(path: folder.store)
        life.core.make([
            Call(0, "startedRenderProject", [.string("a/h"), frames(1...2), .bool(false), .string("1")]),
            Call(1, "removeProject", [.string("a/h")]),
        ], clock: life.clock)
        life.checkpoint()
        let edit = try python("""
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            connection.execute("UPDATE render_frames SET failed_on = x'80ff'")
            connection.commit()
            """, folder.store)
        #expect(edit == 0)
        let history = try life.core.answer("getRenderHistory", [.string("a/h")])
        guard case .array(let renders) = history, case .structure(let render)? = renders.first, case .int(let id)? = render["render_id"] else {
            Issue.record("no render in \(history)")
            return
        }
        let report = life.core.dispatcher.call("getRenderReport", [.int(id)], client: "10.0.0.1")
        guard case .failure(let fault) = report else {
            Issue.record("the report of a damaged render answered \(report)")
            return
        }
        #expect(fault.code == RenderHistory.storeUnavailableCode && fault.message.contains("cannot be read"), "\(fault)")
        // Writes are untouched by the store's trouble with reading.
        #expect(try life.core.answer("setFrameRenderFraction", [.string("a/h2"), .int(1), .double(0.5)]) == .bool(true))
    }
}

/// Runs a Python script with `sqlite3` on a store behind its back (as a damaged disk or a careless
/// hand would change it) and gives its exit status.
private func python(_ script: String, _ arguments: String...) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
