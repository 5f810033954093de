import RenderTracker
import RenderTrackerService
import RPC
import Testing

/// The cause of a failure on the wire: `getFrameCause`, `getFailedFrames`, and the summary's
/// `first_error`, through the real dispatcher.
@Suite("The cause of a failure in RPC answers")
struct FailureCauseMethodsTests {
    private static let mantra = (1...300).map { "ALF_PROGRESS \($0 / 3)%  [tile \($0) of 300]" }.joined(separator: "\n")
        + "\nmantra: Error: cannot allocate 12.6 GB for texture cache\n"

    private static func core() -> TrackerCore {
        let core = TrackerCore(configuration: TrackerConfiguration(), logger: .silent, clock: ManualClock())
        _ = core.dispatcher.call("startedRenderProject", [.string("c/shot"), .array((1...5).map(RPCValue.int)), .bool(false), .string("1")])
        return core
    }

    @Test("getFrameCause: the cause of a frame's error; nil without one")
    func frameCause() throws {
        let core = Self.core()
        _ = core.dispatcher.call("setFrameError", [.string("c/shot"), .int(4), .string(Self.mantra)])
        #expect(try core.dispatcher.call("getFrameCause", [.string("c/shot"), .int(4)]).get()
            == .string("mantra: Error: cannot allocate 12.6 GB for texture cache"))
        #expect(try core.dispatcher.call("getFrameCause", [.string("c/shot"), .int(3)]).get() == .null)
        #expect(try core.dispatcher.call("getFrameCause", [.string("c/nosuch"), .int(3)]).get() == .null)
    }

    @Test("getFailedFrames: the frames in Error by number with their causes; the summary's first_error names the oldest")
    func failedFrames() throws {
        let core = Self.core()
        _ = core.dispatcher.call("setFrameError", [.string("c/shot"), .int(4), .string(Self.mantra)])
        _ = core.dispatcher.call("setFrameError", [.string("c/shot"), .int(2), .string("Traceback (most recent call last):\nKeyError: 'rop'")])
        #expect(try core.dispatcher.call("getFailedFrames", [.string("c/shot")]).get() == .array([
            .array([.int(2), .string("KeyError: 'rop'")]),
            .array([.int(4), .string("mantra: Error: cannot allocate 12.6 GB for texture cache")]),
        ]))
        let summary = try core.dispatcher.call("getProjectSummary", [.string("c/shot")]).get()
        guard case .structure(let fields) = summary else { Issue.record("no summary: \(summary)"); return }
        #expect(fields["first_error"] == .structure([
            "frame": .int(4), "cause": .string("mantra: Error: cannot allocate 12.6 GB for texture cache"),
        ]))
        #expect(try core.dispatcher.call("getFailedFrames", [.string("c/nosuch")]).get() == .array([]))
    }

    @Test("getFailedFrames lists at most maxFailedFrames")
    func bounded() throws {
        let core = TrackerCore(configuration: TrackerConfiguration(), logger: .silent, clock: ManualClock())
        let count = RenderTrackerMethods.maxFailedFrames + 5
        _ = core.dispatcher.call("startedRenderProject", [.string("big"), .array((1...count).map(RPCValue.int)), .bool(false), .string("1")])
        _ = core.dispatcher.call("setProjectError", [.string("big"), .string("hython: Error: no licence\nexiting")])
        let failed = try core.dispatcher.call("getFailedFrames", [.string("big")]).get()
        guard case .array(let entries) = failed else { Issue.record("not an array: \(failed)"); return }
        #expect(entries.count == RenderTrackerMethods.maxFailedFrames)
        #expect(entries.first == .array([.int(1), .string("hython: Error: no licence")]))
    }
}
