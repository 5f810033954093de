import Testing
@testable import RenderTracker

/// The estimate's mechanics, uncalibrated (`calibrated: false`): the time left the frames work
/// out to, before the tuning set's record corrects it (EstimateIntervalTests check that part).
@Suite("BuiltInTimeLeftEstimator")
struct TimeLeftEstimatorTests {
    static let raw = BuiltInTimeLeftEstimator(calibrated: false)

    /// Renders frames 1...machines from t=0, finishing after the given durations (one per machine),
    /// then leaves the clock at the last finish.
    func firstWave(_ farm: inout Farm, project: String = "p", durations: [Double]) {
        for (index, _) in durations.enumerated() {
            farm.render(project, index + 1, job: "m\(index)")
        }
        var elapsed = 0.0
        for (index, duration) in durations.enumerated().sorted(by: { $0.element < $1.element }) {
            farm.advance(duration - elapsed)
            elapsed = duration
            farm.progress(project, index + 1, 1.0)
        }
    }

    func estimate(_ farm: Farm, _ project: String = "p") -> Double? {
        farm.tracker.estimatedSecondsLeft(for: project)
    }

    // MARK: No number without evidence

    @Test("No estimate before anything rendered")
    func nilBeforeEvidence() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        #expect(estimate(farm) == nil)
        farm.advance(600)
        #expect(estimate(farm) == nil)
    }

    @Test("No estimate while frames in flight are too early to tell their rate")
    func nilWhileTooEarly() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        for frame in 1...4 { farm.render("p", frame) }
        farm.advance(30)
        for frame in 1...4 { farm.progress("p", frame, 0.05) }
        #expect(estimate(farm) == nil)
    }

    @Test("A done project has 0 seconds left")
    func zeroWhenDone() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 1.0)
        farm.progress("p", 2, 1.0)
        #expect(estimate(farm) == 0)
    }

    @Test("A failed project has no estimate")
    func nilWhenFailed() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1, 2])
        firstWave(&farm, durations: [100])
        farm.fail("p", 2, "x")
        #expect(farm.state("p") == .failed)
        #expect(estimate(farm) == nil)
    }

    @Test("Frames waiting with nothing rendering now assume as many machines as were seen rendering")
    func idleAssumesMachinesSeen() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        firstWave(&farm, durations: [100])  // one duration known, one machine seen, no rate
        farm.advance(50)
        #expect(estimate(farm) == 900)
    }

    @Test("Frames waiting with nothing ever rendered give no estimate")
    func nilWhenNothingEverRendered() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        farm.advance(50)
        #expect(estimate(farm) == nil)
    }

    // MARK: From render durations

    // Frames of exactly 100 s: no spread, so no last-wave allowance; each machine renders its
    // share of the queue one job after another.
    @Test(
        "With N frames rendering at once, the queue takes remaining frames x frame time / N",
        arguments: [4, 8])
    func queueOverMachines(machines: Int) throws {
        var farm = Farm(estimator: Self.raw)
        let frameCount = machines * 5
        farm.start("p", frames: Array(1...frameCount))
        firstWave(&farm, durations: Array(repeating: 100, count: machines))
        // The next wave starts together, each frame a job of its own.
        for frame in machines + 1...2 * machines { farm.render("p", frame, job: "j\(frame)") }
        let remaining = Double(frameCount - machines)
        #expect(abs(try #require(estimate(farm)) - remaining * 100 / Double(machines)) < 1e-6)
        // A quarter of the way through the wave: 75 s left of each frame in flight.
        farm.advance(25)
        for frame in machines + 1...2 * machines { farm.progress("p", frame, 0.25) }
        #expect(abs(try #require(estimate(farm)) - (75 + (remaining - Double(machines)) * 100 / Double(machines))) < 1e-6)
    }

    @Test("The last frame rendering alone has its own time left, not the queue's")
    func lastFrame() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1, 2])
        firstWave(&farm, durations: [100])
        farm.render("p", 2)
        farm.advance(40)
        farm.progress("p", 2, 0.4)
        #expect(abs(try #require(estimate(farm)) - 60) < 1e-9)
    }

    @Test("An in-flight frame's own progress counts: a fast frame has less left than the mean implies")
    func ownProgressUsed() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1, 2])
        firstWave(&farm, durations: [100])
        farm.render("p", 2, job: "j2")
        farm.advance(10)
        farm.progress("p", 2, 0.25)  // own rate: 30 s left; the finished frame says 90 s
        // Trusting its own rate by half its fraction: between the two.
        let blended = try #require(estimate(farm))
        #expect(blended > 30 && blended < 90)
        farm.advance(10)
        farm.progress("p", 2, 0.5)  // from half way its own rate is all that counts: 20 s
        #expect(abs(try #require(estimate(farm)) - 20) < 1e-9)
    }

    @Test("Without finished renders, a frame far enough along gives the estimate from its own rate")
    func ownRateAlone() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.advance(30)
        farm.progress("p", 1, 0.25)
        #expect(abs(try #require(estimate(farm)) - 90) < 1e-9)
    }

    @Test("Frames in flight without finished renders imply the typical duration for the queue")
    func impliedDurationForQueue() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...6))
        farm.render("p", 1, job: "j1")
        farm.render("p", 2, job: "j2")
        farm.advance(50)
        farm.progress("p", 1, 0.5)
        farm.progress("p", 2, 0.5)
        // Each frame implies 100 s, 50 s left each; 4 queued x 100 s; 2 machines: 50 + 200, and
        // the two machines' last frames stray by the default quarter: the longer of two runs long.
        let allowance = RenderSchedule.expectedLargestOfNormals(2) * 25
        #expect(abs(try #require(estimate(farm)) - (250 + allowance)) < 1e-9)
    }

    @Test("Render durations of frames first seen mid-render are not used as samples")
    func midRenderNotSampled() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 0.5)  // a restarted tracker sees it half done
        farm.advance(10)
        farm.progress("p", 1, 1.0)
        #expect(try farm.project("p").renderDurations.isEmpty)
        farm.render("p", 2)
        farm.advance(100)
        farm.progress("p", 2, 1.0)
        #expect(try farm.project("p").renderDurations.values == [100])
    }

    // MARK: From throughput only

    @Test("Frames only seen finishing give an estimate from the completion rate")
    func throughputOnly() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        for frame in 1...4 {
            farm.advance(10)
            farm.progress("p", frame, 1.0)  // existing-IFD style: Waiting straight to Done
        }
        #expect(try farm.project("p").renderDurations.isEmpty)
        // 3 intervals over 30 s: 0.1 frames/s; 6 frames wait.
        #expect(abs(try #require(estimate(farm)) - 60) < 1e-9)
    }

    @Test("A stall lowers the completion rate and lengthens the estimate")
    func stallLengthens() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        for frame in 1...4 {
            farm.advance(10)
            farm.progress("p", frame, 1.0)
        }
        farm.advance(10)
        #expect(abs(try #require(estimate(farm)) - 80) < 1e-9)  // 6 / (3 / 40)
    }

    @Test("Fewer than three completions are no throughput")
    func tooFewCompletions() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        for frame in 1...2 {
            farm.advance(10)
            farm.progress("p", frame, 1.0)
        }
        #expect(estimate(farm) == nil)
    }

    @Test("Between waves, right after N frames finished together, the estimate still assumes about N machines")
    func betweenWaves() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...20))
        firstWave(&farm, durations: [100, 100, 100, 100])
        farm.advance(1)  // the farm has not picked up the next frames yet
        let expected = 16 * 100.0 / 4
        let answer = try #require(estimate(farm))
        #expect(abs(answer - expected) < expected * 0.25)
    }

    // MARK: Downloads

    @Test("Rendered frames no download has touched are a backlog that drains at the downloads' rate")
    func downloadBacklog() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: Array(1...10))
        // Ten frames rendered; three downloaded one after another, 20 s each, with one slot.
        for frame in 1...10 {
            farm.render("p", frame, job: "j\(frame)")
            farm.advance(1)
            farm.progress("p", frame, 1.0)
        }
        for frame in 1...3 {
            farm.download("p", frame, 0.5)
            farm.advance(20)
            farm.download("p", frame, 1.0)
        }
        #expect(farm.state("p") == .done)
        // Seven Done frames wait; 3 downloads in 40 s since the first finished: 2 / 40 a second.
        // One slot at that rate: 20 s each, 140 s in all, though the project reads done.
        #expect(abs(try #require(estimate(farm)) - 140) < 1e-6)
    }

    @Test("A downloading frame's own rate gives the time left")
    func downloadLeft() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1])
        firstWave(&farm, durations: [100])
        farm.download("p", 1, 0.0)
        farm.advance(10)
        farm.download("p", 1, 0.5)
        #expect(abs(try #require(estimate(farm)) - 10) < 1e-9)
    }

    @Test("With only downloads left and no download evidence yet, there is no estimate (not 0)")
    func downloadsWithoutEvidence() {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1])
        firstWave(&farm, durations: [100])
        farm.download("p", 1, 0.05)
        farm.advance(10)
        #expect(farm.state("p") == .running)
        #expect(estimate(farm) == nil)
    }

    @Test("A frame that finishes rendering and then finishes downloading is one completion")
    func downloadedFrameCountsOnce() throws {
        var farm = Farm(estimator: Self.raw)
        farm.start("p", frames: [1, 2])
        farm.render("p", 1)
        farm.advance(100)
        farm.progress("p", 1, 1.0)  // mantra exits 0
        farm.download("p", 1, 0.1)  // the cloud submitter downloads it
        farm.advance(10)
        farm.download("p", 1, 1.0)
        let project = try farm.project("p")
        #expect(project.renderDurations.values == [100])
        #expect(project.downloadDurations.values == [10])
        #expect(project.completionTimes.count == 1)
    }

    // MARK: Injection

    @Test("The tracker asks the injected estimator")
    func injectedEstimator() {
        struct Fixed: TimeLeftEstimating {
            func estimate(for project: Project, history: ShotHistory?, at now: Timestamp) -> TimeLeftEstimate? {
                let seconds = Double(project.frameCount) * 1000 + now.seconds(since: project.startedAt)
                return TimeLeftEstimate(seconds: seconds, low: seconds, high: seconds, isRange: false)
            }
        }
        var farm = Farm(estimator: Fixed())
        farm.start("p", frames: [1, 2, 3])
        farm.advance(7)
        #expect(farm.tracker.estimatedSecondsLeft(for: "p") == 3007)
        #expect(farm.tracker.summary(of: "p")?.secondsLeft == 3007)
    }
}

@Suite("EstimateRange")
struct EstimateRangeTests {
    @Test("an estimate past a year is no estimate: nil, as without evidence")
    func pastAYearIsUnknown() {
        var farm = Farm()
        farm.start("p", frames: Array(1...1000))
        farm.render("p", 1)
        // 10% in 4,000 s: 40,000 s a frame, 999 frames left on one machine: 463 days.
        farm.advance(4000)
        farm.progress("p", 1, 0.1)
        #expect(farm.tracker.estimatedSecondsLeft(for: "p") == nil)
        // The same rate on a 700-frame project is 324 days: an estimate.
        var smaller = Farm()
        smaller.start("p", frames: Array(1...700))
        smaller.render("p", 1)
        smaller.advance(4000)
        smaller.progress("p", 1, 0.1)
        let estimate = smaller.tracker.estimatedSecondsLeft(for: "p")
        #expect(estimate.map { $0 > 300 * 86_400 && $0 <= EstimateRange.maximumSeconds } == true, "\(String(describing: estimate))")
    }

    @Test("the range holds 0 to a year, nothing else", arguments: [
        (0.0, true), (EstimateRange.maximumSeconds, true), (EstimateRange.maximumSeconds.nextUp, false), (-1, false), (1e308, false),
        (.infinity, false), (.nan, false),
    ])
    func range(_ seconds: Double, _ contained: Bool) {
        #expect(EstimateRange.contains(seconds) == contained)
    }
}

@Suite("EstimateInterval")
struct EstimateIntervalTests {
    @Test("The summary carries an 80% range around the time left, widest early")
    func rangeInSummary() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...10))
        farm.render("p", 1, job: "j1")
        farm.advance(100)
        farm.progress("p", 1, 1.0)
        let summary = try #require(farm.tracker.summary(of: "p"))
        let seconds = try #require(summary.secondsLeft)
        let low = try #require(summary.secondsLeftLow)
        let high = try #require(summary.secondsLeftHigh)
        #expect(low < seconds && seconds < high)
        let late = EstimateInterval.calibrated(seconds: 100, shareDone: 0.5, learned: false)
        let early = EstimateInterval.calibrated(seconds: 100, shareDone: 0.1, learned: false)
        #expect(early.high / early.low > late.high / late.low)
    }

    @Test("Estimates made without a past render are lengthened by the tuning set's median error; learned ones are not")
    func medianTakenOut() {
        let plain = EstimateInterval.calibrated(seconds: 900, shareDone: 0.1, learned: false)
        #expect(abs(plain.seconds - 1000) < 1e-9)  // a median error of -10% at 10% done
        let learned = EstimateInterval.calibrated(seconds: 900, shareDone: 0.1, learned: true)
        #expect(learned.seconds == 900)
        #expect(learned.low < 900 && learned.high > 900)
    }

    @Test("An estimator's single number has no range on the summary")
    func oneNumberNoRange() throws {
        struct Fixed: TimeLeftEstimating {
            func estimate(for project: Project, history: ShotHistory?, at now: Timestamp) -> TimeLeftEstimate? {
                TimeLeftEstimate(seconds: 60, low: 60, high: 60, isRange: false)
            }
        }
        var farm = Farm(estimator: Fixed())
        farm.start("p", frames: [1])
        let summary = try #require(farm.tracker.summary(of: "p"))
        #expect(summary.secondsLeft == 60)
        #expect(summary.secondsLeftLow == nil && summary.secondsLeftHigh == nil)
    }
}
