import Testing
@testable import RenderTracker

@Suite("Reads on unknown projects and frames")
struct UnknownProjectReadTests {
    @Test("project(named:) is nil for an unknown project")
    func projectNil() {
        let farm = Farm()
        #expect(farm.tracker.project(named: "ghost") == nil)
        #expect(farm.tracker.summary(of: "ghost") == nil)
    }

    @Test("estimatedSecondsLeft is nil for an unknown project")
    func estimateNil() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.progress("p", 1, 1.0)
        #expect(farm.tracker.estimatedSecondsLeft(for: "p") == 0)
        #expect(farm.tracker.estimatedSecondsLeft(for: "ghost") == nil)
    }

    @Test("An unknown project has no frame, so its frame log (getFrameLog) is empty")
    func frameLogEmptyForUnknownProject() {
        let farm = Farm()
        #expect(farm.tracker.project(named: "ghost")?.frame(1) == nil)
        #expect(farm.log("ghost", 1).isEmpty)
    }

    @Test("An unknown frame of a known project has an empty frame log")
    func frameLogEmptyForUnknownFrame() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        let project = try farm.project("p")
        #expect(project.frame(1)?.logLines.isEmpty == false)
        #expect(project.frame(2) == nil)
        #expect(farm.log("p", 2).isEmpty)
    }

    @Test("changedFrames on an unknown project is a reset with no frames and the current counter")
    func changedFramesReset() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        let answer = farm.tracker.changedFrames(in: "ghost", since: 1)
        #expect(answer == ChangedFrames(eventID: farm.tracker.lastEventID, frames: [], reset: true))
    }

    @Test("suggestInactiveProjectName returns an unknown name unchanged")
    func suggestUnknown() {
        let farm = Farm()
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot")
    }

    @Test("Reads do not create the project")
    func readsCreateNothing() {
        let farm = Farm()
        _ = farm.tracker.changedFrames(in: "ghost", since: 0)
        _ = farm.tracker.estimatedSecondsLeft(for: "ghost")
        _ = farm.tracker.suggestInactiveProjectName("ghost")
        #expect(farm.tracker.projectCount == 0)
        #expect(farm.tracker.lastEventID == 0)
    }
}
