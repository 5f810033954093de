/// A binary heap: the element that `precedes` all others is on top. The estimate plays out which
/// machine frees up first with one; the simulated farm keeps its events in one.
public struct BinaryHeap<Element> {
    public private(set) var elements: [Element]
    private let precedes: (Element, Element) -> Bool

    public init(_ elements: [Element] = [], precedes: @escaping (Element, Element) -> Bool) {
        self.elements = elements.sorted(by: precedes)  // a sorted array is a valid heap
        self.precedes = precedes
    }

    public var isEmpty: Bool { elements.isEmpty }
    public var first: Element? { elements.first }

    public mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(elements[child], elements[parent]) else { return }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the top element.
    public mutating func popFirst() -> Element? {
        guard let top = elements.first else { return nil }
        let last = elements.removeLast()
        if !elements.isEmpty {
            elements[0] = last
            siftDown()
        }
        return top
    }

    /// Replaces the top element, cheaper than a pop and a push.
    public mutating func replaceFirst(with element: Element) {
        guard !elements.isEmpty else { return }
        elements[0] = element
        siftDown()
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var top = parent
            if left < elements.count && precedes(elements[left], elements[top]) { top = left }
            if right < elements.count && precedes(elements[right], elements[top]) { top = right }
            guard top != parent else { return }
            elements.swapAt(parent, top)
            parent = top
        }
    }
}
