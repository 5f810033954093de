import Testing
@testable import RenderTracker

@Suite("Tracker totals (what /metrics reports)")
struct TrackerTotalsTests {
    @Test("An empty tracker has no projects and no frames")
    func empty() {
        let totals = Farm().tracker.totals
        #expect(totals.projects.isEmpty)
        #expect(FrameStatus.allCases.allSatisfy { totals.frames[$0] == 0 })
        #expect(totals.lastEventID == 0)
    }

    @Test("Projects are counted by state and frames by status, over every project")
    func countsAcrossProjects() {
        var farm = Farm()
        farm.start("running", frames: [1, 2, 3])
        farm.render("running", 1)
        farm.progress("running", 2, 1.0)
        farm.start("done", frames: [1])
        farm.progress("done", 1, 1.0)
        farm.start("failed", frames: [1, 2])
        farm.failProject("failed", "disk full")
        let totals = farm.tracker.totals
        #expect(totals.projects == [.running: 1, .done: 1, .failed: 1])
        #expect(totals.frames[.waiting] == 1)
        #expect(totals.frames[.rendering] == 1)
        #expect(totals.frames[.done] == 2)
        #expect(totals.frames[.error] == 2)
        #expect(totals.lastEventID == farm.tracker.lastEventID)
    }
}
