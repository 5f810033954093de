import Testing
@testable import RenderTracker

@Suite("Frames in order and snapshots")
struct FrameOrderTests {
    @Test("framesInOrder is sorted by frame number for an unsorted start list")
    func sortedFromUnsortedList() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 17, 9, 5, 13, 3, 11, 7, 15])  // subdivision order
        #expect(try farm.project("p").frameNumbersInOrder == [1, 3, 5, 7, 9, 11, 13, 15, 17])
    }

    @Test("framesInOrder is sorted when frames are added implicitly out of order")
    func sortedWhenAddedImplicitly() throws {
        var farm = Farm()
        for number in [50, 10, 40, 20, 30, -5, 0, 45] {
            farm.progress("p", number, 1.0)
        }
        #expect(try farm.project("p").frameNumbersInOrder == [-5, 0, 10, 20, 30, 40, 45, 50])
    }

    @Test("Frames added implicitly to a started project slot into their place")
    func implicitIntoStarted() throws {
        var farm = Farm()
        farm.start("p", frames: [10, 20, 30])
        farm.render("p", 25)
        farm.render("p", 5)
        farm.render("p", 35)
        #expect(try farm.project("p").frameNumbersInOrder == [5, 10, 20, 25, 30, 35])
    }

    @Test("changedFrames with a reset lists every frame sorted by number")
    func resetSorted() {
        var farm = Farm()
        farm.start("p", frames: [3, 1, 2])
        farm.render("p", 0)
        let answer = farm.tracker.changedFrames(in: "p", since: 0)
        #expect(answer.frames.map(\.number) == [0, 1, 2, 3])
    }

    @Test(
        "A snapshot's fraction is the current phase's fraction",
        arguments: [
            (FrameStatus.waiting, 0.0),
            (.generatingIFD, 0.0),
            (.ifdReady, 0.0),
            (.rendering, 0.4),
            (.downloading, 0.7),
            (.done, 1.0),
            (.error, 0.0),
        ])
    func snapshotFraction(status: FrameStatus, expected: Double) throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        // Leave both fractions non-zero before reaching the status, so the right one must be picked.
        farm.progress("p", 1, 0.4)
        switch status {
        case .waiting: farm.start("p", frames: [1])
        case .generatingIFD: farm.generating("p", 1)
        case .ifdReady: farm.ifdReady("p", 1)
        case .rendering: break
        case .downloading: farm.download("p", 1, 0.7)
        case .done: farm.download("p", 1, 0.7); farm.progress("p", 1, 1.0)
        case .error: farm.download("p", 1, 0.7); farm.fail("p", 1, "x")
        }
        let snapshot = try farm.frame("p", 1).snapshot
        #expect(snapshot == FrameSnapshot(number: 1, status: status, fraction: expected))
    }

    @Test("While Downloading the snapshot shows the download fraction, not the finished render")
    func downloadingShowsDownload() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1)
        farm.progress("p", 1, 1.0)
        farm.download("p", 1, 0.1)
        let frame = try farm.frame("p", 1)
        #expect(frame.renderFraction == 1)
        #expect(frame.snapshot.fraction == 0.1)
    }
}
