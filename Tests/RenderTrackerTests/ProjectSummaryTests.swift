import Testing
@testable import RenderTracker

@Suite("ProjectSummary")
struct ProjectSummaryTests {
    @Test("A summary names the project, its job, its IFD flag and its frame count")
    func identity() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3], generatesIFDs: true, job: "55")
        let summary = try #require(farm.tracker.summary(of: "p"))
        #expect(summary.name == "p")
        #expect(summary.jobID == "55")
        #expect(summary.generatesIFDs)
        #expect(summary.frameCount == 3)
        #expect(summary.createdImplicitly == false)
        #expect(summary.lastProjectError == nil)
    }

    @Test("A summary counts frames per status")
    func counts() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...8))
        farm.generating("p", 1)
        farm.ifdReady("p", 2)
        farm.render("p", 3)
        farm.render("p", 4)
        farm.download("p", 5, 0.5)
        farm.progress("p", 6, 1.0)
        farm.fail("p", 7, "x")
        let counts = try #require(farm.tracker.summary(of: "p")).statusCounts
        #expect(counts[.waiting] == 1)
        #expect(counts[.generatingIFD] == 1)
        #expect(counts[.ifdReady] == 1)
        #expect(counts[.rendering] == 2)
        #expect(counts[.downloading] == 1)
        #expect(counts[.done] == 1)
        #expect(counts[.error] == 1)
    }

    @Test("A summary's state follows the project's", arguments: [ProjectState.running, .done, .failed])
    func state(expected: ProjectState) throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        switch expected {
        case .running: break
        case .done: farm.progress("p", 1, 1.0)
        case .failed: farm.fail("p", 1, "x")
        }
        #expect(try #require(farm.tracker.summary(of: "p")).state == expected)
    }

    @Test("A summary's elapsed time runs from the project's start to now")
    func elapsed() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.advance(125.5)
        let summary = try #require(farm.tracker.summary(of: "p"))
        #expect(summary.startedAt == newYear2026)
        #expect(summary.elapsedSeconds == 125.5)
    }

    @Test("A clock set back before the start gives an elapsed time of 0, not negative")
    func elapsedNeverNegative() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.clock.set(newYear2026.advanced(bySeconds: -60))
        #expect(try #require(farm.tracker.summary(of: "p")).elapsedSeconds == 0)
    }

    @Test("A summary's lastEventID is the id of the project's last change, not the global counter")
    func lastEventID() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        let last = farm.tracker.lastEventID
        farm.start("other", frames: [1])
        farm.apply(.incrementAndGetLastEventID)
        let summary = try #require(farm.tracker.summary(of: "p"))
        #expect(summary.lastEventID == last)
        #expect(summary.lastEventID < farm.tracker.lastEventID)
    }

    @Test("A summary tells an implicitly created project")
    func createdImplicitly() throws {
        var farm = Farm()
        farm.progress("p", 1, 1.0)
        #expect(try #require(farm.tracker.summary(of: "p")).createdImplicitly)
    }

    @Test("A summary carries the last project error")
    func lastProjectError() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.failProject("p", "first")
        farm.failProject("p", "second")
        #expect(try #require(farm.tracker.summary(of: "p")).lastProjectError == "second")
    }

    @Test("A summary carries the estimate")
    func secondsLeft() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        #expect(try #require(farm.tracker.summary(of: "p")).secondsLeft == nil)
        farm.progress("p", 1, 1.0)
        #expect(try #require(farm.tracker.summary(of: "p")).secondsLeft == 0)
    }
}

@Suite("ProjectSummary.firstError")
struct ProjectSummaryFirstErrorTests {
    @Test("the error that has stood longest, with its cause; nil again once no frame is in Error")
    func firstError() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3, 4])
        #expect(try #require(farm.tracker.summary(of: "p")).firstError == nil)
        farm.fail("p", 3, "ALF_PROGRESS 40%\nmantra: Error: cannot allocate 12.6 GB\nRender failed (exit code 1)")
        farm.fail("p", 1, "job lost its machine")
        let first = try #require(farm.tracker.summary(of: "p")?.firstError)
        #expect(first == ProjectSummary.FirstError(frame: 3, cause: "mantra: Error: cannot allocate 12.6 GB"))
        farm.render("p", 3)
        #expect(farm.tracker.summary(of: "p")?.firstError == ProjectSummary.FirstError(frame: 1, cause: "job lost its machine"))
        farm.render("p", 1)
        #expect(try #require(farm.tracker.summary(of: "p")).firstError == nil)
    }
}
