import RenderTracker
import RenderTrackerService
import RPC
import Testing

/// Project names are paths on a file server: `café` written precomposed (U+00E9) and decomposed
/// (`e` + U+0301) are two files, so two projects, though Swift's `String ==` calls them equal.
@Suite("Project names compared by bytes")
struct ProjectNameBytesTests {
    static let precomposed = "shots/caf\u{E9}"
    static let decomposed = "shots/cafe\u{301}"

    private func call(_ core: TrackerCore, _ method: String, _ params: RPCValue...) throws -> RPCValue {
        try core.dispatcher.call(method, params).get()
    }

    @Test("the two spellings of café are two projects through the RPC methods")
    func twoProjects() throws {
        #expect(Self.precomposed == Self.decomposed, "Swift's String calls them equal: the reason for this test")
        let core = TrackerCore(configuration: TrackerConfiguration(), logger: .silent, clock: ManualClock())
        _ = try call(core, "startedRenderProject", .string(Self.precomposed), .array([.int(1)]), .bool(false), .string("1"))
        _ = try call(core, "startedRenderProject", .string(Self.decomposed), .array([.int(1), .int(2)]), .bool(false), .string("2"))
        _ = try call(core, "setFrameRenderFraction", .string(Self.decomposed), .int(2), .double(1))

        // Byte order: "e" (0x65) before "é" (0xC3 0xA9).
        #expect(try call(core, "getAllProjects") == .array([.string(Self.decomposed), .string(Self.precomposed)]))
        let precomposed = try call(core, "getAllFramesInfo", .string(Self.precomposed))
        let decomposed = try call(core, "getAllFramesInfo", .string(Self.decomposed))
        #expect(precomposed == .array([.array([.int(1), .int(0), .double(0)])]))
        #expect(decomposed == .array([.array([.int(1), .int(0), .double(0)]), .array([.int(2), .int(5), .double(1)])]))

        _ = try call(core, "removeProject", .string(Self.precomposed))
        #expect(try call(core, "getAllProjects") == .array([.string(Self.decomposed)]), "removing one leaves the other")
    }

    @Test("the event stream sends the name list again when one spelling replaces the other")
    func nameListChange() {
        let tracker = SharedTracker(Tracker(clock: ManualClock()))
        tracker.apply(.startedRenderProject(project: Self.precomposed, frames: [1], generatesIFDs: false, jobID: "1"))
        let first = tracker.read { ChangeBatch(tracker: $0, since: 0, following: nil, sentNames: nil, projectExisted: nil, timeLeft: TimeLeft()) }
        tracker.apply(.removeProject(project: Self.precomposed))
        tracker.apply(.startedRenderProject(project: Self.decomposed, frames: [1], generatesIFDs: false, jobID: "2"))
        let second = tracker.read {
            ChangeBatch(tracker: $0, since: first.eventID, following: nil, sentNames: first.projectNames, projectExisted: nil, timeLeft: TimeLeft())
        }
        #expect(second.projectNames.map { $0.map { Array($0.utf8) } } == [Array(Self.decomposed.utf8)])
    }
}
