import Testing
@testable import RenderTracker

@Suite("startedRenderProject")
struct StartedRenderProjectTests {
    @Test("Every frame starts Waiting with the project's job id")
    func framesStartWaiting() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3], job: "42")
        let project = try farm.project("p")
        #expect(project.frameCount == 3)
        for frame in project.framesInOrder {
            #expect(frame.status == .waiting)
            #expect(frame.jobID == "42")
            #expect(frame.fraction == 0)
            #expect(frame.imagePath == nil)
            #expect(frame.errorMessage == nil)
        }
        #expect(project.statusCounts[.waiting] == 3)
    }

    @Test("The project keeps its name, job id, generate_ifds flag and start time")
    func projectAttributes() throws {
        var farm = Farm()
        farm.start("p", frames: [1], generatesIFDs: false, job: "7")
        let project = try farm.project("p")
        #expect(project.name == "p")
        #expect(project.jobID == "7")
        #expect(project.generatesIFDs == false)
        #expect(project.startedAt == newYear2026)
        #expect(project.createdImplicitly == false)
        #expect(project.lastProjectError == nil)
    }

    @Test("Unsorted frame numbers are all kept")
    func unsortedFrames() throws {
        var farm = Farm()
        farm.start("p", frames: [9, 1, 5, 3, 7])
        let project = try farm.project("p")
        #expect(project.frameCount == 5)
        #expect(project.frameNumbersInOrder == [1, 3, 5, 7, 9])
    }

    @Test("A repeated frame number is one frame")
    func duplicateFrames() throws {
        var farm = Farm()
        let outcome = farm.start("p", frames: [1, 2, 2, 3, 1])
        let project = try farm.project("p")
        #expect(project.frameCount == 3)
        #expect(project.statusCounts[.waiting] == 3)
        #expect(project.frameNumbersInOrder == [1, 2, 3])
        #expect(outcome.events == [.projectStarted(project: "p", jobID: "100", frameCount: 3, replacedExisting: false)])
        // One log line per frame, not one per mention.
        #expect(farm.logTexts("p", 1) == ["Waiting (project started by job 100)"])
    }

    @Test("Starting a new project reports projectStarted without replacedExisting")
    func startEvent() {
        var farm = Farm()
        let outcome = farm.start("p", frames: [1, 2], job: "9")
        #expect(outcome.events == [.projectStarted(project: "p", jobID: "9", frameCount: 2, replacedExisting: false)])
    }

    @Test("Starting a project of a known name reports replacedExisting")
    func replaceEvent() {
        var farm = Farm()
        farm.start("p", frames: [1, 2], job: "9")
        let outcome = farm.start("p", frames: [5], job: "10")
        #expect(outcome.events == [.projectStarted(project: "p", jobID: "10", frameCount: 1, replacedExisting: true)])
    }

    @Test("Re-rendering replaces the frames, job id and generate_ifds of the old project")
    func replacesEverything() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3], generatesIFDs: true, job: "old")
        farm.render("p", 1)
        farm.progress("p", 2, 1.0)
        farm.fail("p", 3, "boom")
        farm.failProject("p", "missing hip")
        farm.start("p", frames: [10, 11], generatesIFDs: false, job: "new")

        let project = try farm.project("p")
        #expect(project.frameNumbersInOrder == [10, 11])
        #expect(project.frame(1) == nil)
        #expect(project.jobID == "new")
        #expect(project.generatesIFDs == false)
        #expect(project.lastProjectError == nil)
        #expect(project.state == .running)
        #expect(project.statusCounts[.waiting] == 2)
        #expect(project.statusCounts[.done] == 0)
        #expect(project.statusCounts[.error] == 0)
        #expect(farm.tracker.projectCount == 1)
    }

    @Test("Re-rendering starts frame logs afresh")
    func replacesLogs() {
        var farm = Farm()
        farm.start("p", frames: [1], job: "old")
        farm.render("p", 1)
        farm.fail("p", 1, "boom")
        farm.start("p", frames: [1], job: "new")
        #expect(farm.logTexts("p", 1) == ["Waiting (project started by job new)"])
        #expect(farm.status("p", 1) == .waiting)
    }

    @Test("Re-rendering a project forgets its estimate evidence")
    func replacesEvidence() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.render("p", 1)
        farm.advance(10)
        farm.progress("p", 1, 1.0)
        #expect(try farm.project("p").renderDurations.count == 1)
        farm.start("p", frames: [1, 2])
        let project = try farm.project("p")
        #expect(project.renderDurations.isEmpty)
        #expect(project.completionTimes.isEmpty)
    }

    @Test("The re-rendered project's start time is the time of the new start")
    func replacesStartTime() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.advance(3600)
        farm.start("p", frames: [1])
        #expect(try farm.project("p").startedAt == newYear2026.advanced(bySeconds: 3600))
    }

    @Test("Starting a project leaves other projects alone")
    func otherProjectsUntouched() throws {
        var farm = Farm()
        farm.start("a", frames: [1])
        farm.progress("a", 1, 1.0)
        farm.start("b", frames: [1])
        #expect(farm.status("a", 1) == .done)
        #expect(farm.tracker.projectNames == ["a", "b"])
    }

    @Test("A project started with no frames is running with no frames")
    func noFrames() throws {
        var farm = Farm()
        let outcome = farm.start("p", frames: [])
        let project = try farm.project("p")
        #expect(project.frameCount == 0)
        #expect(project.state == .running)
        #expect(outcome.events == [.projectStarted(project: "p", jobID: "100", frameCount: 0, replacedExisting: false)])
    }

    @Test("An empty job id is logged as '?'")
    func emptyJobID() {
        var farm = Farm()
        farm.start("p", frames: [1], job: "")
        #expect(farm.logTexts("p", 1) == ["Waiting (project started by job ?)"])
    }

    @Test("A job id longer than messageBytes is clipped")
    func longJobIDClipped() throws {
        var farm = Farm(limits: TrackerLimits(messageBytes: 10))
        farm.start("p", frames: [1], job: String(repeating: "j", count: 100))
        let project = try farm.project("p")
        #expect(project.jobID.contains("bytes cut"))
        #expect(project.jobID.hasPrefix("jjjjj\n"))
        #expect(try farm.frame("p", 1).jobID == project.jobID)
    }
}
