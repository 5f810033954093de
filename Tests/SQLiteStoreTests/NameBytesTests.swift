import Foundation
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// Names are paths on a file server: the store keeps projects apart by their bytes, as the tracker
/// does, through checkpoints, the journal and the history.
@Suite("SQLite store: names compared as bytes")
struct NameBytesTests {
    static let precomposed = "anna/caf\u{E9}"
    static let decomposed = "anna/cafe\u{301}"

    @Test("café written two ways stays two projects across a checkpoint, a crash and the history")
    func twoSpellings() throws {
        let folder = TemporaryFolder()
        do {
            let life = try StoreLife(path: folder.store)
            life.core.make([
                Call(0, "startedRenderProject", [.string(Self.precomposed), frames(1...2), .bool(false), .string("1")]),
                Call(1, "startedRenderProject", [.string(Self.decomposed), frames(1...3), .bool(false), .string("2")]),
                Call(2, "setFrameRenderFraction", [.string(Self.precomposed), .int(1), .double(1)]),
            ], clock: life.clock)
            life.checkpoint()
            life.core.make([
                Call(3, "setFrameRenderFraction", [.string(Self.decomposed), .int(3), .double(0.5)]),
                Call(4, "startedRenderProject", [.string(Self.precomposed), frames(1...1), .bool(false), .string("3")]),
            ], clock: life.clock)
            // No close: a crash; the last two writes are in the journal only.
        }
        let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 10))
        let jobs = life.tracker.read { tracker in
            [Self.precomposed, Self.decomposed].map { tracker.project(named: $0).map { "\($0.jobID):\($0.frameCount)" } }
        }
        #expect(jobs == ["3:1", "2:3"])
        #expect(life.tracker.read { $0.project(named: Self.decomposed)?.frame(3)?.status } == .rendering)
        life.checkpoint()
        // The replaced render is the precomposed one's alone.
        #expect(try life.store.history(of: Self.precomposed, limit: 10).map(\.jobID) == ["1"])
        #expect(try life.store.history(of: Self.decomposed, limit: 10).isEmpty)
    }
}
