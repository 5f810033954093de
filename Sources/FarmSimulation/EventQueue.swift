import HeapModule

/// What happens next on the farm, earliest first; events at the same time run in the order they
/// were scheduled, so a run is reproducible.
struct EventQueue {
    /// Ordered by time, then by when it was scheduled (`order` is unique).
    private struct Entry: Comparable {
        var time: Double
        var order: Int
        var action: () -> Void

        static func < (lhs: Entry, rhs: Entry) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }
        static func == (lhs: Entry, rhs: Entry) -> Bool { (lhs.time, lhs.order) == (rhs.time, rhs.order) }
    }

    private var heap = Heap<Entry>()
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Double? { heap.min?.time }

    mutating func schedule(at time: Double, _ action: @escaping () -> Void) {
        scheduled += 1
        heap.insert(Entry(time: time, order: scheduled, action: action))
    }

    /// Removes and returns the earliest event.
    mutating func pop() -> (time: Double, action: () -> Void)? {
        heap.popMin().map { ($0.time, $0.action) }
    }
}
