/// The newest `capacity` numbers seen, for estimates that should follow recent behaviour rather
/// than an all-time average.
public struct RecentSamples: Sendable {
    public let capacity: Int
    public private(set) var values: [Double] = []
    private var next = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Samples as a store kept them (`inOrder`), oldest first; only the newest `capacity` are kept.
    public init(capacity: Int, inOrder samples: [Double]) {
        self.capacity = max(1, capacity)
        values = Array(samples.suffix(self.capacity))
        next = values.count % self.capacity
    }

    /// Every sample, oldest first.
    public var inOrder: [Double] {
        values.count < capacity ? values : Array(values[next...] + values[..<next])
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    /// Sums oldest first, whatever the ring's layout, so a set restored from a store
    /// (`init(capacity:inOrder:)`) gives the very same figures, to the last bit.
    private func sumOldestFirst(_ term: (Double) -> Double) -> Double {
        let start = values.count < capacity ? 0 : next
        var sum = 0.0
        for offset in 0..<values.count {
            sum += term(values[(start + offset) % values.count])
        }
        return sum
    }

    public var mean: Double? {
        values.isEmpty ? nil : sumOldestFirst { $0 } / Double(values.count)
    }

    /// How far samples stray from their mean (population standard deviation); nil below 4 samples,
    /// too few to say.
    public var standardDeviation: Double? {
        guard values.count >= 4, let mean else { return nil }
        return (sumOldestFirst { ($0 - mean) * ($0 - mean) } / Double(values.count)).squareRoot()
    }

    /// The oldest and newest samples (for a window of timestamps).
    public var oldest: Double? { values.count < capacity ? values.first : values[next] }
    public var newest: Double? { values.isEmpty ? nil : values[(next + values.count - 1) % values.count] }

    mutating func add(_ value: Double) {
        if values.count < capacity {
            values.append(value)
            next = values.count % capacity
        } else {
            values[next] = value
            next = (next + 1) % capacity
        }
    }
}
