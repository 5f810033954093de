import Testing
@testable import RenderTracker

@Suite("RecentSamples")
struct RecentSamplesTests {
    func samples(capacity: Int, _ values: [Double]) -> RecentSamples {
        var samples = RecentSamples(capacity: capacity)
        for value in values { samples.add(value) }
        return samples
    }

    @Test("Empty samples have no mean, oldest or newest")
    func empty() {
        let empty = RecentSamples(capacity: 3)
        #expect(empty.isEmpty)
        #expect(empty.count == 0)
        #expect(empty.mean == nil)
        #expect(empty.oldest == nil)
        #expect(empty.newest == nil)
    }

    @Test("Below capacity every value is kept")
    func belowCapacity() {
        let kept = samples(capacity: 4, [1, 2, 3])
        #expect(kept.count == 3)
        #expect(kept.mean == 2)
        #expect(kept.oldest == 1)
        #expect(kept.newest == 3)
    }

    @Test("Only the newest capacity values are kept", arguments: 1...5)
    func keepsNewest(capacity: Int) {
        let values = (1...12).map(Double.init)
        let kept = samples(capacity: capacity, values)
        let newest = Array(values.suffix(capacity))
        #expect(kept.count == capacity)
        #expect(kept.values.sorted() == newest)
        #expect(kept.mean == newest.reduce(0, +) / Double(capacity))
        #expect(kept.oldest == newest.first)
        #expect(kept.newest == newest.last)
    }

    @Test("Oldest and newest are right at every step while the ring wraps")
    func everyStep() {
        var ring = RecentSamples(capacity: 3)
        for value in 1...10 {
            ring.add(Double(value))
            #expect(ring.newest == Double(value))
            #expect(ring.oldest == Double(max(1, value - 2)))
        }
    }

    @Test("A capacity below 1 is 1")
    func minimumCapacity() {
        #expect(RecentSamples(capacity: 0).capacity == 1)
        #expect(RecentSamples(capacity: -4).capacity == 1)
        let one = samples(capacity: 0, [5, 6])
        #expect(one.values == [6])
        #expect(one.oldest == 6)
        #expect(one.newest == 6)
    }

    @Test("A project keeps its last 32 render durations")
    func projectRenderDurations() throws {
        var farm = Farm()
        farm.start("p", frames: Array(1...40))
        for frame in 1...40 {
            farm.render("p", frame)
            farm.advance(Double(frame))
            farm.progress("p", frame, 1.0)
        }
        let durations = try farm.project("p").renderDurations
        #expect(durations.capacity == 32)
        #expect(durations.count == 32)
        #expect(durations.oldest == 9)
        #expect(durations.newest == 40)
        #expect(durations.mean == (9...40).reduce(0.0) { $0 + Double($1) } / 32)
    }
}
