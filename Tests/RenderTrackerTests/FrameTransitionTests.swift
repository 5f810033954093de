import Testing
@testable import RenderTracker

@Suite("Frame transitions")
struct FrameTransitionTests {
    // MARK: IFD generation

    @Test("startedGeneratingFrameIFD puts the frame in Generating IFD")
    func generatingIFD() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        let outcome = farm.generating("p", 1)
        #expect(farm.status("p", 1) == .generatingIFD)
        #expect(farm.status("p", 2) == .waiting)
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .waiting, to: .generatingIFD, jobID: "100", message: nil)
        ])
    }

    @Test("endedGeneratingFrameIFD puts the frame in IFD Ready")
    func ifdReady() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.generating("p", 1)
        let outcome = farm.ifdReady("p", 1)
        #expect(farm.status("p", 1) == .ifdReady)
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .generatingIFD, to: .ifdReady, jobID: "100", message: nil)
        ])
        #expect(farm.logTexts("p", 1) == ["Waiting (project started by job 100)", "Generating IFD", "IFD Ready"])
    }

    // MARK: Rendering

    @Test("A rerun's startedFrameRender on a frame silent for minutes restarts its render clock: its duration is the rerun's")
    func rerunOfLostAttempt() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.apply(.startedFrameRender(project: "p", frame: 1, jobID: "7", imagePath: "/r/1.exr"))
        // The machine is lost; HQueue reruns the job ten minutes later elsewhere.
        farm.clock.advance(bySeconds: 600)
        farm.apply(.startedFrameRender(project: "p", frame: 1, jobID: "8", imagePath: "/r/1.exr"))
        farm.clock.advance(bySeconds: 100)
        farm.apply(.setFrameRenderFraction(project: "p", frame: 1, fraction: 1))
        let project = try #require(farm.tracker.project(named: "p"))
        #expect(project.renderDurations.values == [100])
        #expect(project.frame(1)?.renderStartedAt == newYear2026.advanced(bySeconds: 600))
    }

    @Test("startedFrameRender puts the frame in Rendering at fraction 0 with the job id and image path")
    func startedRender() throws {
        var farm = Farm()
        farm.start("p", frames: [1], job: "100")
        farm.ifdReady("p", 1)
        let outcome = farm.render("p", 1, job: "201", image: "/r/p.0001.exr")
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .rendering)
        #expect(frame.renderFraction == 0)
        #expect(frame.fraction == 0)
        #expect(frame.jobID == "201")
        #expect(frame.imagePath == "/r/p.0001.exr")
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .ifdReady, to: .rendering, jobID: "201", message: nil)
        ])
    }

    @Test("startedFrameRender resets the fraction of a frame that had progressed")
    func restartResetsFraction() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, 0.6)
        farm.render("p", 1, job: "300")
        #expect(try farm.frame("p", 1).renderFraction == 0)
        #expect(try farm.frame("p", 1).jobID == "300")
    }

    @Test("startedFrameRender on a frame in Error retries it: Rendering, error cleared")
    func retryAfterError() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1, job: "201")
        farm.fail("p", 1, "mantra crashed")
        let outcome = farm.render("p", 1, job: "202", image: "/r/retry.exr")
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .rendering)
        #expect(frame.errorMessage == nil)
        #expect(frame.jobID == "202")
        #expect(frame.imagePath == "/r/retry.exr")
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .error, to: .rendering, jobID: "202", message: nil)
        ])
    }

    @Test("The log of a retried frame says it is a retry after error")
    func retryLogged() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1, job: "201", image: "/a.exr")
        farm.fail("p", 1, "mantra crashed")
        farm.render("p", 1, job: "202", image: "/b.exr")
        #expect(farm.logTexts("p", 1) == [
            "Waiting (project started by job 100)",
            "Rendering by job 201, image /a.exr",
            "Error: mantra crashed",
            "Rendering by job 202, image /b.exr (retry after error)",
        ])
    }

    @Test("A retry clears the failed state of the project")
    func retryRevivesProject() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.fail("p", 1, "boom")
        #expect(farm.state("p") == .failed)
        let outcome = farm.render("p", 1)
        #expect(farm.state("p") == .running)
        #expect(outcome.stateChanges == [.projectStateChanged(project: "p", from: .failed, to: .running)])
    }

    @Test("Tiled renders: every tile job's startedFrameRender keeps the frame Rendering with the latest job id")
    func tiledRender() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        let first = farm.render("p", 1, job: "tile-0")
        let second = farm.render("p", 1, job: "tile-1")
        let third = farm.render("p", 1, job: "tile-2")
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .rendering)
        #expect(frame.jobID == "tile-2")
        #expect(first.statusChanges.count == 1)
        #expect(second.statusChanges.isEmpty)
        #expect(third.statusChanges.isEmpty)
        #expect(try farm.project("p").statusCounts[.rendering] == 1)
        #expect(farm.logTexts("p", 1).filter { $0.hasPrefix("Rendering by job tile-") }.count == 3)
    }

    @Test("Tiled renders: the frame's render start is the first tile's start")
    func tiledRenderStart() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1, job: "tile-0")
        farm.advance(5)
        farm.render("p", 1, job: "tile-1")
        #expect(try farm.frame("p", 1).renderStartedAt == newYear2026)
    }

    // MARK: Render fractions

    @Test("setFrameRenderFraction puts the frame in Rendering with the fraction")
    func renderFraction() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, 0.42)
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .rendering)
        #expect(frame.renderFraction == 0.42)
        #expect(frame.snapshot == FrameSnapshot(number: 1, status: .rendering, fraction: 0.42))
    }

    @Test("setFrameRenderFraction on a Waiting frame starts Rendering")
    func renderFractionFromWaiting() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        let outcome = farm.progress("p", 1, 0.3)
        #expect(farm.status("p", 1) == .rendering)
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .waiting, to: .rendering, jobID: "100", message: nil)
        ])
    }

    @Test("A progress report within Rendering is not a status change")
    func progressIsNotAnEvent() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        let outcome = farm.progress("p", 1, 0.5)
        #expect(outcome.events.isEmpty)
    }

    @Test("A render fraction of 1 finishes the frame")
    func fractionOneIsDone() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.render("p", 1)
        farm.advance(30)
        let outcome = farm.progress("p", 1, 1.0)
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .done)
        #expect(frame.fraction == 1)
        #expect(frame.finishedAt == newYear2026.advanced(bySeconds: 30))
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .rendering, to: .done, jobID: "200", message: nil)
        ])
    }

    @Test(
        "Render fractions as clients send them land on the right status and fraction",
        arguments: [
            (0.0, FrameStatus.rendering, 0.0),
            (0.07, .rendering, 0.07),
            (0.99, .rendering, 0.99),
            (1.0, .done, 1.0),
            (100.0, .done, 1.0),  // render-from-hip route
            (50.0, .rendering, 0.5),
            (250.0, .done, 1.0),
            (-3.0, .rendering, 0.0),
        ])
    func fractionScales(reported: Double, status: FrameStatus, fraction: Double) throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, reported)
        let frame = try farm.frame("p", 1)
        #expect(frame.status == status)
        #expect(abs(frame.fraction - fraction) < 1e-12)
    }

    @Test("A percentage of 50 is stored as the fraction 0.5")
    func percentageStored() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, 50.0)
        #expect(try farm.frame("p", 1).renderFraction == 0.5)
    }

    @Test("NaN and infinite render fractions change nothing", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteRenderFraction(value: Double) throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, 0.4)
        let before = try farm.frame("p", 1)
        let counterBefore = farm.tracker.lastEventID
        let logBefore = farm.log("p", 1)
        let outcome = farm.progress("p", 1, value)
        let after = try farm.frame("p", 1)
        #expect(outcome.events.isEmpty)
        #expect(outcome.lastEventID == counterBefore)
        #expect(farm.tracker.lastEventID == counterBefore)
        #expect(after.status == .rendering)
        #expect(after.renderFraction == 0.4)
        #expect(after.eventID == before.eventID)
        #expect(farm.log("p", 1) == logBefore)
    }

    @Test("A NaN fraction for an unknown project creates nothing")
    func nonFiniteOnUnknownProject() {
        var farm = Farm()
        let outcome = farm.progress("ghost", 1, .nan)
        #expect(farm.tracker.project(named: "ghost") == nil)
        #expect(outcome.events.isEmpty)
        #expect(farm.tracker.lastEventID == 0)
    }

    // MARK: Downloads

    @Test("setFrameDownloadFraction puts the frame in Downloading with the fraction")
    func downloading() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, 1.0)
        let outcome = farm.download("p", 1, 0.25)
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .downloading)
        #expect(frame.downloadFraction == 0.25)
        #expect(frame.fraction == 0.25)
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .done, to: .downloading, jobID: "200", message: nil)
        ])
    }

    @Test("A download fraction of 1 finishes the frame")
    func downloadDone() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.download("p", 1, 0.5)
        farm.download("p", 1, 1.0)
        #expect(farm.status("p", 1) == .done)
        #expect(try farm.frame("p", 1).fraction == 1)
    }

    @Test("A download percentage of 100 finishes the frame")
    func downloadPercentDone() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.download("p", 1, 100.0)
        #expect(farm.status("p", 1) == .done)
    }

    @Test("NaN download fractions change nothing")
    func nonFiniteDownload() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.download("p", 1, 0.3)
        let counter = farm.tracker.lastEventID
        let outcome = farm.download("p", 1, .nan)
        #expect(outcome.lastEventID == counter)
        #expect(try farm.frame("p", 1).downloadFraction == 0.3)
    }

    // MARK: Errors

    @Test("setFrameError puts the frame in Error with the message")
    func frameError() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.render("p", 1, job: "201")
        let outcome = farm.fail("p", 1, "mantra: exit 3")
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .error)
        #expect(frame.errorMessage == "mantra: exit 3")
        #expect(frame.fraction == 0)
        #expect(outcome.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .rendering, to: .error, jobID: "201", message: "mantra: exit 3")
        ])
        #expect(farm.logTexts("p", 1).last == "Error: mantra: exit 3")
    }

    @Test("An error message longer than messageBytes keeps its head and tail")
    func longErrorClipped() throws {
        var farm = Farm(limits: TrackerLimits(messageBytes: 100))
        let output = "HEAD" + String(repeating: "x", count: 10_000) + "TAIL: Error: license"
        farm.fail("p", 1, output)
        let message = try #require(try farm.frame("p", 1).errorMessage)
        #expect(message.hasPrefix("HEAD"))
        #expect(message.hasSuffix("TAIL: Error: license"))
        #expect(message.contains("bytes cut"))
        #expect(message.utf8.count < 200)
    }

    @Test("A second error replaces the first message")
    func secondError() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.fail("p", 1, "first")
        let outcome = farm.fail("p", 1, "second")
        #expect(try farm.frame("p", 1).errorMessage == "second")
        #expect(outcome.statusChanges.isEmpty)
    }

    @Test("A frame that leaves Error through a progress report no longer carries the error message")
    func progressOutOfErrorClearsMessage() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1, job: "201")
        farm.fail("p", 1, "tile 3 failed")
        let resumed = farm.progress("p", 1, 0.5)  // another tile job of the same frame reports on
        let finished = farm.progress("p", 1, 1.0)
        let frame = try farm.frame("p", 1)
        #expect(frame.status == .done)
        #expect(frame.errorMessage == nil)
        #expect(resumed.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .error, to: .rendering, jobID: "201", message: nil)
        ])
        #expect(finished.statusChanges == [
            .frameStatusChanged(project: "p", frame: 1, from: .rendering, to: .done, jobID: "201", message: nil)
        ])
    }

    @Test("Image paths longer than messageBytes are clipped")
    func longImagePathClipped() throws {
        var farm = Farm(limits: TrackerLimits(messageBytes: 20))
        farm.start("p", frames: [1])
        farm.render("p", 1, image: "/" + String(repeating: "d/", count: 100) + "img.exr")
        let path = try #require(try farm.frame("p", 1).imagePath)
        #expect(path.contains("bytes cut"))
        #expect(path.hasSuffix("img.exr"))
    }

    // MARK: The IFD route end to end

    @Test("A frame of the IFD route goes Waiting, Generating IFD, IFD Ready, Rendering, Done")
    func ifdRouteSequence() throws {
        var farm = Farm()
        farm.start("p", frames: [1], generatesIFDs: true)
        var seen = [farm.status("p", 1)]
        farm.generating("p", 1); seen.append(farm.status("p", 1))
        farm.ifdReady("p", 1); seen.append(farm.status("p", 1))
        farm.render("p", 1); seen.append(farm.status("p", 1))
        farm.progress("p", 1, 0.5); seen.append(farm.status("p", 1))
        farm.progress("p", 1, 1.0); seen.append(farm.status("p", 1))
        #expect(seen == [.waiting, .generatingIFD, .ifdReady, .rendering, .rendering, .done])
        #expect(farm.state("p") == .done)
    }
}
