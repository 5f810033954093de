import Testing
@testable import RenderTracker

@Suite("Derived project state")
struct ProjectStateTests {
    @Test("A freshly started project is running")
    func startedIsRunning() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        #expect(farm.state("p") == .running)
    }

    @Test("A project is running while any frame has work ahead", arguments: [
        FrameStatus.waiting, .generatingIFD, .ifdReady, .rendering, .downloading,
    ])
    func runningWhileAnyActive(status: FrameStatus) {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        farm.progress("p", 1, 1.0)
        farm.fail("p", 2, "x")
        switch status {
        case .waiting: break
        case .generatingIFD: farm.generating("p", 3)
        case .ifdReady: farm.ifdReady("p", 3)
        case .rendering: farm.render("p", 3)
        case .downloading: farm.download("p", 3, 0.5)
        default: Issue.record("not an active status")
        }
        #expect(farm.status("p", 3) == status)
        #expect(farm.state("p") == .running)
    }

    @Test("A project is done when every frame is Done")
    func doneWhenAllDone() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 1.0)
        #expect(farm.state("p") == .running)
        farm.progress("p", 2, 1.0)
        #expect(farm.state("p") == .done)
    }

    @Test("A project is failed when no frame is active and at least one is in Error")
    func failedWhenNoActiveAndError() {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        farm.progress("p", 1, 1.0)
        farm.fail("p", 2, "x")
        #expect(farm.state("p") == .running)
        farm.progress("p", 3, 1.0)
        #expect(farm.state("p") == .failed)
    }

    @Test("A project whose frames are all in Error is failed")
    func allErrorFailed() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.fail("p", 1, "x")
        farm.fail("p", 2, "y")
        #expect(farm.state("p") == .failed)
    }

    @Test("Finishing the last frame reports running to done, once")
    func doneTransitionEvent() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        let first = farm.progress("p", 1, 1.0)
        let last = farm.progress("p", 2, 1.0)
        #expect(first.stateChanges.isEmpty)
        #expect(last.stateChanges == [.projectStateChanged(project: "p", from: .running, to: .done)])
    }

    @Test("Failing the last active frame reports running to failed")
    func failedTransitionEvent() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 1.0)
        let outcome = farm.fail("p", 2, "x")
        #expect(outcome.stateChanges == [.projectStateChanged(project: "p", from: .running, to: .failed)])
    }

    @Test("Re-rendering a frame of a done project reports done to running")
    func doneToRunningEvent() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.progress("p", 1, 1.0)
        let outcome = farm.render("p", 1)
        #expect(outcome.stateChanges == [.projectStateChanged(project: "p", from: .done, to: .running)])
    }

    @Test("Writes that leave the state as it was report no state change")
    func noEventWithoutTransition() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        var outcomes = [
            farm.generating("p", 1),
            farm.ifdReady("p", 1),
            farm.render("p", 1),
            farm.progress("p", 1, 0.5),
            farm.progress("p", 1, 1.0),
            farm.fail("p", 2, "x"),  // running -> failed: the one transition
            farm.fail("p", 2, "again"),
            farm.fail("p", 1, "late error"),  // failed stays failed
        ]
        let transition = outcomes.remove(at: 5)
        #expect(transition.stateChanges.count == 1)
        for outcome in outcomes {
            #expect(outcome.stateChanges.isEmpty)
        }
    }

    @Test("Turning the last Error into Done reports failed to done")
    func failedToDone() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.progress("p", 1, 1.0)
        farm.fail("p", 2, "x")
        let outcome = farm.progress("p", 2, 1.0)
        #expect(farm.state("p") == .done)
        #expect(outcome.stateChanges == [.projectStateChanged(project: "p", from: .failed, to: .done)])
    }

    @Test("Adding a frame to a done project makes it running again, and says so")
    func addingFrameToDoneProject() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.progress("p", 1, 1.0)
        let outcome = farm.generating("p", 2)
        #expect(farm.state("p") == .running)
        #expect(outcome.stateChanges == [.projectStateChanged(project: "p", from: .done, to: .running)])
    }

    @Test("A project with no frames and no error is running")
    func emptyIsRunning() {
        var farm = Farm()
        farm.start("p", frames: [])
        #expect(farm.state("p") == .running)
    }

    @Test("Status counts follow every transition")
    func statusCounts() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3, 4, 5, 6, 7])
        farm.generating("p", 2)
        farm.ifdReady("p", 3)
        farm.render("p", 4)
        farm.download("p", 5, 0.5)
        farm.progress("p", 6, 1.0)
        farm.fail("p", 7, "x")
        let counts = try farm.project("p").statusCounts
        #expect(FrameStatus.allCases.map { counts[$0] } == [1, 1, 1, 1, 1, 1, 1])
        #expect(counts.active == 5)
    }
}
