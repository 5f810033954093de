/// Estimates how long a project has left. A protocol so a studio's own estimate (a Lua plugin)
/// can replace the built-in one.
public protocol TimeLeftEstimating: Sendable {
    /// Seconds until the project is done, or nil when there is not enough evidence to say.
    func secondsLeft(for project: Project, at now: Timestamp) -> Double?
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

    public func secondsLeft(for project: Project, at now: Timestamp) -> Double? {
        switch project.state {
        case .done: return 0
        case .failed: return nil
        case .running: break
        }
        let counts = project.statusCounts
        let queued = counts[.waiting] + counts[.generatingIFD] + counts[.ifdReady]
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
        let work = inFlightLeft.reduce(0, +) + Double(queued) * perFrame
        let renderLeft = max(inFlightLeft.max() ?? 0, work / machines)
        // Frames still to render have their download ahead when the project downloads.
        let trailingDownload = project.downloadDurations.mean ?? 0
        return max(renderLeft + trailingDownload, downloadLeft ?? 0)
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
