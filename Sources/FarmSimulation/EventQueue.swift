/// What happens next on the farm, earliest first; events at the same time run in the order they
/// were scheduled, so a run is reproducible.
struct EventQueue {
    private struct Entry {
        var time: Double
        var order: Int
        var action: () -> Void

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : order < other.order
        }
    }

    private var heap: [Entry] = []
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Double? { heap.first?.time }

    mutating func schedule(at time: Double, _ action: @escaping () -> Void) {
        scheduled += 1
        heap.append(Entry(time: time, order: scheduled, action: action))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest event.
    mutating func pop() -> (time: Double, action: () -> Void)? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var earliest = parent
                if left < heap.count && heap[left].precedes(heap[earliest]) { earliest = left }
                if right < heap.count && heap[right].precedes(heap[earliest]) { earliest = right }
                guard earliest != parent else { break }
                heap.swapAt(parent, earliest)
                parent = earliest
            }
        }
        return (first.time, first.action)
    }
}
