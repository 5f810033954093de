import Testing
@testable import RenderTracker

@Suite("Event ids")
struct EventIDTests {
    @Test("A new tracker's counter is 0")
    func startsAtZero() {
        #expect(Farm().tracker.lastEventID == 0)
    }

    @Test("incrementAndGetLastEventID increments the counter by one and reports it")
    func increment() {
        var farm = Farm()
        #expect(farm.apply(.incrementAndGetLastEventID).lastEventID == 1)
        #expect(farm.apply(.incrementAndGetLastEventID).lastEventID == 2)
        #expect(farm.tracker.lastEventID == 2)
    }

    @Test("incrementAndGetLastEventID reports no event and touches no project")
    func incrementTouchesNothing() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        let before = try farm.frame("p", 1).eventID
        let outcome = farm.apply(.incrementAndGetLastEventID)
        #expect(outcome.events.isEmpty)
        #expect(try farm.frame("p", 1).eventID == before)
        #expect(farm.tracker.projectCount == 1)
    }

    @Test("Every outcome reports the counter after the command")
    func outcomeReportsCounter() {
        var farm = Farm()
        let outcomes = [
            farm.start("p", frames: [1, 2, 3]),
            farm.render("p", 1),
            farm.progress("p", 1, 0.5),
            farm.apply(.incrementAndGetLastEventID),
            farm.fail("p", 2, "x"),
        ]
        #expect(outcomes.last?.lastEventID == farm.tracker.lastEventID)
        let ids = outcomes.map(\.lastEventID)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test("Every frame change stamps the frame with the newest id of the global counter")
    func everyChangeStamps() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        var previous = try farm.frame("p", 1).eventID
        let changes: [(inout Farm) -> Void] = [
            { $0.generating("p", 1) },
            { $0.ifdReady("p", 1) },
            { $0.render("p", 1) },
            { $0.progress("p", 1, 0.2) },
            { $0.progress("p", 1, 0.3) },
            { $0.progress("p", 1, 1.0) },
            { $0.download("p", 1, 0.5) },
            { $0.download("p", 1, 1.0) },
            { $0.fail("p", 1, "x") },
            { $0.failProject("p", "y") },
        ]
        for change in changes {
            change(&farm)
            let id = try farm.frame("p", 1).eventID
            #expect(id > previous)
            #expect(id == farm.tracker.lastEventID)
            #expect(try farm.project("p").lastEventID == id)
            previous = id
        }
    }

    @Test("Frames of different projects draw from one counter")
    func oneCounterForAllProjects() throws {
        var farm = Farm()
        farm.start("a", frames: [1])
        farm.start("b", frames: [1])
        farm.render("a", 1)
        let a = try farm.frame("a", 1).eventID
        farm.render("b", 1)
        let b = try farm.frame("b", 1).eventID
        farm.apply(.incrementAndGetLastEventID)
        farm.render("a", 1)
        let a2 = try farm.frame("a", 1).eventID
        #expect(a < b)
        #expect(a2 == b + 2)
    }

    @Test("startedRenderProject gives the project and each frame their own increasing ids")
    func startIDs() throws {
        var farm = Farm()
        farm.apply(.incrementAndGetLastEventID)
        farm.start("p", frames: [3, 1, 2])
        let project = try farm.project("p")
        #expect(project.createdEventID == 2)
        // Frames are stamped in frame order, whatever order the client listed them in.
        #expect(try [1, 2, 3].map { try #require(project.frame($0)).eventID } == [3, 4, 5])
        #expect(project.lastEventID == 5)
        #expect(farm.tracker.lastEventID == 5)
    }

    @Test("The event ids never go backwards, even when a project is replaced or removed")
    func monotonicAcrossReplaceAndRemove() {
        var farm = Farm()
        var seen: [Int] = []
        seen.append(farm.start("p", frames: [1, 2]).lastEventID)
        seen.append(farm.start("p", frames: [1]).lastEventID)
        seen.append(farm.apply(.removeProject(project: "p")).lastEventID)
        seen.append(farm.render("p", 1).lastEventID)
        #expect(seen == seen.sorted())
        #expect(seen[1] > seen[0])
        #expect(seen[3] > seen[2])
    }
}
