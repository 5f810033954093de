import Foundation
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// Past renders with exact figures: a render in virtual time with known frame times, a retry on
/// another machine and a frame left in Error; re-rendered (the old render kept as "replaced"),
/// then removed (kept as "removed"). The same answers before a checkpoint, after it and after a
/// restart, however the first life ended.
@Suite("SQLite store: past renders")
struct PastRenderTests {
    static let shot = "td/sh040_lighting"
    static let submitter = "10.0.0.9"
    static let m1 = "10.0.0.1"
    static let m2 = "10.0.0.2"
    static let m3 = "10.0.0.3"
    static let m4 = "10.0.0.4"

    static func start(_ frame: Int, job: String = "42") -> [RPCValue] {
        [.string(shot), .int(frame), .string(job), .string("/renders/sh040/beauty.\(frame).exr")]
    }

    static func done(_ frame: Int) -> [RPCValue] {
        [.string(shot), .int(frame), .double(1)]
    }

    /// Frames 1 to 6 take 10, 20, 30, 40, 50 and 60 s. Frame 3 fails after 5 s on m3 and is
    /// rendered again on m1; frame 6 ends in Error after 60 s on m3.
    static let night: [Call] = [
        Call(0, "startedRenderProject", [.string(shot), frames(1...6), .bool(false), .string("42")], from: submitter),
        Call(0, "startedFrameRender", start(1), from: m1),
        Call(0, "startedFrameRender", start(2), from: m2),
        Call(0, "startedFrameRender", start(3), from: m3),
        Call(5, "setFrameError", [.string(shot), .int(3), .string("out of memory")], from: m3),
        Call(5, "startedFrameRender", start(5), from: m3),
        Call(10, "setFrameRenderFraction", done(1), from: m1),
        Call(10, "startedFrameRender", start(3), from: m1),
        Call(15, "setFrameRenderFraction", [.string(shot), .int(2), .double(0.5)], from: m2),
        Call(20, "setFrameRenderFraction", done(2), from: m2),
        Call(20, "startedFrameRender", start(4), from: m2),
        Call(40, "setFrameRenderFraction", done(3), from: m1),
        Call(55, "setFrameRenderFraction", done(5), from: m3),
        Call(55, "startedFrameRender", start(6), from: m3),
        Call(60, "setFrameRenderFraction", done(4), from: m2),
        Call(115, "setFrameError", [.string(shot), .int(6), .string("mantra: segfault")], from: m3),
    ]

    /// The project rendered again, one frame started, then removed.
    static let rerender: [Call] = [
        Call(120, "startedRenderProject", [.string(shot), frames(1...3), .bool(false), .string("43")], from: submitter),
        Call(125, "startedFrameRender", start(1, job: "43"), from: m4),
    ]
    static let removal: [Call] = [Call(130, "removeProject", [.string(shot)], from: submitter)]

    static func time(_ seconds: Double) -> RPCValue {
        .string(startOfTime.advanced(bySeconds: seconds).iso8601)
    }

    /// One frame's line of the report, as the wire has it.
    static func frame(
        _ number: Int, _ status: String, seconds: Double?, attempts: Int, machineSeconds: Double, machine: String, error: String? = nil,
        started: Double, finished: Double?, failedOn: [String] = []
    ) -> RPCValue {
        .structure([
            "frame": .int(number), "status": .string(status), "render_seconds": seconds.map(RPCValue.double) ?? .null,
            "attempts": .int(attempts), "machine_seconds": .double(machineSeconds), "machine": .string(machine),
            "error": error.map(RPCValue.string) ?? .null, "cause": error.flatMap(FailureCause.of).map(RPCValue.string) ?? .null,
            "started": time(started), "finished": finished.map(time) ?? .null,
            "failed_on": .array(failedOn.map(RPCValue.string)),
        ])
    }

    static let nightFrames: [RPCValue] = [
        frame(1, "Done", seconds: 10, attempts: 1, machineSeconds: 10, machine: m1, started: 0, finished: 10),
        frame(2, "Done", seconds: 20, attempts: 1, machineSeconds: 20, machine: m2, started: 0, finished: 20),
        // 5 s lost to the failed attempt on m3, then 30 s on m1.
        frame(3, "Done", seconds: 30, attempts: 2, machineSeconds: 35, machine: m1, started: 10, finished: 40, failedOn: [m3]),
        frame(4, "Done", seconds: 40, attempts: 1, machineSeconds: 40, machine: m2, started: 20, finished: 60),
        frame(5, "Done", seconds: 50, attempts: 1, machineSeconds: 50, machine: m3, started: 5, finished: 55),
        frame(6, "Error", seconds: nil, attempts: 1, machineSeconds: 60, machine: m3, error: "mantra: segfault", started: 55, finished: nil,
            failedOn: [m3]),
    ]

    static func nightSummary(id: Int, ending: String) -> RPCValue {
        .structure([
            "render_id": .int(id), "project": .string(shot), "job_id": .string("42"), "started": time(0), "ended": time(115),
            "state": .string("failed"), "ending": .string(ending), "frames": .int(6), "done": .int(5), "errors": .int(1),
            "render_seconds": .double(215), "wall_seconds": .double(115),
        ])
    }

    /// Expects the night's report, figure by figure, computed here from the schedule above.
    static func expectNightReport(_ report: RPCValue, id: Int, ending: String, _ when: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report["render"] == nightSummary(id: id, ending: ending), "\(when)", sourceLocation: sourceLocation)
        #expect(report["frames"] == .array(nightFrames), "\(when)", sourceLocation: sourceLocation)
        // Nearest rank over the five finished frames (10 ... 50 s).
        #expect(report["frame_seconds"] == .structure([
            "p50": .double(30), "p90": .double(50), "p99": .double(50), "max": .double(50), "mean": .double(30),
        ]), "\(when)", sourceLocation: sourceLocation)
        #expect(report["slowest_frames"] == .array([nightFrames[4], nightFrames[3], nightFrames[2], nightFrames[1], nightFrames[0]]),
            "\(when)", sourceLocation: sourceLocation)
        #expect(report["machine_seconds"] == .double(215), "\(when)", sourceLocation: sourceLocation)
        #expect(report["retries"] == .int(1), "\(when)", sourceLocation: sourceLocation)
        // Both failed attempts were on m3: frame 3's first (retried on m1) and frame 6's.
        #expect(report["failures_by_machine"] == .array([.structure(["machine": .string(m3), "failures": .int(2)])]), "\(when)",
            sourceLocation: sourceLocation)
        #expect(report["machines"] == .array([
            .structure(["machine": .string(m1), "frames": .int(2), "mean_seconds": .double(20)]),
            .structure(["machine": .string(m2), "frames": .int(2), "mean_seconds": .double(30)]),
            .structure(["machine": .string(m3), "frames": .int(1), "mean_seconds": .double(50)]),
        ]), "\(when)", sourceLocation: sourceLocation)

        // 24 slices of 115/24 s: completions where each frame finished, and the frames rendering
        // at each slice's middle (each frame's last render: [start, end)).
        let width = 115.0 / 24
        let finishes = [10.0, 20, 40, 60, 55]
        let renders: [(Double, Double)] = [(0, 10), (0, 20), (10, 40), (20, 60), (5, 55), (55, 115)]
        let expected: [RPCValue] = (0..<24).map { index in
            let start = Double(index) * width
            let middle = start + width / 2
            return .structure([
                "start": time(start),
                "completions": .int(finishes.filter { min(23, Int($0 / width)) == index }.count),
                "rendering": .int(renders.filter { $0.0 <= middle && middle < $0.1 }.count),
            ])
        }
        #expect(report["timeline"] == .array(expected), "\(when)", sourceLocation: sourceLocation)
    }

    static func history(_ core: TrackerCore) throws -> [RPCValue] {
        try core.answer("getRenderHistory", [.string(shot)]).elements
    }

    enum FirstLifeEnds: String, CaseIterable, CustomTestStringConvertible {
        case closed
        case crashedAfterCheckpoint
        case crashedBeforeCheckpoint
        var testDescription: String { rawValue }
    }

    @Test("a re-render and a removal keep the past renders with exact figures, across a checkpoint and a restart",
        arguments: FirstLifeEnds.allCases)
    func rerenderAndRemoval(end: FirstLifeEnds) throws {
        let folder = TemporaryFolder()
        let nightID: Int
        let secondID: Int
        let replacedReport: RPCValue
        let removedReport: RPCValue
        do {
            let life = try StoreLife(path: folder.store)
            life.core.make(Self.night, clock: life.clock)
            nightID = try #require(life.tracker.read { $0.project(named: Self.shot)?.createdEventID })
            // The live render, finished (failed), reported from the tracker.
            Self.expectNightReport(try life.core.answer("getRenderReport", [.int(nightID)]), id: nightID, ending: "live", "live")
            #expect(try Self.history(life.core) == [Self.nightSummary(id: nightID, ending: "live")])
            life.checkpoint()
            #expect(try Self.history(life.core) == [Self.nightSummary(id: nightID, ending: "live")], "a finished live render is listed once")

            life.core.make(Self.rerender, clock: life.clock)
            secondID = try #require(life.tracker.read { $0.project(named: Self.shot)?.createdEventID })
            #expect(secondID > nightID)
            let second = RPCValue.structure([
                "render_id": .int(secondID), "project": .string(Self.shot), "job_id": .string("43"), "started": Self.time(120),
                "ended": Self.time(125), "state": .string("running"), "ending": .string("live"), "frames": .int(3), "done": .int(0),
                "errors": .int(0), "render_seconds": .double(0), "wall_seconds": .double(5),
            ])
            // The live render first, then the one it replaced, before and after a checkpoint.
            #expect(try Self.history(life.core) == [second, Self.nightSummary(id: nightID, ending: "replaced")], "before a checkpoint")
            replacedReport = try life.core.answer("getRenderReport", [.int(nightID)])
            Self.expectNightReport(replacedReport, id: nightID, ending: "replaced", "replaced, before a checkpoint")
            life.checkpoint()
            #expect(try Self.history(life.core) == [second, Self.nightSummary(id: nightID, ending: "replaced")], "after a checkpoint")
            #expect(try life.core.answer("getRenderReport", [.int(nightID)]) == replacedReport, "after a checkpoint")
            let live = try life.core.answer("getRenderReport", [.int(secondID)])
            #expect(live["render"] == second)
            #expect(live["frames"]?.elements.first?["machine"] == .string(Self.m4))

            // Removed: the render is kept as "removed", as it was at its last change.
            life.core.make(Self.removal, clock: life.clock)
            var removed = second
            if case .structure(var members) = removed {
                members["ending"] = .string("removed")
                removed = .structure(members)
            }
            #expect(try Self.history(life.core) == [removed, Self.nightSummary(id: nightID, ending: "replaced")], "removed")
            removedReport = try life.core.answer("getRenderReport", [.int(secondID)])
            #expect(removedReport["render"] == removed)
            #expect(removedReport["frames"]?.elements.count == 3)
            #expect(try life.core.answer("getAllProjects", []) == .array([]))

            switch end {
            case .closed: life.close()
            case .crashedAfterCheckpoint: life.checkpoint()
            case .crashedBeforeCheckpoint: break
            }
        }

        let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 200))
        #expect(try life.core.answer("getAllProjects", []) == .array([]))
        #expect(try Self.history(life.core) == [
            removedReport["render"] ?? .null, Self.nightSummary(id: nightID, ending: "replaced"),
        ], "after the restart")
        let report = try life.core.answer("getRenderReport", [.int(nightID)])
        Self.expectNightReport(report, id: nightID, ending: "replaced", "after the restart")
        #expect(report == replacedReport)
        #expect(try life.core.answer("getRenderReport", [.int(secondID)]) == removedReport)
        #expect(try life.core.answer("getRenderReport", [.int(secondID + 1000)]) == .null)
    }

    @Test("a render that finished and then came back to life is kept once, under its id, as it finally was")
    func finishedThenResumed() throws {
        let folder = TemporaryFolder()
        let id: Int
        do {
            let life = try StoreLife(path: folder.store)
            life.core.make(Self.night, clock: life.clock)
            id = try #require(life.tracker.read { $0.project(named: Self.shot)?.createdEventID })
            life.checkpoint()
            // Frame 6 rendered again and done: the project is done now, not failed.
            life.core.make([
                Call(200, "startedFrameRender", Self.start(6), from: Self.m2),
                Call(260, "setFrameRenderFraction", Self.done(6), from: Self.m2),
            ], clock: life.clock)
            life.checkpoint()
            life.core.make(Self.rerender, clock: life.clock)
            life.close()
        }
        let life = try StoreLife(path: folder.store, at: startOfTime.advanced(bySeconds: 300))
        let history = try Self.history(life.core)
        #expect(history.count == 2)
        #expect(history.filter { $0["render_id"] == .int(id) }.count == 1)
        let report = try life.core.answer("getRenderReport", [.int(id)])
        #expect(report["render"]?["state"] == .string("done"))
        #expect(report["render"]?["ending"] == .string("replaced"))
        #expect(report["render"]?["errors"] == .int(0))
        // Frame 6's failed minute stays in its machine time: 60 s on m3, then 60 s on m2.
        #expect(report["frames"]?.elements.last?["machine_seconds"] == .double(120))
        #expect(report["frames"]?.elements.last?["attempts"] == .int(2))
        #expect(report["retries"] == .int(2))
        #expect(report["frames"]?.elements.last?["failed_on"] == .array([.string(Self.m3)]))
        #expect(report["failures_by_machine"] == .array([.structure(["machine": .string(Self.m3), "failures": .int(2)])]))
    }
}
