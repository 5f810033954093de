import RenderLog
import RenderTracker
import RenderTrackerService
import RPC
import Synchronization
import Testing

/// `SharedTracker.apply`, the one write pipeline: every observer sees every write, in order,
/// inside the lock first and after it second, with the call that carried it.
@Suite("Write pipeline")
struct WritePipelineTests {
    /// Notes what it is told, tagged with its name and whether the lock was held.
    final class Journal: Sendable {
        let entries = Mutex<[String]>([])
        func note(_ entry: String) { entries.withLock { $0.append(entry) } }
    }

    struct Stage: TrackerObserver {
        let name: String
        let journal: Journal

        func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
            journal.note("\(name) in lock: event \(write.outcome.lastEventID), call \(write.call?.method ?? "none")")
        }

        func trackerDidFinish(_ write: TrackerWrite) {
            journal.note("\(name) after lock: event \(write.outcome.lastEventID)")
        }
    }

    @Test("stages are told in order, inside the lock and then after it, with the call")
    func order() {
        let journal = Journal()
        let tracker = SharedTracker(Tracker(clock: ManualClock()), observers: [Stage(name: "a", journal: journal), Stage(name: "b", journal: journal)])
        let first = tracker.apply(
            .startedRenderProject(project: "p", frames: [1], generatesIFDs: false, jobID: "1"),
            call: RecordedCall(method: "startedRenderProject", params: [], client: "render-1")
        ).lastEventID
        let second = tracker.apply(.incrementAndGetLastEventID).lastEventID
        #expect(second > first)
        #expect(journal.entries.withLock { $0 } == [
            "a in lock: event \(first), call startedRenderProject", "b in lock: event \(first), call startedRenderProject",
            "a after lock: event \(first)", "b after lock: event \(first)",
            "a in lock: event \(second), call none", "b in lock: event \(second), call none",
            "a after lock: event \(second)", "b after lock: event \(second)",
        ])
    }

    @Test("an observer given to TrackerCore sees the writes RPC calls make, with the client")
    func coreObservers() throws {
        let journal = Journal()
        let core = TrackerCore(configuration: TrackerConfiguration(), logger: .silent, clock: ManualClock(), observers: [Stage(name: "x", journal: journal)])
        _ = try core.dispatcher.call("startedRenderProject", [.string("p"), .array([.int(1)]), .bool(false), .string("1")], client: "10.0.0.7").get()
        _ = try core.dispatcher.call("getAllProjects", []).get()
        let event = core.tracker.read { $0.lastEventID }
        #expect(journal.entries.withLock { $0 } == ["x in lock: event \(event), call startedRenderProject", "x after lock: event \(event)"])
    }
}
