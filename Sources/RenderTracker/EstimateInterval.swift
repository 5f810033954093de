/// What the estimate's record on the tuning scenarios (docs/scenarios.md § Estimate accuracy)
/// says about the time it works out, by share of frames done: its median error, and the errors
/// it was beyond in one sample of ten on either side.
///
/// The median error is taken out of the time left: on realistic renders surprises only make a
/// render longer (machines lost, frames failing, heavier frames still to come), so an estimate
/// from what is known reads short, by 3% to 10%. The interval is the 80% range: the truth lies
/// within `seconds / (1 + over) ... seconds / (1 + under)` in eight of ten. Early in a render the
/// frames ahead are least known and the correction largest.
enum EstimateInterval {
    /// (share of frames done from, 10th percentile, median, 90th percentile error), measured with
    /// `scenario eta-report --json --seeds 3` over the tuning set.
    static let calibration: [(from: Double, under: Double, median: Double, over: Double)] = [
        (0.0, -0.32, -0.10, 0.17),
        (0.2, -0.33, -0.09, 0.07),
        (0.45, -0.28, -0.07, 0.13),
        (0.7, -0.31, -0.03, 0.16),
    ]

    /// The time left with the median error taken out, and its 80% range. An estimate that
    /// `learned` from a past render of the shot already knows the frames ahead: only the range
    /// applies (taking the median out too put those renders 18% off from 9%). So it is for an
    /// estimator asked not to be calibrated.
    static func calibrated(seconds: Double, shareDone: Double, learned: Bool) -> (seconds: Double, low: Double, high: Double) {
        let row = calibration.last { shareDone >= $0.from } ?? calibration[0]
        let central = learned ? seconds : seconds / (1 + row.median)
        return (central, central * (1 + row.median) / (1 + row.over), central * (1 + row.median) / (1 + row.under))
    }
}
