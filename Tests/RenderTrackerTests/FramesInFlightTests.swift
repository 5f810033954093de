import Testing

@testable import RenderTracker

@Suite("framesInFlight")
struct FramesInFlightTests {
    @Test("Finds every Rendering and Downloading frame, however long ago it last changed")
    func findsOldAndRecentFramesInFlight() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...1000))
        farm.render("p", 1)  // in flight, then 998 other changes bury it deep in the recency list
        for frame in 2...999 {
            farm.progress("p", frame, 1.0)
        }
        farm.progress("p", 1000, 0.5)
        farm.download("p", 500, 0.25)
        let inFlight = try farm.project("p").framesInFlight.map(\.number).sorted()
        #expect(inFlight == [1, 500, 1000])
    }

    @Test("Is empty when nothing is in flight")
    func emptyWhenIdle() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2, 3])
        farm.progress("p", 2, 1.0)
        #expect(try farm.project("p").framesInFlight.isEmpty)
    }
}
