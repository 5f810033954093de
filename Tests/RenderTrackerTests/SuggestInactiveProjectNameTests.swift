import Testing
@testable import RenderTracker

@Suite("suggestInactiveProjectName")
struct SuggestInactiveProjectNameTests {
    @Test("A name no project has is returned as is")
    func freeName() {
        var farm = Farm()
        farm.start("bob/other", frames: [1])
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot")
    }

    @Test("A running project's name gets the suffix (2)")
    func runningGetsTwo() {
        var farm = Farm()
        farm.start("bob/shot", frames: [1])
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot (2)")
    }

    @Test("The first suffix not running is suggested")
    func firstFreeSuffix() {
        var farm = Farm()
        farm.start("bob/shot", frames: [1])
        farm.start("bob/shot (2)", frames: [1])
        farm.start("bob/shot (3)", frames: [1])
        farm.start("bob/shot (5)", frames: [1])
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot (4)")
    }

    @Test("A done project's name is free")
    func doneIsFree() {
        var farm = Farm()
        farm.start("bob/shot", frames: [1])
        farm.progress("bob/shot", 1, 1.0)
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot")
    }

    @Test("A failed project's name is free")
    func failedIsFree() {
        var farm = Farm()
        farm.start("bob/shot", frames: [1])
        farm.fail("bob/shot", 1, "x")
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot")
    }

    @Test("A suffixed name that is done is free even when the plain name runs")
    func doneSuffixIsFree() {
        var farm = Farm()
        farm.start("bob/shot", frames: [1])
        farm.start("bob/shot (2)", frames: [1])
        farm.progress("bob/shot (2)", 1, 1.0)
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot (2)")
    }

    @Test("A project failed by setProjectError with no frames does not hold its name")
    func projectErrorFrees() {
        var farm = Farm()
        farm.failProject("bob/shot", "missing hip")
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot")
    }

    @Test("A started project with no frames yet holds its name")
    func emptyRunningHolds() {
        var farm = Farm()
        farm.start("bob/shot", frames: [])
        #expect(farm.tracker.suggestInactiveProjectName("bob/shot") == "bob/shot (2)")
    }
}
