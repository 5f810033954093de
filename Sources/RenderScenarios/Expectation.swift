/// One check a scenario made, as `expect.*` reported it.
public struct Expectation: Sendable, Equatable {
    public var passed: Bool
    public var label: String
    /// What was seen, e.g. `got 98, expected 100`.
    public var detail: String
    /// `file.lua:12`, the script line that checked.
    public var location: String
    /// When a render log was replaying: the farm time and the log line last replayed, so a failure
    /// says at which moment of the recorded night it was checked.
    public var moment: String = ""

    /// The line `scenario run` prints.
    public var line: String {
        if passed {
            return "  ok    \(label)" + (detail.isEmpty ? "" : "  (\(detail))")
        }
        return "  FAIL  \(label)" + (detail.isEmpty ? "" : ": \(detail)") + (location.isEmpty ? "" : "  [\(location)]")
            + (moment.isEmpty ? "" : "  at \(moment)")
    }
}
