import Testing
@testable import RenderTracker

@Suite("BuiltInTimeLeftEstimator")
struct TimeLeftEstimatorTests {
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
        var farm = Farm()
        farm.start("p", frames: Array(1...10))
        #expect(estimate(farm) == nil)
        farm.advance(600)
        #expect(estimate(farm) == nil)
    }

    @Test("No estimate while frames in flight are too early to tell their rate")
    func nilWhileTooEarly() {
        var farm = Farm()
        farm.start("p", frames: Array(1...10))
        for frame in 1...4 { farm.render("p", frame) }
        farm.advance(30)
        for frame in 1...4 { farm.progress("p", frame, 0.05) }
        #expect(estimate(farm) == nil)
    }

    @Test("A done project has 0 seconds left")
    func zeroWhenDone() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 1.0)
        farm.progress("p", 2, 1.0)
        #expect(estimate(farm) == 0)
    }

    @Test("A failed project has no estimate")
    func nilWhenFailed() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        firstWave(&farm, durations: [100])
        farm.fail("p", 2, "x")
        #expect(farm.state("p") == .failed)
        #expect(estimate(farm) == nil)
    }

    @Test("Frames waiting with nothing rendering now assume as many machines as were seen rendering")
    func idleAssumesMachinesSeen() {
        var farm = Farm()
        farm.start("p", frames: Array(1...10))
        firstWave(&farm, durations: [100])  // one duration known, one machine seen, no rate
        farm.advance(50)
        #expect(estimate(farm) == 900)
    }

    @Test("Frames waiting with nothing ever rendered give no estimate")
    func nilWhenNothingEverRendered() {
        var farm = Farm()
        farm.start("p", frames: Array(1...10))
        farm.advance(50)
        #expect(estimate(farm) == nil)
    }

    // MARK: From render durations

    // With every frame in flight progressing at exactly the mean rate, each one's own rate and the
    // mean agree (own = prior = mean x (1 - fraction)), so the estimate is the formula up to rounding,
    // plus the last wave's spread: from 4 samples on, durations straying by 10 s make the longest of
    // the N final frames run 10 s x (expected largest of N normal draws: 1.029 for 4, 1.424 for 8) long.
    @Test(
        "With N frames rendering at once, the queue takes remaining frames x mean duration / N",
        arguments: [1, 2, 4, 8])
    func queueOverMachines(machines: Int) throws {
        var farm = Farm()
        let frameCount = machines * 5
        farm.start("p", frames: Array(1...frameCount))
        // Durations around a mean of 100 s.
        let durations = (0..<machines).map { 100.0 + (machines == 1 ? 0 : Double($0 % 2 == 0 ? -10 : 10)) }
        firstWave(&farm, durations: durations)
        let mean = try #require(try farm.project("p").renderDurations.mean)
        #expect(abs(mean - 100) < 1e-9)
        // The next wave starts together.
        for frame in machines + 1...2 * machines { farm.render("p", frame) }
        let remaining = Double(frameCount - machines)
        let tail: Double = [4: 10.29, 8: 14.24][machines] ?? 0
        let atStart = try #require(estimate(farm))
        let expectedAtStart: Double = remaining * mean / Double(machines) + tail
        #expect(abs(atStart - expectedAtStart) < 1e-6)
        // A quarter of the way through the wave.
        farm.advance(25)
        for frame in machines + 1...2 * machines { farm.progress("p", frame, 0.25) }
        let later = try #require(estimate(farm))
        let expectedLater: Double = (remaining * mean - Double(machines) * 25) / Double(machines) + tail
        #expect(abs(later - expectedLater) < 1e-6)
    }

    @Test("The last frame rendering alone has its own time left, not the queue's")
    func lastFrame() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        firstWave(&farm, durations: [100])
        farm.render("p", 2)
        farm.advance(40)
        farm.progress("p", 2, 0.4)
        #expect(abs(try #require(estimate(farm)) - 60) < 1e-9)
    }

    @Test("An in-flight frame's own progress counts: a fast frame has less left than the mean implies")
    func ownProgressUsed() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        firstWave(&farm, durations: [100])
        farm.render("p", 2)
        farm.advance(20)
        farm.progress("p", 2, 0.5)  // own rate: 20 s left; the mean says 50 s
        // Blend trusting its own rate by its fraction: 0.5 x 20 + 0.5 x 50.
        #expect(abs(try #require(estimate(farm)) - 35) < 1e-9)
    }

    @Test("Without finished renders, a frame far enough along gives the estimate from its own rate")
    func ownRateAlone() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.advance(30)
        farm.progress("p", 1, 0.25)
        #expect(abs(try #require(estimate(farm)) - 90) < 1e-9)
    }

    @Test("Frames in flight without finished renders imply the typical duration for the queue")
    func impliedDurationForQueue() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...6))
        farm.render("p", 1)
        farm.render("p", 2)
        farm.advance(50)
        farm.progress("p", 1, 0.5)
        farm.progress("p", 2, 0.5)
        // Each frame implies 100 s, 50 s left each; 4 queued x 100 s; 2 machines: (100 + 400) / 2.
        #expect(abs(try #require(estimate(farm)) - 250) < 1e-9)
    }

    @Test("Render durations of frames first seen mid-render are not used as samples")
    func midRenderNotSampled() throws {
        var farm = Farm()
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
        var farm = Farm()
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
        var farm = Farm()
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
        var farm = Farm()
        farm.start("p", frames: Array(1...10))
        for frame in 1...2 {
            farm.advance(10)
            farm.progress("p", frame, 1.0)
        }
        #expect(estimate(farm) == nil)
    }

    @Test("Between waves, right after N frames finished together, the estimate still assumes about N machines")
    func betweenWaves() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...20))
        firstWave(&farm, durations: [100, 100, 100, 100])
        farm.advance(1)  // the farm has not picked up the next frames yet
        let expected = 16 * 100.0 / 4
        let answer = try #require(estimate(farm))
        #expect(abs(answer - expected) < expected * 0.25)
    }

    // MARK: Downloads

    @Test("A downloading frame's own rate gives the time left")
    func downloadLeft() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        firstWave(&farm, durations: [100])
        farm.download("p", 1, 0.0)
        farm.advance(10)
        farm.download("p", 1, 0.5)
        #expect(abs(try #require(estimate(farm)) - 10) < 1e-9)
    }

    @Test("With only downloads left and no download evidence yet, there is no estimate (not 0)")
    func downloadsWithoutEvidence() {
        var farm = Farm()
        farm.start("p", frames: [1])
        firstWave(&farm, durations: [100])
        farm.download("p", 1, 0.05)
        farm.advance(10)
        #expect(farm.state("p") == .running)
        #expect(estimate(farm) == nil)
    }

    @Test("A frame that finishes rendering and then finishes downloading is one completion")
    func downloadedFrameCountsOnce() throws {
        var farm = Farm()
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
            func secondsLeft(for project: Project, at now: Timestamp) -> Double? {
                Double(project.frameCount) * 1000 + now.seconds(since: project.startedAt)
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
