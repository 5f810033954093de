import Testing
@testable import RenderTracker

@Suite("changedFrames")
struct ChangedFramesTests {
    func snapshots(_ farm: Farm, _ project: String, _ numbers: [Int]) throws -> [FrameSnapshot] {
        try numbers.map { try farm.frame(project, $0).snapshot }
    }

    @Test("A cursor of 0 returns every frame with reset")
    func sinceZero() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        farm.render("p", 2)
        let answer = farm.tracker.changedFrames(in: "p", since: 0)
        #expect(answer.reset)
        #expect(answer.eventID == farm.tracker.lastEventID)
        #expect(answer.frames == [
            FrameSnapshot(number: 1, status: .waiting, fraction: 0),
            FrameSnapshot(number: 2, status: .rendering, fraction: 0),
            FrameSnapshot(number: 3, status: .waiting, fraction: 0),
        ])
    }

    @Test("A negative cursor returns every frame with reset")
    func negativeCursor() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        let answer = farm.tracker.changedFrames(in: "p", since: -5)
        #expect(answer.reset)
        #expect(answer.frames.count == 2)
    }

    @Test("A cursor from before a re-render returns every frame of the new project with reset")
    func cursorFromEarlierLife() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        farm.render("p", 1)
        let cursor = farm.tracker.changedFrames(in: "p", since: 0).eventID
        farm.start("p", frames: [1, 2])
        #expect(try cursor < farm.project("p").createdEventID)
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(answer.reset)
        #expect(answer.frames == [
            FrameSnapshot(number: 1, status: .waiting, fraction: 0),
            FrameSnapshot(number: 2, status: .waiting, fraction: 0),
        ])
    }

    @Test("A cursor from before an implicit re-creation resets")
    func cursorBeforeImplicitRecreation() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        let cursor = farm.tracker.changedFrames(in: "p", since: 0).eventID
        farm.apply(.removeProject(project: "p"))
        farm.progress("p", 1, 0.5)
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(answer.reset)
        #expect(answer.frames == [FrameSnapshot(number: 1, status: .rendering, fraction: 0.5)])
    }

    @Test("A cursor ahead of the counter (a restarted tracker) returns every frame with reset")
    func cursorAhead() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        let answer = farm.tracker.changedFrames(in: "p", since: farm.tracker.lastEventID + 1)
        #expect(answer.reset)
        #expect(answer.frames.map(\.number) == [1, 2])
        #expect(answer.eventID == farm.tracker.lastEventID)
    }

    @Test("A normal cursor returns exactly the frames changed after it, in the order of their last change")
    func normalCursor() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3, 4, 5])
        let cursor = farm.tracker.changedFrames(in: "p", since: 0).eventID
        farm.render("p", 4)
        farm.render("p", 2)
        farm.progress("p", 5, 1.0)
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(!answer.reset)
        #expect(answer.eventID == farm.tracker.lastEventID)
        #expect(answer.frames == (try snapshots(farm, "p", [4, 2, 5])))
    }

    @Test("A frame that changed many times after the cursor appears once, with its latest state, at its last change")
    func changedTwice() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        let cursor = farm.tracker.lastEventID
        farm.render("p", 1)
        farm.render("p", 2)
        farm.progress("p", 1, 0.3)
        farm.progress("p", 1, 0.6)
        farm.progress("p", 3, 0.1)
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(answer.frames == [
            FrameSnapshot(number: 2, status: .rendering, fraction: 0),
            FrameSnapshot(number: 1, status: .rendering, fraction: 0.6),
            FrameSnapshot(number: 3, status: .rendering, fraction: 0.1),
        ])
    }

    @Test("Nothing changed since the cursor: an empty answer without reset")
    func nothingChanged() {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        farm.render("p", 1)
        let cursor = farm.tracker.lastEventID
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(answer == ChangedFrames(eventID: cursor, frames: [], reset: false))
    }

    @Test("Changes to other projects do not show, though they move the cursor")
    func otherProjectsIgnored() {
        var farm = Farm()
        farm.start("a", frames: [1])
        farm.start("b", frames: [1])
        let cursor = farm.tracker.lastEventID
        farm.render("b", 1)
        let answer = farm.tracker.changedFrames(in: "a", since: cursor)
        #expect(answer.frames.isEmpty)
        #expect(!answer.reset)
        #expect(answer.eventID == cursor + 1)
    }

    @Test("The cursor equal to the project's creation returns every frame without reset")
    func cursorAtCreation() throws {
        var farm = Farm()
        farm.start("p", frames: [2, 1])
        let created = try farm.project("p").createdEventID
        let answer = farm.tracker.changedFrames(in: "p", since: created)
        #expect(!answer.reset)
        #expect(answer.frames.map(\.number) == [1, 2])  // stamped in frame order
    }

    @Test("Polling with each answer's cursor sees every change exactly once")
    func pollingLoop() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...6))
        var cursor = farm.tracker.changedFrames(in: "p", since: 0).eventID
        var seen: [[Int]] = []
        let rounds: [[Int]] = [[3], [1, 6], [], [3, 2]]
        for round in rounds {
            for number in round { farm.render("p", number, job: "j\(number)") }
            let answer = farm.tracker.changedFrames(in: "p", since: cursor)
            #expect(!answer.reset)
            seen.append(answer.frames.map(\.number))
            cursor = answer.eventID
        }
        #expect(seen == rounds)
    }

    @Test("The frames a project error touches all show as changed, Done ones included")
    func projectErrorShowsAll() {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        farm.progress("p", 2, 1.0)
        let cursor = farm.tracker.lastEventID
        farm.failProject("p", "x")
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(answer.frames.map(\.number) == [1, 2, 3])
        #expect(answer.frames.map(\.status) == [.error, .done, .error])
    }

    @Test("A frame added implicitly after the cursor is in the answer")
    func implicitFrameInAnswer() {
        var farm = Farm()
        farm.start("p", frames: [1])
        let cursor = farm.tracker.lastEventID
        farm.progress("p", 99, 1.0)
        let answer = farm.tracker.changedFrames(in: "p", since: cursor)
        #expect(answer.frames == [FrameSnapshot(number: 99, status: .done, fraction: 1)])
    }

    @Test("On a 100,000-frame project, 10 frames changed after the cursor give an answer of those 10 frames")
    func largeProject() throws {
        var farm = Farm()
        farm.start("big", frames: Array(1...100_000))
        farm.render("big", 500)
        let cursor = farm.tracker.lastEventID
        let touched = [99_999, 3, 50_000, 77, 12_345, 1, 100_000, 64_000, 2, 500]
        for number in touched {
            farm.progress("big", number, 0.5)
        }
        let answer = farm.tracker.changedFrames(in: "big", since: cursor)
        #expect(!answer.reset)
        #expect(answer.frames.count == 10)
        #expect(answer.frames == touched.map { FrameSnapshot(number: $0, status: .rendering, fraction: 0.5) })
        #expect(try farm.project("big").snapshots(changedAfter: cursor).count == 10)
    }
}
