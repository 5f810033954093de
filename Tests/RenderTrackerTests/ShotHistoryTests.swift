import Testing
@testable import RenderTracker

@Suite("ShotHistory")
struct ShotHistoryTests {
    static let raw = BuiltInTimeLeftEstimator(calibrated: false)

    @Test("Renders of one shot share a key: the version made generic, a (2) dropped", arguments: [
        ("bob/sh010_fx_v012", "bob/sh010_fx_v#"),
        ("bob/sh010_fx_v013", "bob/sh010_fx_v#"),
        ("anna/lgt_beach_v003 (2)", "anna/lgt_beach_v#"),
        ("show/sq010/sh020_lgt_V7_hero", "show/sq010/sh020_lgt_V#_hero"),
        ("comp/sh220_precomp", "comp/sh220_precomp"),
        ("dev/v2_tunnel_v010", "dev/v2_tunnel_v#"),
        ("envelope_v12", "envelope_v#"),
        ("nov12", "nov12"),
    ])
    func key(name: String, expected: String) {
        #expect(ShotHistory.key(of: name) == expected)
    }

    /// Renders `frames` of `project`, each a job of its own, one at a time taking `seconds(frame)`.
    func renderAll(_ farm: inout Farm, _ project: String, _ frames: [Int], seconds: (Int) -> Double) {
        farm.start(project, frames: frames)
        for frame in frames {
            farm.render(project, frame, job: "\(project)-\(frame)")
            farm.advance(seconds(frame))
            farm.progress(project, frame, 1.0)
        }
    }

    @Test("A new version of a shot is estimated from the last one's frame times before any frame finished")
    func newVersionLearns() throws {
        var farm = Farm(estimator: Self.raw)
        renderAll(&farm, "bob/sh010_v012", Array(1...10)) { $0 <= 5 ? 100 : 300 }
        farm.start("bob/sh010_v013", frames: Array(1...10))
        let summary = try #require(farm.tracker.summary(of: "bob/sh010_v013"))
        #expect(summary.learnedFrom == "bob/sh010_v012")
        // One machine seen, nothing rendered yet: 5 x 100 + 5 x 300, frame by frame.
        #expect(summary.secondsLeft == 2000)
    }

    @Test("A version that renders slower scales the frames ahead up at once")
    func slowerScalesUp() throws {
        var farm = Farm(estimator: Self.raw)
        renderAll(&farm, "bob/sh010_v012", Array(1...10)) { _ in 100 }
        farm.start("bob/sh010_v013", frames: Array(1...10))
        for frame in 1...2 {
            farm.render("bob/sh010_v013", frame, job: "n\(frame)")
            farm.advance(200)
            farm.progress("bob/sh010_v013", frame, 1.0)
        }
        // Twice as slow on two frames: the scale is drawn towards 1 by one frame's worth
        // (2^(2/3)), and the frames of the shot's spans agree.
        let left = try #require(farm.tracker.estimatedSecondsLeft(for: "bob/sh010_v013"))
        #expect(left > 8 * 100 * 1.5)
        #expect(left <= 8 * 200)
    }

    @Test("The existing-IFD route takes its frame count from the shot's last render")
    func existingIFDsFrameCount() throws {
        var farm = Farm(estimator: Self.raw)
        renderAll(&farm, "ines/master_v021", Array(1...20)) { _ in 60 }
        // Frames only seen finishing: no startedRenderProject, no startedFrameRender.
        for frame in 1...5 {
            farm.advance(60)
            farm.progress("ines/master_v022", frame, 1.0)
        }
        #expect(farm.state("ines/master_v022") == .done)  // all it knows is Done
        let summary = try #require(farm.tracker.summary(of: "ines/master_v022"))
        #expect(summary.learnedFrom == "ines/master_v021")
        #expect(try #require(summary.secondsLeft) > 0)
    }

    @Test("A render does not learn from itself, and a shot's history is its newest finished render")
    func notItself() throws {
        var farm = Farm(estimator: Self.raw)
        renderAll(&farm, "bob/sh010_v012", [1, 2]) { _ in 100 }
        #expect(farm.tracker.summary(of: "bob/sh010_v012")?.learnedFrom == nil)
        renderAll(&farm, "bob/sh010_v013", [1, 2]) { _ in 50 }
        farm.start("bob/sh010_v014", frames: [1, 2])
        #expect(farm.tracker.summary(of: "bob/sh010_v014")?.learnedFrom == "bob/sh010_v013")
        #expect(farm.tracker.estimatedSecondsLeft(for: "bob/sh010_v014") == 100)
    }
}

@Suite("Time left, hard renders")
struct HardRenderTests {
    static let raw = BuiltInTimeLeftEstimator(calibrated: false)

    @Test("A frame that has run past every finished one is given half as long again")
    func heavyFrameInFlight() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...5))
        for frame in 1...4 {
            farm.render("p", frame, job: "j\(frame)")
            farm.advance(100)
            farm.progress("p", frame, 1.0)
        }
        farm.render("p", 5, job: "j5")
        farm.advance(400)  // four times the others, no progress reported (render from the hip file)
        #expect(abs(try #require(farm.tracker.estimatedSecondsLeft(for: "p")) - 200) < 1e-9)
    }

    @Test("Frames ahead follow the shot's trend: a shot getting heavier is estimated longer than its mean")
    func trendAhead() throws {
        var flat = Farm(estimator: Self.raw)
        var ramp = Farm(estimator: Self.raw)
        for (farm, step) in [(0, 0.0), (1, 5.0)] {
            var tracker = farm == 0 ? flat : ramp
            tracker.start("p", frames: Array(1...64))
            for frame in 1...32 {
                tracker.render("p", frame, job: "j\(frame)")
                tracker.advance(100 + step * Double(frame))
                tracker.progress("p", frame, 1.0)
            }
            if farm == 0 { flat = tracker } else { ramp = tracker }
        }
        let flatLeft = try #require(flat.tracker.estimatedSecondsLeft(for: "p"))
        let rampLeft = try #require(ramp.tracker.estimatedSecondsLeft(for: "p"))
        #expect(abs(flatLeft - 3200) < 1e-6)
        // The last frames took 260 s; the ones ahead up to 420 s: more than 32 x 260.
        #expect(rampLeft > 32 * 260)
        #expect(rampLeft < 32 * 420)
    }

    @Test("Waiting frames of a job at work follow on its machine, not on free ones")
    func framesPerJob() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...6))
        // Two jobs of three frames; the first frame of each done in 100 s.
        for (frame, job) in [(1, "a"), (4, "b")] { farm.render("p", frame, job: job) }
        farm.advance(100)
        for frame in [1, 4] { farm.progress("p", frame, 1.0) }
        for (frame, job) in [(2, "a"), (5, "b")] { farm.render("p", frame, job: job) }
        // Each job has its frame in flight (100 s) and one more after it: 200 s, not 150.
        let left = try #require(farm.tracker.estimatedSecondsLeft(for: "p"))
        #expect(abs(left - 200) < 30)
        #expect(left > 190)
    }
}

@Suite("RenderSchedule")
struct RenderScheduleTests {
    @Test("The expected largest of n normal draws is within 0.03 of the exact values", arguments: [
        (2, 0.5642), (3, 0.8463), (5, 1.1630), (10, 1.5388), (11, 1.5865), (100, 2.5076), (1000, 3.2414),
    ])
    func largestOfNormals(count: Int, exact: Double) {
        #expect(abs(RenderSchedule.expectedLargestOfNormals(count) - exact) < 0.03)
    }

    @Test("It grows with the number of draws, and one draw has no allowance")
    func grows() {
        #expect(RenderSchedule.expectedLargestOfNormals(1) == 0)
        let values = (2...200).map(RenderSchedule.expectedLargestOfNormals)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("A job's frames render one after another on one machine")
    func jobsInOrder() {
        let outcome = RenderSchedule.play(busy: [], idle: 2, jobs: [[10, 10, 10], [5]], spread: 0)
        #expect(outcome.finish == 30)
        #expect(outcome.frameFinishes == [10, 20, 30, 5])
    }

    @Test("Downloads wait for a slot and for their frame")
    func downloads() {
        #expect(RenderSchedule.downloads(ready: [0, 0, 0], inProgress: [5], slots: 2, seconds: 10) == 20)
        #expect(RenderSchedule.downloads(ready: [100], inProgress: [], slots: 1, seconds: 10) == 110)
    }
}
