/// A frame's log: the newest `capacity` entries, oldest first, in a ring so memory stays bounded
/// however long a frame lives.
public struct FrameLog: Sendable {
    private var ring: [FrameLogEntry] = []
    /// Entries ever appended; with a fixed capacity, the next slot to overwrite is `appended % capacity`.
    private var appended = 0

    public init() {}

    /// A log as a store kept it: `entries` oldest first, after `droppedCount` older ones were dropped.
    public init(entries: [FrameLogEntry], droppedCount: Int) {
        appended = entries.count + max(0, droppedCount)
        guard droppedCount > 0, !entries.isEmpty else {
            ring = entries
            return
        }
        // A full ring's oldest entry sits at `appended % count`: rotate the entries to put it there.
        let oldest = appended % entries.count
        ring = Array(entries[(entries.count - oldest)...] + entries[..<(entries.count - oldest)])
    }

    /// How many entries were dropped to stay within capacity.
    public var droppedCount: Int { appended - ring.count }

    public var entries: [FrameLogEntry] {
        guard droppedCount > 0 else { return ring }
        let oldest = appended % ring.count
        return Array(ring[oldest...] + ring[..<oldest])
    }

    var last: FrameLogEntry? {
        guard !ring.isEmpty else { return nil }
        return ring[(appended - 1) % ring.count]
    }

    mutating func record(_ entry: FrameLogEntry, capacity: Int) {
        if let last, entry.event.replaces(last.event) {
            ring[(appended - 1) % ring.count] = entry
            return
        }
        let capacity = max(1, capacity)
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[appended % capacity] = entry
        }
        appended += 1
    }
}
