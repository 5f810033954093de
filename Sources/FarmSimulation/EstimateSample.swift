/// The estimates of time left at one moment of a render: the tracker's (built-in or a plugin's)
/// and the two peer baselines computed from what a farm manager sees.
public struct EstimateSample: Sendable {
    /// Percent of frames done when the sample was taken (the milestone it stands for).
    public var milestone: Int
    /// Virtual seconds since the scenario began.
    public var time: Double
    public var framesDone: Int
    /// `seconds_left` of `getProjectSummary` at that moment; nil when the tracker had no estimate.
    public var tracker: Double?
    /// The tracker's 80% interval around `tracker`, when it gave one (`getProjectSummary`).
    public var trackerRange: (low: Double, high: Double)?
    /// Whether the tracker's estimate learned from a past render of the same shot (`learned_from`).
    public var learned = false
    /// Straight-line extrapolation, as Afanasy: `elapsed * 100 / percent - elapsed`, with percent
    /// counting the partial progress of frames in flight.
    public var straightLine: Double?
    /// Average finished-frame time times frames left, divided by machines working, as Royal Render.
    public var averageFrame: Double?

    public init(
        milestone: Int, time: Double, framesDone: Int, tracker: Double?, trackerRange: (low: Double, high: Double)? = nil, learned: Bool = false,
        straightLine: Double?, averageFrame: Double?
    ) {
        self.milestone = milestone
        self.time = time
        self.framesDone = framesDone
        self.tracker = tracker
        self.trackerRange = trackerRange
        self.learned = learned
        self.straightLine = straightLine
        self.averageFrame = averageFrame
    }

    /// The three estimates' errors against a render that finished at `finishedAt`, and whether
    /// the truth fell in the tracker's range.
    public func errors(finishedAt: Double) -> EstimateErrors {
        func error(_ estimate: Double?) -> Double? { Self.error(of: estimate, at: time, finishedAt: finishedAt) }
        let truth = finishedAt - time
        return EstimateErrors(
            milestone: milestone, tracker: error(tracker), straightLine: error(straightLine), averageFrame: error(averageFrame),
            withinRange: trackerRange.map { $0.low <= truth && truth <= $0.high })
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
    /// Whether the truth fell within the tracker's range; nil without a range.
    public var withinRange: Bool?

    public init(milestone: Int, tracker: Double?, straightLine: Double?, averageFrame: Double?, withinRange: Bool? = nil) {
        self.milestone = milestone
        self.tracker = tracker
        self.straightLine = straightLine
        self.averageFrame = averageFrame
        self.withinRange = withinRange
    }
}
