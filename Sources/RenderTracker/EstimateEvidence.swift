import Synchronization

/// What the built-in estimate reads of a project's frames, kept by `Project` as frames change
/// (`Project.update`, the one path every frame change takes) rather than gathered from every
/// frame on every estimate. An estimate used to walk all the frames about nine times, copying
/// each `Frame` and hashing machine names and job ids as it went: 32.7 ms a `getProjectSummary`
/// at 20,000 frames in a release build, 2.6 ms with this (docs/performance.md, "The estimate at
/// 20,000 frames"). Here the counts cost a few operations a change, and what must still be read
/// frame by frame (the cost model's finished renders, the queue) is read from compact values,
/// 40 bytes a frame.
struct EstimateEvidence: Sendable {
    /// One frame as the estimate reads it, in the project's slot order.
    struct FrameFacts: Sendable {
        var number: Int
        /// Machine time spent rendering it over every attempt (`Frame.machineSeconds`).
        var machineSeconds: Double
        /// How long its finished render took, for a frame Done or Downloading whose render was
        /// timed: the samples `FrameCostModel` learns from. nil for every other frame.
        var renderSeconds: Double?
        /// The machine that rendered it, by `machineIndex`; nil when unknown.
        var machine: Int32?
        var status: FrameStatus
    }

    /// What a frame counts for in the totals below, to take out again when it changes.
    struct Counted: Equatable {
        /// The job that started it (`Frame.jobID`), unless it was never started or ran under the
        /// project's own job id (a job that renders the whole project says nothing of a job's size).
        var job: String?
        var machine: String?
        var download: Download

        enum Download: Equatable {
            case none
            /// Rendered and Done, and no download touched it: a download still to come.
            case awaited
            /// Done after a download that started, at this time (seconds since 1970).
            case finished(Double)
        }

        init(_ frame: Frame, projectJobID: String) {
            job = frame.attempts > 0 && frame.jobID != projectJobID ? frame.jobID : nil
            machine = frame.machine
            switch (frame.status, frame.downloadStartedAt, frame.finishedAt) {
            case (.done, nil, _): download = .awaited
            case let (.done, _?, finished?): download = .finished(finished.secondsSince1970)
            default: download = .none
            }
        }
    }

    /// Every frame, by slot.
    private(set) var frames: [FrameFacts] = []
    /// Every machine any frame named, numbered in the order they appeared.
    private(set) var machineIndex: [String: Int32] = [:]
    /// Frames Done that wait for a download (`Counted.Download.awaited`).
    private(set) var downloadsAwaited = 0
    /// When the downloads of frames now Done finished, sorted: a new one is usually the latest,
    /// so keeping them sorted costs an append.
    private(set) var downloadFinishes: [Double] = []
    /// Frames started by each job id (`Counted.job`), how many jobs have started each number of
    /// frames (index: the number), and the most frames any one job has started.
    private var framesByJob: [String: Int] = [:]
    private var jobsByFrames: [Int] = [0]
    private var mostFramesOfAJob = 0

    /// The cost model of the finished frames alone, kept from the estimate that built it until a
    /// finished frame changes or a frame is added (`finishedVersion` moves on). Progress reports,
    /// most of a render's writes, leave it alone. Shared only by copies of the project that have
    /// the same finished frames: a copy that changes them takes a cache of its own.
    private var finishedModel = FinishedModelCache()
    private var finishedVersion = 0

    /// Frames each render job renders one after another, as seen from the frames started so far:
    /// the most frames any one job id has started (1 when every frame has its own job), at most 1,000.
    var framesPerJob: Int { min(max(1, mostFramesOfAJob), 1_000) }

    /// Room for `count` more frames (`Project.reserveCapacity(forMoreFrames:)`).
    mutating func reserveCapacity(forMoreFrames count: Int) {
        frames.reserveCapacity(frames.count + count)
    }

    /// Takes in frame `slot` after a change; `counted` is what it counted for before (nil for a
    /// frame not taken in yet).
    mutating func record(_ frame: Frame, slot: Int, counted before: Counted?, projectJobID: String) {
        let after = Counted(frame, projectJobID: projectJobID)
        if after != before {
            if before?.job != after.job {
                if let job = before?.job { countJob(job, by: -1) }
                if let job = after.job { countJob(job, by: 1) }
            }
            if let machine = after.machine, machineIndex[machine] == nil {
                machineIndex[machine] = Int32(machineIndex.count)
            }
            if before?.download != after.download {
                if let before { countDownload(before.download, by: -1) }
                countDownload(after.download, by: 1)
            }
        }
        let timed = frame.status == .done || frame.status == .downloading
        // The machine's number looked up only when it changed: most writes are progress reports.
        let machine =
            slot < frames.count && after.machine == before?.machine ? frames[slot].machine : after.machine.flatMap { machineIndex[$0] }
        let facts = FrameFacts(
            number: frame.number, machineSeconds: frame.machineSeconds,
            renderSeconds: timed ? frame.renderSeconds.flatMap { $0 > 0 ? $0 : nil } : nil, machine: machine, status: frame.status)
        if slot < frames.count {
            let old = frames[slot]
            frames[slot] = facts
            // What `FrameCostModel` reads of a frame: a finished render's time, machine and machine time.
            guard old.renderSeconds != facts.renderSeconds
                || facts.renderSeconds != nil && (old.machine != facts.machine || old.machineSeconds != facts.machineSeconds)
            else { return }
        } else {
            frames.append(facts)
        }
        finishedVersion += 1
        if !isKnownUniquelyReferenced(&finishedModel) { finishedModel = FinishedModelCache() }
    }

    /// The cost model of the finished frames alone, starting from `history`: the one kept, if it
    /// was built from the frames as they are and the same history, else `build()`'s, kept.
    func finishedFramesModel(history: ShotHistory?, build: () -> FrameCostModel?) -> FrameCostModel? {
        finishedModel.model(version: finishedVersion, history: history, build: build)
    }

    private mutating func countJob(_ job: String, by step: Int) {
        let before = framesByJob[job] ?? 0
        let after = before + step
        framesByJob[job] = after > 0 ? after : nil
        if before > 0 { jobsByFrames[before] -= 1 }
        if after > 0 {
            if after == jobsByFrames.count { jobsByFrames.append(0) }
            jobsByFrames[after] += 1
        }
        if after > mostFramesOfAJob {
            mostFramesOfAJob = after
        } else if before == mostFramesOfAJob, jobsByFrames[before] == 0 {
            mostFramesOfAJob = after
        }
    }

    private mutating func countDownload(_ download: Counted.Download, by step: Int) {
        switch download {
        case .none:
            break
        case .awaited:
            downloadsAwaited += step
        case let .finished(time):
            var low = 0
            var high = downloadFinishes.count
            while low < high {
                let middle = (low + high) / 2
                if downloadFinishes[middle] < time { low = middle + 1 } else { high = middle }
            }
            if step > 0 {
                downloadFinishes.insert(time, at: low)
            } else if low < downloadFinishes.count, downloadFinishes[low] == time {
                downloadFinishes.remove(at: low)
            }
        }
    }
}

/// The cost model of a project's finished frames as last built, with the version of the frames and
/// the history it was built from. Estimates read a project under the tracker's lock, several at a
/// time: the model is kept behind a mutex of its own.
final class FinishedModelCache: Sendable {
    private let built = Mutex<(version: Int, history: ShotHistory?, model: FrameCostModel?)?>(nil)

    func model(version: Int, history: ShotHistory?, build: () -> FrameCostModel?) -> FrameCostModel? {
        if let kept = built.withLock({ $0 }), kept.version == version, ShotHistory.areSame(kept.history, history) {
            return kept.model
        }
        let model = build()
        built.withLock { $0 = (version, history, model) }
        return model
    }
}
