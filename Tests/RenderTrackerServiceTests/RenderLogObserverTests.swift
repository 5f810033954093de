import Foundation
import RenderLog
import RenderTracker
import RenderTrackerService
import RPC
import Testing

/// The render log as a stage of the write pipeline, without HTTP.
@Suite("Render log observer")
struct RenderLogObserverTests {
    @Test("each call's time is the tracker clock's, to the millisecond, so a recording in virtual time carries virtual times")
    func virtualTimes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-observer-\(UUID().uuidString).jsonl").path
        let clock = ManualClock(Timestamp(secondsSince1970: 1_800_000_000.1234))
        let recorder = try RenderLogRecorder(path: path, recordReads: false, source: "scenario test.lua", logger: .silent)
        let core = TrackerCore(configuration: TrackerConfiguration(), logger: .silent, clock: clock, recorder: recorder)
        _ = core.dispatcher.call("startedRenderProject", [.string("a/b"), .array([.int(1)]), .bool(true), .int(7)], client: "render-017")
        clock.advance(bySeconds: 3600)
        _ = core.dispatcher.call("setFrameRenderFraction", [.string("a/b"), .int(1), .double(0.5)], client: "render-017")
        recorder.flush()
        let entries = try RenderLogReader.entries(path: path)
        #expect(entries.count == 3)
        if case .header(let header)? = entries.first {
            #expect(header.source == "scenario test.lua")
        } else {
            Issue.record("no header: \(entries)")
        }
        guard case .call(let first, let start)? = entries.dropFirst().first, case .call(_, let later)? = entries.last else {
            Issue.record("\(entries)"); return
        }
        #expect(first.client == "render-017")
        #expect(start.secondsSince1970 == 1_800_000_000.123)
        #expect(later.seconds(since: start) == 3600)
    }

}
