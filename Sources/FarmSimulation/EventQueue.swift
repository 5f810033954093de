import RenderTracker

/// What happens next on the farm, earliest first; events at the same time run in the order they
/// were scheduled, so a run is reproducible.
struct EventQueue {
    private struct Entry {
        var time: Double
        var order: Int
        var action: () -> Void
    }

    private var heap = BinaryHeap<Entry> { $0.time != $1.time ? $0.time < $1.time : $0.order < $1.order }
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Double? { heap.first?.time }

    mutating func schedule(at time: Double, _ action: @escaping () -> Void) {
        scheduled += 1
        heap.push(Entry(time: time, order: scheduled, action: action))
    }

    /// Removes and returns the earliest event.
    mutating func pop() -> (time: Double, action: () -> Void)? {
        heap.popFirst().map { ($0.time, $0.action) }
    }
}
