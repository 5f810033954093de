/// One render: its frames and what the estimate needs to know about their progress.
public struct Project: Sendable {
    public let name: String
    public let jobID: String
    public let generatesIFDs: Bool
    public let startedAt: Timestamp
    /// The event id taken when this project was (re)created: a `getChangedFrames` cursor older than
    /// this belongs to an earlier life of the name and must reset.
    public let createdEventID: Int
    /// True when a write for an unknown name created the project (existing-IFD route, or a tracker
    /// restarted mid-render), rather than `startedRenderProject`.
    public let createdImplicitly: Bool
    public internal(set) var lastEventID: Int
    public internal(set) var lastProjectError: String?
    /// When any frame last changed.
    public private(set) var lastChangedAt: Timestamp
    /// The most frames seen rendering at once: an upper bound on the machines at work.
    public private(set) var peakRendering = 0
    public private(set) var statusCounts = StatusCounts()

    /// Durations of renders seen from start to finish, and when frames finished: the estimate's evidence.
    public private(set) var renderDurations = RecentSamples(capacity: Self.durationSamples)
    public private(set) var downloadDurations = RecentSamples(capacity: Self.durationSamples)
    public private(set) var completionTimes = RecentSamples(capacity: Self.completionSamples)
    static let durationSamples = 32
    static let completionSamples = 64

    private var frames: [Frame] = []
    /// What the built-in estimate reads of the frames, kept in step with them.
    private(set) var estimateEvidence = EstimateEvidence()
    private var slotByNumber: [Int: Int32] = [:]
    /// Slots sorted by frame number, for ordered reads without sorting on every poll.
    private var orderedSlots: [Int32] = []
    // Ends of the recency list: every change moves its frame to the newest end, so the frames
    // changed since a cursor are found by walking back from there.
    private var newestSlot: Int32 = -1

    init(
        name: String, jobID: String, generatesIFDs: Bool, startedAt: Timestamp,
        createdEventID: Int, createdImplicitly: Bool
    ) {
        self.name = name
        self.jobID = jobID
        self.generatesIFDs = generatesIFDs
        self.startedAt = startedAt
        self.createdEventID = createdEventID
        self.createdImplicitly = createdImplicitly
        self.lastEventID = createdEventID
        self.lastChangedAt = startedAt
    }

    /// A project as a store kept it: `record` and every frame, in any order. Counts, the frame
    /// index and the recency list (oldest change first, by event id) are rebuilt here.
    public init(restoring record: ProjectRecord, frames restored: [Frame]) {
        name = record.name
        jobID = record.jobID
        generatesIFDs = record.generatesIFDs
        startedAt = record.startedAt
        createdEventID = record.createdEventID
        createdImplicitly = record.createdImplicitly
        lastEventID = record.lastEventID
        lastProjectError = record.lastProjectError
        lastChangedAt = record.lastChangedAt
        peakRendering = record.peakRendering
        renderDurations = RecentSamples(capacity: Self.durationSamples, inOrder: record.renderDurations)
        downloadDurations = RecentSamples(capacity: Self.durationSamples, inOrder: record.downloadDurations)
        completionTimes = RecentSamples(capacity: Self.completionSamples, inOrder: record.completionTimes)
        frames = restored.sorted { $0.eventID < $1.eventID }
        slotByNumber.reserveCapacity(frames.count)
        for slot in frames.indices {
            slotByNumber[frames[slot].number] = Int32(slot)
            statusCounts[frames[slot].status] += 1
            estimateEvidence.record(frames[slot], slot: slot, counted: nil, projectJobID: jobID)
            frames[slot].older = Int32(slot) - 1
            frames[slot].newer = slot + 1 < frames.count ? Int32(slot + 1) : -1
        }
        newestSlot = Int32(frames.count) - 1
        orderedSlots = frames.indices.sorted { frames[$0].number < frames[$1].number }.map { Int32($0) }
    }

    /// Everything but the frames, for a store.
    public var record: ProjectRecord {
        ProjectRecord(
            name: name, jobID: jobID, generatesIFDs: generatesIFDs, startedAt: startedAt, createdEventID: createdEventID,
            createdImplicitly: createdImplicitly, lastEventID: lastEventID, lastProjectError: lastProjectError,
            lastChangedAt: lastChangedAt, peakRendering: peakRendering, renderDurations: renderDurations.inOrder,
            downloadDurations: downloadDurations.inOrder, completionTimes: completionTimes.inOrder)
    }

    public var frameCount: Int { frames.count }

    /// The share of frames Done, 0 for a project without frames.
    public var shareDone: Double { frames.isEmpty ? 0 : Double(statusCounts[.done]) / Double(frames.count) }

    /// Every frame in the order they were stored (for a store writing them all; no order promised).
    public var allFrames: [Frame] { frames }

    /// The error that has stood longest: the frame in Error with the lowest event id, nil without
    /// one. A scan of the frames, only while some frame is in Error (20,000 frames: about 0.1 ms).
    public var longestStandingError: Frame? {
        guard statusCounts[.error] > 0 else { return nil }
        return frames.lazy.filter { $0.status == .error }.min { $0.eventID < $1.eventID }
    }

    /// The frames in Error by number, at most `limit`, with the cause of each error. A project
    /// error gives every frame the same message: its cause is read once, not once per frame.
    public func failures(limit: Int) -> [(frame: Int, cause: String)] {
        guard statusCounts[.error] > 0 else { return [] }
        var found: [(frame: Int, cause: String)] = []
        var last: (message: String, cause: String)?
        for frame in framesInOrder where frame.status == .error {
            guard found.count < limit else { break }
            let message = frame.errorMessage ?? ""
            let cause = last?.message == message ? last?.cause ?? "" : FailureCause.of(message) ?? ""
            last = (message, cause)
            found.append((frame.number, cause))
        }
        return found
    }

    public var state: ProjectState {
        if statusCounts.active > 0 || frames.isEmpty && lastProjectError == nil {
            return .running
        }
        return statusCounts[.error] > 0 || frames.isEmpty ? .failed : .done
    }

    /// Every slot, in the order frames were added.
    var slots: Range<Int32> { 0..<Int32(frames.count) }

    func frame(atSlot slot: Int32) -> Frame {
        frames[Int(slot)]
    }

    public func frame(_ number: Int) -> Frame? {
        slotByNumber[number].map { frames[Int($0)] }
    }

    /// The lowest and highest frame numbers; nil for a project without frames.
    var numberRange: ClosedRange<Int>? {
        guard let first = orderedSlots.first, let last = orderedSlots.last else { return nil }
        return frames[Int(first)].number...frames[Int(last)].number
    }

    /// Every frame, sorted by number.
    public var framesInOrder: some RandomAccessCollection<Frame> {
        orderedSlots.lazy.map { frames[Int($0)] }
    }

    /// The frames Rendering or Downloading. Frames in flight report progress, so they are found
    /// walking back from the newest change, and the walk stops once all of them (known from the
    /// status counts) are found: usually a few steps, however large the project.
    public var framesInFlight: [Frame] {
        slotsInFlight.map { frames[Int($0)] }
    }

    /// The slots of `framesInFlight`, in the same order (newest change first).
    var slotsInFlight: [Int32] {
        var wanted = statusCounts[.rendering] + statusCounts[.downloading]
        var found: [Int32] = []
        found.reserveCapacity(wanted)
        var slot = newestSlot
        while wanted > 0, slot >= 0 {
            let status = frames[Int(slot)].status
            if status == .rendering || status == .downloading {
                found.append(slot)
                wanted -= 1
            }
            slot = frames[Int(slot)].older
        }
        return found
    }

    /// Every frame's snapshot, sorted by number, read in place (no frame is copied).
    public var snapshotsInOrder: [FrameSnapshot] {
        orderedSlots.map { frames[Int($0)].snapshot }
    }

    /// Snapshots of the frames whose last change is newer than `eventID`, oldest change first.
    /// Costs the number of frames returned, not the project's size.
    public func snapshots(changedAfter eventID: Int) -> [FrameSnapshot] {
        var changed: [FrameSnapshot] = []
        var slot = newestSlot
        while slot >= 0, frames[Int(slot)].eventID > eventID {
            changed.append(frames[Int(slot)].snapshot)
            slot = frames[Int(slot)].older
        }
        return changed.reversed()
    }

    // MARK: - Mutation (only through Tracker)

    /// Makes room for `count` more frames at once, for a render started with its frame list: grown
    /// one append at a time, the arrays and the index double past the frames they hold (10,000
    /// frames take room for 16,384) and keep that slack for the render's life.
    mutating func reserveCapacity(forMoreFrames count: Int) {
        frames.reserveCapacity(frames.count + count)
        slotByNumber.reserveCapacity(slotByNumber.count + count)
        orderedSlots.reserveCapacity(orderedSlots.count + count)
        estimateEvidence.reserveCapacity(forMoreFrames: count)
    }

    /// The slot of frame `number`, adding it if the project does not have it yet.
    /// `added` tells the caller to log how the frame appeared.
    mutating func slot(for number: Int, jobID: String, eventID: Int) -> (slot: Int32, added: Bool) {
        if let slot = slotByNumber[number] {
            return (slot, false)
        }
        let slot = Int32(frames.count)
        frames.append(Frame(number: number, jobID: jobID, eventID: eventID))
        estimateEvidence.record(frames[Int(slot)], slot: Int(slot), counted: nil, projectJobID: self.jobID)
        slotByNumber[number] = slot
        if let last = orderedSlots.last, frames[Int(last)].number > number {
            orderedSlots.insert(slot, at: orderedPosition(of: number))
        } else {
            orderedSlots.append(slot)
        }
        statusCounts[.waiting] += 1
        linkAsNewest(slot)
        return (slot, true)
    }

    /// Applies `change` to a frame, stamps it with `eventID`, logs what `change` returns, and keeps
    /// counts, recency and estimate evidence in step. Returns the status before and after.
    mutating func update(
        slot: Int32, eventID: Int, at time: Timestamp, limits: TrackerLimits,
        _ change: (inout Frame) -> FrameEvent
    ) -> (before: FrameStatus, after: FrameStatus) {
        let index = Int(slot)
        let before = frames[index].status
        let counted = EstimateEvidence.Counted(frames[index], projectJobID: jobID)
        let event = change(&frames[index])
        let after = frames[index].status
        frames[index].eventID = eventID
        frames[index].log.record(FrameLogEntry(time: time, event: event), limits: limits)
        lastEventID = eventID
        lastChangedAt = time
        if before != after {
            if before == .error {
                frames[index].errorMessage = nil  // the message belongs to the error, not the frame
            }
            statusCounts[before] -= 1
            statusCounts[after] += 1
            noteTransition(of: index, from: before, to: after, at: time)
        }
        estimateEvidence.record(frames[index], slot: index, counted: counted, projectJobID: jobID)
        if newestSlot != slot {
            unlink(slot)
            linkAsNewest(slot)
        }
        return (before, after)
    }

    /// Keeps per-frame phase times and the samples the estimate learns from.
    private mutating func noteTransition(of index: Int, from before: FrameStatus, to after: FrameStatus, at time: Timestamp) {
        if before == .rendering, let start = frames[index].renderStartedAt {
            frames[index].machineSeconds += max(0, time.seconds(since: start))
            // Only a render seen from its start has a fair duration (a tracker restarted mid-render
            // first hears of it halfway through).
            if after == .done || after == .downloading, frames[index].renderSeenFromStart {
                frames[index].renderSeconds = time.seconds(since: start)
            }
        }
        switch after {
        case .rendering:
            frames[index].renderStartedAt = time
            frames[index].finishedAt = nil
            frames[index].attempts += 1
            peakRendering = max(peakRendering, statusCounts[.rendering])
        case .downloading:
            frames[index].downloadStartedAt = time
        case .done:
            // A downloaded frame reaches Done twice (render, then download): count it once.
            if frames[index].finishedAt == nil {
                completionTimes.add(time.secondsSince1970)
            }
            frames[index].finishedAt = time
            if before == .rendering, frames[index].renderSeenFromStart, let start = frames[index].renderStartedAt {
                renderDurations.add(time.seconds(since: start))
            }
            if before == .downloading, let start = frames[index].downloadStartedAt {
                downloadDurations.add(time.seconds(since: start))
            }
        default:
            break
        }
    }

    /// Where a frame number goes in `orderedSlots` (binary search).
    private func orderedPosition(of number: Int) -> Int {
        var low = 0
        var high = orderedSlots.count
        while low < high {
            let middle = (low + high) / 2
            if frames[Int(orderedSlots[middle])].number < number { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func unlink(_ slot: Int32) {
        let newer = frames[Int(slot)].newer
        let older = frames[Int(slot)].older
        if newer >= 0 { frames[Int(newer)].older = older } else { newestSlot = older }
        if older >= 0 { frames[Int(older)].newer = newer }
        frames[Int(slot)].newer = -1
        frames[Int(slot)].older = -1
    }

    private mutating func linkAsNewest(_ slot: Int32) {
        frames[Int(slot)].older = newestSlot
        frames[Int(slot)].newer = -1
        if newestSlot >= 0 { frames[Int(newestSlot)].newer = slot }
        newestSlot = slot
    }
}

/// How many frames are in each status, kept up to date on every change so the project's state is O(1).
public struct StatusCounts: Sendable, Equatable {
    private var counts = [Int](repeating: 0, count: FrameStatus.allCases.count)

    public init() {}

    mutating func add(_ other: StatusCounts) {
        for index in counts.indices {
            counts[index] += other.counts[index]
        }
    }

    public subscript(status: FrameStatus) -> Int {
        get { counts[status.rawValue] }
        set { counts[status.rawValue] = newValue }
    }

    /// Frames with work ahead of them.
    public var active: Int {
        FrameStatus.allCases.reduce(0) { $0 + ($1.isActive ? counts[$1.rawValue] : 0) }
    }
}
