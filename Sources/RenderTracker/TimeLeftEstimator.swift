#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeapModule

/// Estimates how long a project has left. A protocol so a studio's own estimate (a Lua plugin)
/// can replace the built-in one.
public protocol TimeLeftEstimating: Sendable {
    /// Seconds until the project is done, or nil when there is not enough evidence to say.
    func secondsLeft(for project: Project, at now: Timestamp) -> Double?
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

/// The built-in estimate, following what the field learned (see docs/protocol.md, "Time left"):
/// no number before there is evidence, recent frames over all-time averages, the number of
/// frames rendering at once, and each in-flight frame's own progress.
public struct BuiltInTimeLeftEstimator: TimeLeftEstimating {
    /// An in-flight frame must be this far along before its own rate is trusted.
    public var minimumFractionForRate: Double

    public init(minimumFractionForRate: Double = 0.1) {
        self.minimumFractionForRate = minimumFractionForRate
    }

    /// The estimate, or nil when there is no evidence or the arithmetic left `EstimateRange`.
    public func secondsLeft(for project: Project, at now: Timestamp) -> Double? {
        estimate(for: project, at: now).flatMap { EstimateRange.contains($0) ? $0 : nil }
    }

    private func estimate(for project: Project, at now: Timestamp) -> Double? {
        switch project.state {
        case .done: return 0
        case .failed: return nil
        case .running: break
        }
        let counts = project.statusCounts
        // Frames in Error while the project still runs are work ahead too: HQueue retries failed
        // jobs, and a spurious project error puts frames that have not started in Error.
        let queued = counts[.waiting] + counts[.generatingIFD] + counts[.ifdReady] + counts[.error]
        var rendering: [(elapsed: Double, fraction: Double)] = []
        var downloadLeft: Double?
        for frame in project.framesInFlight {
            switch frame.status {
            case .rendering:
                let elapsed = frame.renderStartedAt.map { now.seconds(since: $0) } ?? 0
                rendering.append((max(elapsed, 0), frame.renderFraction))
            case .downloading:
                let elapsed = frame.downloadStartedAt.map { now.seconds(since: $0) } ?? 0
                if let left = remaining(elapsed: elapsed, fraction: frame.downloadFraction, typical: project.downloadDurations.mean) {
                    downloadLeft = max(downloadLeft ?? 0, left)
                }
            default:
                break
            }
        }

        if queued == 0, rendering.isEmpty {
            return downloadLeft  // only downloads remain: their time left, or unknown without evidence
        }
        guard let perFrame = typicalRenderSeconds(project, rendering: rendering) else {
            return throughputEstimate(project, framesLeft: Double(queued) + Double(rendering.count) / 2, at: now)
                .map { max($0, downloadLeft ?? 0) }
        }
        let inFlightLeft = rendering.map { remaining(elapsed: $0.elapsed, fraction: $0.fraction, typical: perFrame) ?? perFrame }
        // Machines at work: those rendering now. Between waves (nothing rendering, so the frame time
        // came from finished renders and at least one frame was seen rendering): what the recent
        // throughput implies, but never more machines than were ever seen rendering at once
        // (frames finishing together make the rate spike).
        let peak = Double(max(project.peakRendering, 1))
        let machines = rendering.isEmpty
            ? completionRate(project, at: now).map { min(max(1, $0 * perFrame), peak) } ?? peak
            : Double(rendering.count)
        let renderLeft = Self.finishOfLastFrame(
            inFlightLeft: inFlightLeft, machines: Int(machines.rounded()), queued: queued, perFrame: perFrame,
            spread: project.renderDurations.standardDeviation ?? 0)
        // Frames still to render have their download ahead when the project downloads.
        let trailingDownload = project.downloadDurations.mean ?? 0
        return max(renderLeft + trailingDownload, downloadLeft ?? 0)
    }

    /// When the last frame finishes if each machine, as it frees up, takes the next queued frame
    /// (HQueue's first come, first served): the machines rendering now free up as their frames
    /// finish, the others are free at once. Unlike total work over machines, this sees the last
    /// wave, where machines fall idle one by one while the final frames render. Frame times vary
    /// (`spread`, their standard deviation), so the last of several final frames runs long: the
    /// expected longest of them is added, not the mean.
    static func finishOfLastFrame(inFlightLeft: [Double], machines: Int, queued: Int, perFrame: Double, spread: Double) -> Double {
        let machines = max(machines, inFlightLeft.count, 1)
        var freeAt = inFlightLeft + Array(repeating: 0, count: machines - inFlightLeft.count)
        var queued = queued
        // Whole rounds every machine takes in turn need no simulation: only the last two do.
        let rounds = queued / machines - 1
        if rounds > 0 {
            freeAt = freeAt.map { $0 + Double(rounds) * perFrame }
            queued -= rounds * machines
        }
        var earliest = Heap(freeAt.map { MachineFree(time: $0, lastFrameQueued: rounds > 0) })
        for _ in 0..<queued {
            guard let free = earliest.min else { break }
            earliest.replaceMin(with: MachineFree(time: free.time + perFrame, lastFrameQueued: true))
        }
        let final = earliest.unordered
        let inFlightFinish = final.filter { !$0.lastFrameQueued }.map(\.time).max() ?? 0
        let queuedFinishes = final.filter(\.lastFrameQueued).map(\.time)
        guard let latest = queuedFinishes.max() else { return inFlightFinish }
        let contenders = queuedFinishes.filter { $0 >= latest - spread }.count
        return max(inFlightFinish, latest + spread * expectedLargestOfNormals(contenders))
    }

    /// The expected largest of `count` standard normal draws (a table, then the asymptotic form).
    static func expectedLargestOfNormals(_ count: Int) -> Double {
        let table = [0, 0, 0.564, 0.846, 1.029, 1.163, 1.267, 1.352, 1.424, 1.485, 1.539]
        if count < table.count { return table[max(count, 0)] }
        let root = (2 * log(Double(count))).squareRoot()
        return root - (log(log(Double(count))) + log(4 * Double.pi)) / (2 * root)
    }

    /// A typical frame's render time: the mean of recent finished renders, else what frames in flight
    /// imply (median of elapsed / fraction) once one is far enough along.
    private func typicalRenderSeconds(_ project: Project, rendering: [(elapsed: Double, fraction: Double)]) -> Double? {
        if let mean = project.renderDurations.mean {
            return mean
        }
        let implied = rendering
            .filter { $0.fraction >= minimumFractionForRate && $0.elapsed > 0 }
            .map { $0.elapsed / $0.fraction }
            .sorted()
        return implied.isEmpty ? nil : implied[implied.count / 2]
    }

    /// Seconds left for one frame in flight: its own rate, blended with the typical frame's remaining
    /// time, trusting its own rate more the further along it is.
    private func remaining(elapsed: Double, fraction: Double, typical: Double?) -> Double? {
        let prior = typical.map { $0 * (1 - fraction) }
        guard fraction >= minimumFractionForRate, elapsed > 0 else { return prior }
        let own = elapsed * (1 - fraction) / fraction
        guard let prior else { return own }
        return fraction * own + (1 - fraction) * prior
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

/// When a machine is next free, and whether the frame it finishes then is one still queued now
/// (whose time is a guess) rather than one in flight (whose own progress is known).
/// A machine and when it is free next, ordered by that time (a `Heap` gives the earliest first).
struct MachineFree: Comparable {
    var time: Double
    var lastFrameQueued: Bool

    static func < (lhs: MachineFree, rhs: MachineFree) -> Bool { lhs.time < rhs.time }
    static func == (lhs: MachineFree, rhs: MachineFree) -> Bool { lhs.time == rhs.time }
}
