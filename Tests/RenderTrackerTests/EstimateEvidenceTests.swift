import Testing
@testable import RenderTracker

/// `EstimateEvidence` is kept as frames change; what it holds must be what counting every frame
/// gives, and the cost model it keeps must never outlive the frames it was built from.
@Suite("EstimateEvidence")
struct EstimateEvidenceTests {
    static let raw = BuiltInTimeLeftEstimator(calibrated: false)

    /// One write of a farm and the clock moving on after it.
    typealias Step = @Sendable (inout Farm) -> Void

    /// `command` as sent from the farm machine `machine`.
    static func from(_ machine: String, _ command: TrackerCommand, then seconds: Double) -> Step {
        { farm in
            farm.tracker.apply(command, from: machine)
            farm.advance(seconds)
        }
    }

    /// A render through everything that changes what the estimate reads: jobs of three frames,
    /// progress, downloads (a backlog, and a downloaded frame rendered again), failures and reruns
    /// under another job and on another machine, a frame first seen mid-render, and a machine
    /// named only by a finished frame's last report.
    static let steps: [Step] = {
        var steps: [Step] = [{ $0.start("p", frames: Array(1...12)) }]
        for frame in 1...9 {
            let render = TrackerCommand.startedFrameRender(
                project: "p", frame: frame, jobID: "j\((frame - 1) / 3)", imagePath: "/r/\(frame).exr")
            steps.append(from("node-\(frame % 4)", render, then: Double(40 + frame * 7)))
            steps.append { $0.progress("p", frame, 0.5); $0.advance(Double(30 + frame)) }
            steps.append { $0.progress("p", frame, 1.0); $0.advance(3) }
        }
        for frame in 1...4 {
            steps.append { $0.download("p", frame, 0.3); $0.advance(12) }
            steps.append { $0.download("p", frame, 1.0); $0.advance(2) }
        }
        steps += [
            { $0.download("p", 5, 0.4); $0.advance(5) },
            { $0.render("p", 2, job: "again"); $0.advance(80) },  // downloaded, rendered again
            { $0.progress("p", 2, 1.0); $0.advance(4) },
            { $0.fail("p", 6, "Error: out of memory"); $0.advance(1) },
            from("node-9", .startedFrameRender(project: "p", frame: 6, jobID: "rerun", imagePath: "/r/6.exr"), then: 90),
            { $0.progress("p", 10, 0.6); $0.advance(60) },  // first heard of mid-render, from no machine
            { $0.progress("p", 10, 1.0); $0.advance(2) },
            from("node-7", .setFrameRenderFraction(project: "p", frame: 10, fraction: 1.0), then: 1),
            from("node-1", .setFrameRenderFraction(project: "p", frame: 11, fraction: 0.2), then: 30),
            { $0.progress("p", 6, 1.0); $0.advance(1) },
        ]
        return steps
    }()

    /// What the old estimate counted by walking every frame.
    func countedByWalking(_ project: Project) -> (perJob: Int, awaited: Int, finishes: [Double], renders: [Double?]) {
        var jobs: [String: Int] = [:]
        var awaited = 0
        var finishes: [Double] = []
        for frame in project.allFrames {
            if frame.attempts > 0 && frame.jobID != project.jobID { jobs[frame.jobID, default: 0] += 1 }
            if frame.status == .done, frame.downloadStartedAt == nil { awaited += 1 }
            if frame.status == .done, frame.downloadStartedAt != nil, let finished = frame.finishedAt {
                finishes.append(finished.secondsSince1970)
            }
        }
        let renders = project.allFrames.map { frame in
            frame.status == .done || frame.status == .downloading ? frame.renderSeconds.flatMap { $0 > 0 ? $0 : nil } : nil
        }
        return (min(max(1, jobs.values.max() ?? 1), 1_000), awaited, finishes.sorted(), renders)
    }

    @Test("after every write, and after a restore, it holds what counting every frame gives")
    func matchesACount() throws {
        var farm = Farm(estimator: Self.raw)
        for step in Self.steps {
            step(&farm)
            let project = try farm.project("p")
            for kept in [project, Project(restoring: project.record, frames: project.allFrames.reversed())] {
                let evidence = kept.estimateEvidence
                let counted = countedByWalking(kept)
                #expect(evidence.framesPerJob == counted.perJob)
                #expect(evidence.downloadsAwaited == counted.awaited)
                #expect(evidence.downloadFinishes == counted.finishes)
                #expect(evidence.frames.map(\.renderSeconds) == counted.renders)
                #expect(evidence.frames.map(\.number) == kept.allFrames.map(\.number))
                #expect(evidence.frames.map(\.status) == kept.allFrames.map(\.status))
                let names = Dictionary(uniqueKeysWithValues: evidence.machineIndex.map { ($1, $0) })
                #expect(evidence.frames.map { $0.machine.flatMap { names[$0] } } == kept.allFrames.map(\.machine))
            }
        }
    }

    @Test("an estimate asked after every write equals one asked only at the end")
    func keptModelNeverStale() throws {
        var asking = Farm(estimator: Self.raw)
        for (count, step) in Self.steps.enumerated() {
            step(&asking)
            let asked = asking.tracker.summary(of: "p")
            var fresh = Farm(estimator: Self.raw)
            for earlier in Self.steps.prefix(count + 1) { earlier(&fresh) }
            #expect(asked == fresh.tracker.summary(of: "p"), "after step \(count)")
        }
    }

    @Test("copies of a tracker that change their frames apart keep models of their own")
    func copiesKeepTheirOwn() throws {
        func farm(finishingFrame7At offset: Double?) -> Farm {
            var farm = Farm(estimator: Self.raw)
            for step in Self.steps.prefix(20) { step(&farm) }
            if let offset {
                let done = TrackerCommand.setFrameRenderFraction(project: "p", frame: 7, fraction: 1.0)
                farm.tracker.apply(done, from: nil, at: farm.clock.now().advanced(bySeconds: offset))
            }
            return farm
        }
        var original = farm(finishingFrame7At: nil)
        _ = original.tracker.summary(of: "p")  // the model of the finished frames kept
        var copy = original
        // Frame 7 finishes in both, after 89 s in one and 59 s in the other: each copy's frames
        // change once from the same state, and neither may be given the other's model.
        copy.tracker.apply(.setFrameRenderFraction(project: "p", frame: 7, fraction: 1.0), from: nil, at: original.clock.now())
        original.tracker.apply(
            .setFrameRenderFraction(project: "p", frame: 7, fraction: 1.0), from: nil, at: original.clock.now().advanced(bySeconds: -30))
        let copied = copy.tracker.summary(of: "p")
        let kept = original.tracker.summary(of: "p")
        #expect(copied?.secondsLeft != kept?.secondsLeft)
        #expect(copied == farm(finishingFrame7At: 0).tracker.summary(of: "p"))
        #expect(kept == farm(finishingFrame7At: -30).tracker.summary(of: "p"))
    }

    @Test("a shot's history taken again after its render changed is a new history, not the kept one")
    func historyTakenAgain() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("bob/sh010_v001", frames: Array(1...4))
        for frame in 1...4 {
            farm.render("bob/sh010_v001", frame, job: "a\(frame)")
            farm.advance(100)
            farm.progress("bob/sh010_v001", frame, 1.0)
        }
        farm.start("bob/sh010_v002", frames: Array(1...4))
        let first = try #require(farm.tracker.estimatedSecondsLeft(for: "bob/sh010_v002"))
        #expect(first == 400)
        // v001 renders frame 1 again, 500 s this time, and is done again: its history changes.
        farm.render("bob/sh010_v001", 1, job: "a1b")
        farm.advance(500)
        farm.progress("bob/sh010_v001", 1, 1.0)
        #expect(try #require(farm.tracker.estimatedSecondsLeft(for: "bob/sh010_v002")) == 800)
    }
}
