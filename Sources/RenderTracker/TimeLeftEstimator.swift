#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeapModule

/// Estimates how long a project has left. A protocol so a studio's own estimate (a Lua plugin)
/// can replace the built-in one.
public protocol TimeLeftEstimating: Sendable {
    /// The time left and its likely range, or nil when there is not enough evidence to say.
    /// `history`: the last finished render of the same shot, if the tracker knows one.
    func estimate(for project: Project, history: ShotHistory?, at now: Timestamp) -> TimeLeftEstimate?
}

extension TimeLeftEstimating {
    /// Seconds until the project is done, or nil when there is not enough evidence to say.
    public func secondsLeft(for project: Project, history: ShotHistory? = nil, at now: Timestamp) -> Double? {
        estimate(for: project, history: history, at: now)?.seconds
    }
}

/// A time left with the range it likely falls in.
public struct TimeLeftEstimate: Sendable, Equatable {
    public var seconds: Double
    /// The 80% interval: the render is done between `low` and `high` seconds from now in four
    /// renders of five (measured on the scenario sets, docs/scenarios.md § Estimate accuracy).
    public var low: Double
    public var high: Double
    /// False for an estimate that is one number (a plugin's that gave no range): `low` and `high`
    /// are then `seconds` and mean nothing.
    public var isRange: Bool

    public init(seconds: Double, low: Double, high: Double, isRange: Bool = true) {
        self.seconds = seconds
        self.low = min(low, seconds)
        self.high = max(high, seconds)
        self.isRange = isRange
    }
}

/// What an estimate may be. An answer outside it (not finite, negative, or more than
/// `maximumSeconds`) is not an estimate but a fault: a rate near zero, a clock that jumped, a
/// plugin's bug. The built-in estimate then says "unknown", and a plugin's is refused like any
/// invalid answer, so no client has to cope with `1e308` (which stopped `rendertracker status`:
/// a `Double` that large has no `Int`).
public enum EstimateRange {
    /// A year, 31,536,000 seconds: far more than any render a farm queues (the longest weigh in at
    /// weeks: 10,000 two-hour frames on 20 machines is 42 days), and far below where numbers stop
    /// being exact or convertible (2^53, 9.2e18 for an `Int`).
    public static let maximumSeconds: Double = 365 * 24 * 3600

    /// Whether `seconds` is a time left a client can be given.
    public static func contains(_ seconds: Double) -> Bool {
        seconds >= 0 && seconds <= maximumSeconds
    }
}

/// The built-in estimate (docs/protocol.md, "Time left"): no number before there is evidence;
/// each frame still to render costed by where it lies in the shot and on which machine it runs
/// (`FrameCostModel`); frames in flight by their own progress and by how long they have already
/// run; the rest played out job by job on the machines at work (`RenderSchedule`), then the
/// downloads behind a slow link.
public struct BuiltInTimeLeftEstimator: TimeLeftEstimating {
    /// An in-flight frame must be this far along before its own rate counts at all.
    public var minimumFractionForRate: Double
    /// From this far along, an in-flight frame's own rate is all that counts.
    public var fullTrustFraction: Double
    /// Whether the estimate's record on the tuning scenarios corrects it (`EstimateInterval`);
    /// off, the time left is what the frames work out to, as the unit tests check it.
    public var calibrated: Bool

    public init(minimumFractionForRate: Double = 0.05, fullTrustFraction: Double = 0.5, calibrated: Bool = true) {
        self.minimumFractionForRate = minimumFractionForRate
        self.fullTrustFraction = fullTrustFraction
        self.calibrated = calibrated
    }

    /// The estimate, or nil when there is no evidence or the arithmetic left `EstimateRange`.
    public func estimate(for project: Project, history: ShotHistory?, at now: Timestamp) -> TimeLeftEstimate? {
        guard let seconds = expectedSeconds(for: project, history: history, at: now), EstimateRange.contains(seconds) else { return nil }
        let calibrated = EstimateInterval.calibrated(seconds: seconds, shareDone: project.shareDone, learned: history != nil || !self.calibrated)
        return TimeLeftEstimate(seconds: calibrated.seconds, low: calibrated.low, high: calibrated.high)
    }

    /// Reads every frame only where it must (the queue, the cost model's finished renders), and
    /// then from `Project.estimateEvidence`'s compact values, the model of the finished frames
    /// kept from one estimate to the next while they do not change; the frames in flight are found
    /// by walking the project's recency list (`Project.slotsInFlight`). Walking every `Frame` about
    /// nine times instead made a `getProjectSummary` at 20,000 frames (500 rendering, half done)
    /// take 32.7 ms in a release build and 121 ms in a debug build; now 2.6 ms and 52 ms
    /// (docs/performance.md, "The estimate at 20,000 frames").
    private func expectedSeconds(for project: Project, history: ShotHistory?, at now: Timestamp) -> Double? {
        if project.state == .failed { return nil }
        // In slot order, as the queue below and the schedule's ties expect.
        let flying = project.slotsInFlight.sorted().map { (slot: Int($0), frame: project.frame(atSlot: $0)) }
        let rendering = flying.filter { $0.frame.status == .rendering }
        let downloads = DownloadBacklog(project: project, downloading: flying.map(\.frame).filter { $0.status == .downloading }, now: now)
        let counts = project.statusCounts
        // A render seen only as its frames finish (existing IFDs) never said how many it has: the
        // frames of the shot's last render it has not reported are still to come.
        let unseen = project.createdImplicitly ? (history?.numbers.filter { project.frame($0) == nil } ?? []) : []
        let queued = FrameStatus.allCases.reduce(unseen.count) { $0 + ($1.isQueued ? counts[$1] : 0) }
        if queued == 0 && counts[.rendering] == 0 {
            return downloads.map { $0.finish(after: []) } ?? (project.state == .done ? 0 : nil)
        }
        let finishedModel = project.estimateEvidence.finishedFramesModel(history: history) {
            FrameCostModel(project: project, history: history)
        }
        guard let firstModel = finishedModel ?? impliedModel(rendering.map(\.frame), now: now) else {
            return throughputEstimate(project, framesLeft: Double(queued) + Double(counts[.rendering]) / 2, at: now)
                .map { max($0, downloads?.finish(after: []) ?? 0) }
        }
        // The frames in flight that have shown how long they take (run past half their expected
        // time, or reported progress) join the finished ones, then everything is costed again.
        let informative = inFlight(rendering, model: firstModel, now: now).filter { $0.elapsed >= $0.expected / 2 || $0.trust > 0 }
        let model = informative.isEmpty
            ? firstModel
            : FrameCostModel(
                project: project, inFlight: informative.map { .init(number: $0.frame.number, seconds: $0.elapsed + $0.left, machine: $0.frame.machine) },
                history: history) ?? firstModel
        let perJob = project.estimateEvidence.framesPerJob
        var busy: [RenderSchedule.Busy] = []
        // Each chunk at work and its machine, in chunk order: the frame in flight with the highest slot.
        var busyChunks: [(chunk: Int, machine: Int, slot: Int)] = []
        for frame in inFlight(rendering, model: model, now: now) {
            let owner = (chunk: frame.slot / perJob, machine: busy.count, slot: frame.slot)
            if busyChunks.last?.chunk == owner.chunk { busyChunks[busyChunks.count - 1] = owner } else { busyChunks.append(owner) }
            busy.append(
                RenderSchedule.Busy(
                    freeAt: frame.left, spread: (1 - frame.trust) * model.spread * frame.expected, frameFinishes: [frame.left],
                    slowness: model.speedFactor(of: frame.frame.machine)))
        }
        // Waiting frames of a job already at work follow on its machine; the others queue as jobs,
        // failed frames first (HQueue reruns failed jobs before the queue). Slots and so chunks
        // come in order: a chunk's frames are one run, and its job, if it has one, the last.
        var reruns = RenderSchedule.Jobs()
        var jobs = RenderSchedule.Jobs()
        var nextBusy = 0
        var lastJobChunk: Int?
        for (slot, frame) in project.estimateEvidence.frames.enumerated() where frame.status.isQueued {
            let seconds = model.cost(of: frame.number) * model.wasteFactor
            guard frame.status != .error else {
                reruns.append(CollectionOfOne(seconds))
                continue
            }
            let chunk = slot / perJob
            while nextBusy < busyChunks.count, busyChunks[nextBusy].chunk < chunk { nextBusy += 1 }
            if nextBusy < busyChunks.count, case let owner = busyChunks[nextBusy], owner.chunk == chunk, owner.slot < slot {
                busy[owner.machine].freeAt += seconds * busy[owner.machine].slowness
                busy[owner.machine].frameFinishes.append(busy[owner.machine].freeAt)
                busy[owner.machine].spread = model.spread * seconds * busy[owner.machine].slowness
            } else if lastJobChunk == chunk {
                jobs.appendToLast(seconds)
            } else {
                lastJobChunk = chunk
                jobs.append(CollectionOfOne(seconds))
            }
        }

        // Machines writing IFDs render once their IFD job is done. Between waves (nothing
        // rendering): what the recent throughput implies, but never more machines than were ever
        // seen rendering at once (frames finishing together make the rate spike), unless none
        // ever was (existing IFDs: frames are only seen finishing).
        var idle = counts[.generatingIFD]
        if busy.isEmpty {
            let peak = project.peakRendering > 0 ? Double(project.peakRendering) : .infinity
            let rate = completionRate(project, at: now).map { min(max(1, $0 * model.meanCost), peak) } ?? (peak.isFinite ? peak : 1)
            idle = max(idle, Int(rate.rounded()))
        }
        // Frames not yet reported are rendering or waiting; the first round of them, one a
        // machine, is on the machines now, on average half done.
        for (index, start) in stride(from: 0, to: unseen.count, by: perJob).enumerated() {
            let share = index < idle ? 0.5 : 1
            jobs.append(unseen[start..<min(start + perJob, unseen.count)].lazy.map { model.cost(of: $0) * model.wasteFactor * share })
        }
        var queue = reruns
        queue.append(contentsOf: jobs)
        let outcome = RenderSchedule.play(busy: busy, idle: idle, jobs: queue, spread: model.spread)
        guard let downloads else { return outcome.finish }
        return max(outcome.finish, downloads.finish(after: outcome.frameFinishes))
    }

    /// The frames rendering now (`rendering`, with their slots), each with what it was expected to
    /// take, how long it has run, its time left (by its own progress, trusted more the further
    /// along it is, and by how frames like it finished after running as long) and how much its own
    /// progress was trusted.
    private func inFlight(_ rendering: [(slot: Int, frame: Frame)], model: FrameCostModel, now: Timestamp)
        -> [(slot: Int, frame: Frame, expected: Double, elapsed: Double, left: Double, trust: Double)]
    {
        rendering.map { slot, frame in
            let elapsed = max(0, frame.renderStartedAt.map { now.seconds(since: $0) } ?? 0)
            let expected = model.cost(of: frame.number) * model.speedFactor(of: frame.machine)
            let fromHistory = model.remaining(expected: expected, elapsed: elapsed)
            guard let own = ownRemaining(frame, now: now) else { return (slot, frame, expected, elapsed, fromHistory, 0) }
            let trust = min(1, frame.renderFraction / fullTrustFraction)
            return (slot, frame, expected, elapsed, trust * own + (1 - trust) * fromHistory, trust)
        }
    }

    /// A frame's time left at the rate of its own progress: the fraction it reported took the time
    /// from its start to that report (fractions arrive in steps, a tile at a time, so the rate is
    /// measured at the report, not now), and the time since the report is already spent. nil before
    /// it is `minimumFractionForRate` along.
    private func ownRemaining(_ frame: Frame, now: Timestamp) -> Double? {
        let fraction = frame.renderFraction
        guard fraction >= minimumFractionForRate, fraction < 1, let start = frame.renderStartedAt else { return nil }
        let reported = frame.lastProgressAt ?? now
        let toReport = reported.seconds(since: start)
        guard toReport > 0 else { return nil }
        let sinceReport = max(0, now.seconds(since: reported))
        return max(toReport * (1 - fraction) / fraction - sinceReport, 0)
    }

    /// Before any frame finished: a typical frame's time as the frames rendering imply it (median
    /// of elapsed / fraction), once one is far enough along.
    private func impliedModel(_ rendering: [Frame], now: Timestamp) -> FrameCostModel? {
        let implied = rendering.compactMap { frame -> Double? in
            guard frame.renderFraction >= 0.1, let start = frame.renderStartedAt else { return nil }
            let elapsed = now.seconds(since: start)
            return elapsed > 0 ? elapsed / frame.renderFraction : nil
        }.sorted()
        return implied.isEmpty ? nil : FrameCostModel(typical: implied[implied.count / 2])
    }

    /// Frames finished per second over the recent window, measured up to now so that a stall lowers it.
    private func completionRate(_ project: Project, at now: Timestamp) -> Double? {
        let times = project.completionTimes
        guard times.count >= 3, let oldest = times.oldest, let newest = times.newest, newest > oldest else { return nil }
        let span = now.secondsSince1970 - oldest
        return span > 0 ? Double(times.count - 1) / span : nil
    }

    /// For renders whose frames are only seen finishing (the existing-IFD route): frames left over
    /// the recent completion rate.
    private func throughputEstimate(_ project: Project, framesLeft: Double, at now: Timestamp) -> Double? {
        completionRate(project, at: now).map { framesLeft / $0 }
    }
}

/// A render whose frames download after they render (cloud renders): a rendered frame reads Done
/// until its download starts, so the frames waiting for a download are the Done frames no
/// download has touched. nil for a project that never downloaded.
///
/// Downloads are timed by how fast they finish, not by how long one is seen Downloading: a
/// downloader reports its first fraction only some way in, so fewer downloads are seen at once
/// than run, and each looks shorter than it is (two slots of 75 s downloads read as one slot of
/// 56 s: a backlog estimated 50% long).
struct DownloadBacklog {
    /// Recent downloads finished, for the rate.
    static let rateWindow = 32
    var waiting: Int
    var inProgress: [Double]
    var slots: Int
    var seconds: Double

    /// `downloading`: the project's frames Downloading. The frames Done that wait for a download
    /// and the times downloads finished are counted as frames change (`EstimateEvidence`), the
    /// times kept sorted, rather than found and sorted anew on every estimate.
    init?(project: Project, downloading: [Frame], now: Timestamp) {
        let evidence = project.estimateEvidence
        let inProgress = downloading.compactMap { frame in
            frame.downloadStartedAt.map { (elapsed: max(0, now.seconds(since: $0)), fraction: frame.downloadFraction) }
        }
        let finishes = evidence.downloadFinishes
        guard !finishes.isEmpty || !inProgress.isEmpty else { return nil }
        let implied = inProgress.filter { $0.fraction >= 0.1 && $0.elapsed > 0 }.map { $0.elapsed / $0.fraction }
        guard let seen = project.downloadDurations.mean ?? implied.max() else { return nil }
        slots = max(1, inProgress.count)
        let waiting = evidence.downloadsAwaited
        let recent = finishes.suffix(Self.rateWindow)
        if recent.count >= 3, let oldest = recent.first, now.secondsSince1970 > oldest, waiting > 0 {
            // While a backlog waits, downloads run back to back: their rate is the link's.
            let rate = Double(recent.count - 1) / (now.secondsSince1970 - oldest)
            seconds = Double(slots) / rate
        } else {
            seconds = seen
        }
        self.waiting = waiting
        self.inProgress = inProgress.map { seen * (1 - $0.fraction) }
    }

    /// When the last download ends, with frames still rendering joining the queue as they finish.
    func finish(after rendered: [Double]) -> Double {
        RenderSchedule.downloads(
            ready: Array(repeating: 0, count: waiting) + rendered, inProgress: inProgress, slots: slots, seconds: seconds)
    }
}
