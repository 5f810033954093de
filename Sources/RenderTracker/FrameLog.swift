import DequeModule

/// A frame's log: its newest entries, oldest first, at most `TrackerLimits.logEntriesPerFrame`
/// of them holding at most `TrackerLimits.logBytesPerFrame`, the oldest dropped first (and
/// counted), so memory stays bounded however long a frame lives and however long its messages.
/// Counting entries alone let a frame whose 200 entries are 60 KiB errors hold 12 MB.
public struct FrameLog: Sendable {
    private var ring = Deque<FrameLogEntry>()
    /// What the entries hold, as `FrameLogEntry.heldBytes` counts it.
    private var bytes = 0
    /// How many entries were dropped to stay within the limits.
    public private(set) var droppedCount = 0

    public init() {}

    /// A log as a store kept it: `entries` oldest first, after `droppedCount` older ones were dropped.
    public init(entries: [FrameLogEntry], droppedCount: Int) {
        ring = Deque(entries)
        bytes = entries.reduce(0) { $0 + $1.heldBytes }
        self.droppedCount = max(0, droppedCount)
    }

    public var entries: [FrameLogEntry] { Array(ring) }

    var last: FrameLogEntry? { ring.last }

    /// Appends `entry` (or lets it replace a progress entry it follows) and drops the oldest
    /// entries past `limits`; the newest entry is always kept.
    mutating func record(_ entry: FrameLogEntry, limits: TrackerLimits) {
        if let last, entry.event.replaces(last.event) {
            bytes += entry.heldBytes - last.heldBytes
            ring[ring.count - 1] = entry
            return
        }
        ring.append(entry)
        bytes += entry.heldBytes
        while ring.count > 1 && (ring.count > limits.logEntriesPerFrame || bytes > limits.logBytesPerFrame) {
            bytes -= ring.removeFirst().heldBytes
            droppedCount += 1
        }
    }
}

extension FrameLogEntry {
    /// The memory an entry holds: its own size and the bytes of its strings (an image path shared
    /// with the frame is counted though it is not copied).
    var heldBytes: Int {
        let strings = switch event {
        case .waiting(let jobID): jobID.utf8.count
        case .addedImplicitly(let method, _): method.utf8.count
        case .renderStarted(let jobID, let imagePath, _): jobID.utf8.count + imagePath.utf8.count
        case .error(let message), .projectError(let message, _): message.utf8.count
        case .generatingIFD, .ifdReady, .renderProgress, .downloadProgress, .done: 0
        }
        return MemoryLayout<FrameLogEntry>.stride + strings
    }
}
