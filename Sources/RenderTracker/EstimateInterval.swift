/// The 80% interval around a time left. Its width comes from how far the estimate was off on
/// the tuning scenarios (docs/scenarios.md § Estimate accuracy) at each share of frames done: the
/// estimate's error was above `over` in one sample of ten and below `under` in one of ten, so the
/// truth lies within `seconds / (1 + over) ... seconds / (1 + under)` in eight of ten. Early in a
/// render the future frames are least known and the interval widest.
enum EstimateInterval {
    /// (share of frames done from, 10th percentile error, 90th percentile error), by share.
    static let calibration: [(from: Double, under: Double, over: Double)] = [
        (0.0, -0.45, 0.35),
        (0.2, -0.30, 0.25),
        (0.45, -0.25, 0.20),
        (0.7, -0.25, 0.25),
    ]

    static func bounds(seconds: Double, shareDone: Double) -> (low: Double, high: Double) {
        let row = calibration.last { shareDone >= $0.from } ?? calibration[0]
        return (seconds / (1 + row.over), seconds / (1 + row.under))
    }
}
