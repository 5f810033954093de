/// The estimates of time left at one moment of a render: the tracker's (built-in or a plugin's)
/// and the two peer baselines computed from what a farm manager sees.
public struct EstimateSample: Sendable {
    /// Percent of frames done when the sample was taken (the milestone it stands for).
    public var milestone: Int
    /// Virtual seconds since the scenario began.
    public var time: Double
    public var framesDone: Int
    /// `getEstimatedRenderSecondsLeft` at that moment; nil when the tracker had no estimate.
    public var tracker: Double?
    /// Straight-line extrapolation, as Afanasy: `elapsed * 100 / percent - elapsed`, with percent
    /// counting the partial progress of frames in flight.
    public var straightLine: Double?
    /// Average finished-frame time times frames left, divided by machines working, as Royal Render.
    public var averageFrame: Double?

    public init(milestone: Int, time: Double, framesDone: Int, tracker: Double?, straightLine: Double?, averageFrame: Double?) {
        self.milestone = milestone
        self.time = time
        self.framesDone = framesDone
        self.tracker = tracker
        self.straightLine = straightLine
        self.averageFrame = averageFrame
    }

    /// The three estimates' errors against a render that finished at `finishedAt`.
    public func errors(finishedAt: Double) -> EstimateErrors {
        func error(_ estimate: Double?) -> Double? { Self.error(of: estimate, at: time, finishedAt: finishedAt) }
        return EstimateErrors(milestone: milestone, tracker: error(tracker), straightLine: error(straightLine), averageFrame: error(averageFrame))
    }

    /// How far an estimate was from the truth, as a fraction of the time that was really left:
    /// +0.1 said 10% too long. nil without an estimate or once nothing was left.
    public static func error(of estimate: Double?, at time: Double, finishedAt: Double) -> Double? {
        let left = finishedAt - time
        guard let estimate, left > 0 else { return nil }
        return (estimate - left) / left
    }
}

/// The three estimates' errors at one milestone of a finished render.
public struct EstimateErrors: Sendable {
    public var milestone: Int
    public var tracker: Double?
    public var straightLine: Double?
    public var averageFrame: Double?
}
