/// Progress fractions as clients send them.
public enum Fraction {
    /// Maps a reported fraction onto [0, 1]: values in (1, 100] are percentages (the render-from-hip
    /// route sends `100.0` when a frame finishes), anything else out of range is clamped.
    /// Returns nil for NaN and infinities, which carry no progress at all.
    public static func normalized(_ reported: Double) -> Double? {
        guard reported.isFinite else { return nil }
        if reported > 1 {
            return min(reported, 100) / 100
        }
        return max(reported, 0)
    }
}
