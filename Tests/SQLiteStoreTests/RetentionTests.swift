import Foundation
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// `--keep-history`: past renders older than the limit are pruned by `tick`, live ones never.
@Suite("Retention of past renders")
struct RetentionTests {
    @Test("a past render older than keep-history days is pruned; a newer one and the live render stay")
    func prunesOldRenders() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(startOfTime)
        let store = try SQLiteStore(path: folder.store, checkpointSeconds: 3600, keepHistoryDays: 30, logger: .silent)
        let core = TrackerCore(
            configuration: TrackerConfiguration(), logger: .silent, clock: clock, store: store,
            restored: try store.restore(limits: TrackerLimits()))
        // Render 1 of "old/shot" ends (replaced) on day 0; render 2 of it on day 20; render 3 stays live.
        core.make([Call(0, "startedRenderProject", [.string("old/shot"), frames(1...2), .bool(false), .string("1")])], clock: clock)
        core.make([Call(86_400 * 20, "startedRenderProject", [.string("old/shot"), frames(1...2), .bool(false), .string("2")])], clock: clock)
        core.make([Call(86_400 * 40, "startedRenderProject", [.string("old/shot"), frames(1...2), .bool(false), .string("3")])], clock: clock)
        store.checkpoint(core.tracker)
        #expect(try store.history(of: "old/shot", limit: 10).map(\.jobID) == ["2", "1"])

        // Day 45: render 1 ended 45 days ago (over 30), render 2 ended 25 days ago.
        clock.set(startOfTime.advanced(bySeconds: 86_400 * 45))
        store.tick(core.tracker)  // the first tick prunes at once, then hourly
        #expect(try store.history(of: "old/shot", limit: 10).map(\.jobID) == ["2"])
        #expect(try store.report(renderID: 1) == nil)
        let history = try core.answer("getRenderHistory", [.string("old/shot")])
        #expect(renderCount(history) == 2, "the live render and render 2")
    }

    @Test("keep-history nil keeps every past render")
    func keepsForEver() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(startOfTime)
        let store = try SQLiteStore(path: folder.store, checkpointSeconds: 3600, keepHistoryDays: nil, logger: .silent)
        let core = TrackerCore(
            configuration: TrackerConfiguration(), logger: .silent, clock: clock, store: store,
            restored: try store.restore(limits: TrackerLimits()))
        core.make([Call(0, "startedRenderProject", [.string("a"), frames(1...1), .bool(false), .string("1")])], clock: clock)
        core.make([Call(1, "removeProject", [.string("a")])], clock: clock)
        store.checkpoint(core.tracker)
        clock.set(startOfTime.advanced(bySeconds: 86_400 * 3650))
        store.tick(core.tracker)
        #expect(try store.history(of: "a", limit: 10).map(\.ending) == [.removed])
    }
}

/// How many renders a `getRenderHistory` answer lists.
private func renderCount(_ answer: RPCValue) -> Int {
    if case .array(let entries) = answer { entries.count } else { -1 }
}
