/// Progress fractions as clients send them.
public enum Fraction {
    public static let floatNoise = 1e-6

    /// Maps a reported fraction onto [0, 1]: values in (1, 100] are percentages (the render-from-hip
    /// route sends `100.0` when a frame finishes), anything else out of range is clamped.
    /// Values within `floatNoise` above 1 are 1: arithmetic like `0.1 * 10` lands there, and reading
    /// them as a 1% would throw a finished frame back to the start.
    /// Returns nil for NaN and infinities, which carry no progress at all.
    public static func normalized(_ reported: Double) -> Double? {
        guard reported.isFinite else { return nil }
        if reported <= 1 + floatNoise {
            return min(max(reported, 0), 1)
        }
        return min(reported, 100) / 100
    }
}
