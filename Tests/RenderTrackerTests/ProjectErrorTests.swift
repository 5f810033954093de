import Testing
@testable import RenderTracker

@Suite("setProjectError")
struct ProjectErrorTests {
    /// Frames 1 Waiting, 2 IFD Ready, 3 Rendering, 4 Done, 5 Error, 6 Downloading.
    func mixedProject() -> Farm {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3, 4, 5, 6], job: "100")
        farm.ifdReady("p", 2)
        farm.render("p", 3)
        farm.progress("p", 4, 1.0)
        farm.fail("p", 5, "old error")
        farm.download("p", 6, 0.5)
        return farm
    }

    @Test("Every frame not Done goes to Error with the message")
    func notDoneFramesFail() throws {
        var farm = mixedProject()
        farm.failProject("p", "cannot create IFD dir")
        for number in [1, 2, 3, 5, 6] {
            let frame = try farm.frame("p", number)
            #expect(frame.status == .error, "frame \(number)")
            #expect(frame.errorMessage == "cannot create IFD dir", "frame \(number)")
        }
    }

    @Test("Done frames keep Done")
    func doneFramesKeepDone() throws {
        var farm = mixedProject()
        farm.failProject("p", "cannot create IFD dir")
        let frame = try farm.frame("p", 4)
        #expect(frame.status == .done)
        #expect(frame.errorMessage == nil)
    }

    @Test("Done frames get a log line about the project error")
    func doneFramesLogged() {
        var farm = mixedProject()
        farm.failProject("p", "missing node /out/mantra1")
        #expect(farm.logTexts("p", 4).last == "project error (frame stays Done): missing node /out/mantra1")
    }

    @Test("Failed frames log the project error")
    func failedFramesLogged() {
        var farm = mixedProject()
        farm.failProject("p", "missing hip")
        #expect(farm.logTexts("p", 1).last == "Error (project error): missing hip")
    }

    @Test("The project records the error and is failed")
    func projectFailed() throws {
        var farm = mixedProject()
        farm.failProject("p", "missing hip")
        let project = try farm.project("p")
        #expect(project.lastProjectError == "missing hip")
        #expect(project.state == .failed)
        #expect(project.statusCounts[.error] == 5)
        #expect(project.statusCounts[.done] == 1)
        #expect(project.statusCounts.active == 0)
    }

    @Test("Events: the project error, a status change for each frame that changed, then the state change")
    func events() {
        var farm = mixedProject()
        let outcome = farm.failProject("p", "missing hip")
        #expect(outcome.events.first == .projectError(project: "p", message: "missing hip"))
        let changed = outcome.statusChanges.compactMap { event -> Int? in
            if case let .frameStatusChanged(_, frame, _, to, _, message) = event, to == .error, message == "missing hip" {
                return frame
            }
            return nil
        }
        #expect(changed == [1, 2, 3, 6])  // frame 5 was already in Error, frame 4 stays Done
        #expect(outcome.events.last == .projectStateChanged(project: "p", from: .running, to: .failed))
    }

    @Test("A project error on a project whose frames are all Done leaves it done")
    func allDoneStaysDone() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 1.0)
        farm.progress("p", 2, 1.0)
        let outcome = farm.failProject("p", "Output driver '/out/mantra1' does not exist.")
        #expect(farm.state("p") == .done)
        #expect(try farm.project("p").lastProjectError == "Output driver '/out/mantra1' does not exist.")
        #expect(outcome.stateChanges.isEmpty)
    }

    @Test("A frame failed by a project error can be retried")
    func retryAfterProjectError() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.failProject("p", "Output driver '/out/mantra1' does not exist.")  // the spurious one
        farm.render("p", 1)
        #expect(farm.status("p", 1) == .rendering)
        #expect(farm.state("p") == .running)
        #expect(try farm.frame("p", 1).errorMessage == nil)
    }

    @Test("setProjectError on an unknown project creates it, and it is failed")
    func unknownProject() throws {
        var farm = Farm()
        let outcome = farm.failProject("ghost", "missing hip file")
        let project = try farm.project("ghost")
        #expect(project.createdImplicitly)
        #expect(project.frameCount == 0)
        #expect(project.lastProjectError == "missing hip file")
        #expect(project.state == .failed)
        #expect(outcome.events == [
            .projectCreatedImplicitly(project: "ghost", method: "setProjectError"),
            .projectError(project: "ghost", message: "missing hip file"),
            .projectStateChanged(project: "ghost", from: .running, to: .failed),
        ])
    }

    @Test("A project error stamps every frame, Done ones included, with a new event id")
    func stampsEveryFrame() throws {
        var farm = mixedProject()
        let before = farm.tracker.lastEventID
        farm.failProject("p", "x")
        let ids = try farm.project("p").framesInOrder.map(\.eventID)
        #expect(ids.allSatisfy { $0 > before })
        #expect(Set(ids).count == 6)
        #expect(farm.tracker.lastEventID == before + 6)
    }

    @Test("A long project error message is clipped")
    func longMessageClipped() throws {
        var farm = Farm(limits: TrackerLimits(messageBytes: 64))
        farm.start("p", frames: [1])
        farm.failProject("p", String(repeating: "m", count: 1000))
        let project = try farm.project("p")
        let message = try #require(project.lastProjectError)
        #expect(message.contains("bytes cut"))
        #expect(try farm.frame("p", 1).errorMessage == message)
    }
}
