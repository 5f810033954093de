import Testing
@testable import RenderTracker

/// Every frame-level write as a farm job sends it, for project "ghost" and frame 7.
let frameWrites: [TrackerCommand] = [
    .startedGeneratingFrameIFD(project: "ghost", frame: 7),
    .endedGeneratingFrameIFD(project: "ghost", frame: 7),
    .startedFrameRender(project: "ghost", frame: 7, jobID: "j", imagePath: "/i.exr"),
    .setFrameRenderFraction(project: "ghost", frame: 7, fraction: 0.5),
    .setFrameRenderFraction(project: "ghost", frame: 7, fraction: 1.0),
    .setFrameDownloadFraction(project: "ghost", frame: 7, fraction: 0.5),
    .setFrameError(project: "ghost", frame: 7, message: "boom"),
]

@Suite("Writes for unknown projects and frames")
struct ImplicitCreationTests {
    @Test("A frame write for an unknown project creates it implicitly", arguments: frameWrites)
    func createsProject(command: TrackerCommand) throws {
        var farm = Farm()
        farm.apply(command)
        let project = try farm.project("ghost")
        #expect(project.createdImplicitly)
        #expect(project.jobID == "")
        #expect(project.startedAt == newYear2026)
        #expect(project.frameCount == 1)
        #expect(project.frame(7) != nil)
    }

    @Test("A frame write for an unknown project reports projectCreatedImplicitly then frameAddedImplicitly", arguments: frameWrites)
    func createdEvents(command: TrackerCommand) {
        var farm = Farm()
        let outcome = farm.apply(command)
        #expect(outcome.events.count >= 2)
        #expect(outcome.events.first == .projectCreatedImplicitly(project: "ghost", method: command.methodName))
        #expect(outcome.events.dropFirst().first == .frameAddedImplicitly(project: "ghost", frame: 7, method: command.methodName))
    }

    @Test("The first log line of an implicitly created frame names the method and says the project was created", arguments: frameWrites)
    func createdLogLine(command: TrackerCommand) {
        var farm = Farm()
        farm.apply(command)
        let log = farm.log("ghost", 7)
        #expect(log.first == "2026-01-01T00:00:00.000Z first heard of in \(command.methodName): project created implicitly")
        #expect(log.count == 2)
    }

    @Test("The write itself still applies to the implicitly created frame", arguments: zip(frameWrites, [
        FrameStatus.generatingIFD, .ifdReady, .rendering, .rendering, .done, .downloading, .error,
    ]))
    func writeApplies(command: TrackerCommand, status: FrameStatus) {
        var farm = Farm()
        let outcome = farm.apply(command)
        #expect(farm.status("ghost", 7) == status)
        #expect(outcome.statusChanges.count == 1)
    }

    @Test("A frame write for an unknown frame of a known project adds the frame", arguments: frameWrites)
    func addsFrame(command: TrackerCommand) throws {
        var farm = Farm()
        farm.start("ghost", frames: [1, 2], job: "100")
        let outcome = farm.apply(command)
        let project = try farm.project("ghost")
        #expect(project.frameCount == 3)
        #expect(project.createdImplicitly == false)
        #expect(!outcome.events.contains(.projectCreatedImplicitly(project: "ghost", method: command.methodName)))
        #expect(outcome.events.first == .frameAddedImplicitly(project: "ghost", frame: 7, method: command.methodName))
        #expect(farm.logTexts("ghost", 7).first == "first heard of in \(command.methodName): frame added to the project")
    }

    @Test("A frame added to a known project takes the project's job id until a render names one")
    func addedFrameJobID() throws {
        var farm = Farm()
        farm.start("p", frames: [1], job: "100")
        farm.generating("p", 9)
        #expect(try farm.frame("p", 9).jobID == "100")
    }

    @Test("A known frame of a known project reports no implicit creation")
    func knownFrameNoImplicitEvents() {
        var farm = Farm()
        farm.start("p", frames: [1])
        let outcome = farm.render("p", 1)
        #expect(!outcome.events.contains { event in
            switch event {
            case .projectCreatedImplicitly, .frameAddedImplicitly: true
            default: false
            }
        })
    }

    @Test("A second write for an implicitly created project does not create it again")
    func createdOnce() throws {
        var farm = Farm()
        farm.progress("ghost", 1, 1.0)
        let outcome = farm.progress("ghost", 2, 1.0)
        #expect(outcome.events.first == .frameAddedImplicitly(project: "ghost", frame: 2, method: "setFrameRenderFraction"))
        #expect(try farm.project("ghost").frameCount == 2)
        #expect(farm.tracker.projectCount == 1)
    }

    @Test("removeProject on an unknown project creates nothing and removes nothing")
    func removeUnknown() {
        var farm = Farm()
        let outcome = farm.apply(.removeProject(project: "ghost"))
        #expect(!outcome.removedProject)
        #expect(outcome.events.isEmpty)
        #expect(farm.tracker.projectCount == 0)
    }

    @Test("removeProject removes a known project")
    func removeKnown() {
        var farm = Farm()
        farm.start("p", frames: [1])
        let outcome = farm.apply(.removeProject(project: "p"))
        #expect(outcome.removedProject)
        #expect(outcome.events == [.projectRemoved(project: "p")])
        #expect(farm.tracker.project(named: "p") == nil)
    }

    // MARK: The existing-IFD route

    @Test("Existing-IFD route: frames only finishing make an implicit project whose frames are Done")
    func existingIFDRouteDone() throws {
        var farm = Farm()
        for frame in 1...4 {
            farm.advance(10)
            farm.progress("shot", frame, 1.0)
        }
        let project = try farm.project("shot")
        #expect(project.createdImplicitly)
        #expect(project.frameNumbersInOrder == [1, 2, 3, 4])
        #expect(project.statusCounts[.done] == 4)
        #expect(project.state == .done)
        #expect(farm.tracker.estimatedSecondsLeft(for: "shot") == 0)
    }

    @Test("Existing-IFD route: a failed frame among finished ones fails the project")
    func existingIFDRouteError() throws {
        var farm = Farm()
        farm.progress("shot", 1, 1.0)
        farm.fail("shot", 2, "mantra exit 1")
        farm.progress("shot", 3, 1.0)
        let project = try farm.project("shot")
        #expect(project.statusCounts[.done] == 2)
        #expect(project.statusCounts[.error] == 1)
        #expect(try farm.frame("shot", 2).errorMessage == "mantra exit 1")
        #expect(project.state == .failed)
    }

    @Test("Existing-IFD route: the first finished frame's log says it was first heard of there, then Done")
    func existingIFDRouteLog() {
        var farm = Farm()
        farm.progress("shot", 1, 1.0)
        #expect(farm.logTexts("shot", 1) == [
            "first heard of in setFrameRenderFraction: project created implicitly",
            "Done",
        ])
    }

    @Test("Existing-IFD route: creation events, then Waiting to Done, then running to done")
    func existingIFDRouteEvents() {
        var farm = Farm()
        let outcome = farm.progress("shot", 1, 1.0)
        #expect(outcome.events == [
            .projectCreatedImplicitly(project: "shot", method: "setFrameRenderFraction"),
            .frameAddedImplicitly(project: "shot", frame: 1, method: "setFrameRenderFraction"),
            .frameStatusChanged(project: "shot", frame: 1, from: .waiting, to: .done, jobID: "", message: nil),
            .projectStateChanged(project: "shot", from: .running, to: .done),
        ])
    }

    @Test("A restarted tracker picks a render up mid-way from its progress reports")
    func restartedTracker() throws {
        var farm = Farm()
        farm.progress("p", 12, 0.45)
        let frame = try farm.frame("p", 12)
        #expect(frame.status == .rendering)
        #expect(frame.renderFraction == 0.45)
        #expect(try farm.project("p").state == .running)
    }
}
