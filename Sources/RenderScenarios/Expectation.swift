/// One check a scenario made, as `expect.*` reported it.
public struct Expectation: Sendable, Equatable {
    public var passed: Bool
    public var label: String
    /// What was seen, e.g. `got 98, expected 100`.
    public var detail: String
    /// `file.lua:12`, the script line that checked.
    public var location: String

    /// The line `scenario run` prints.
    public var line: String {
        if passed {
            return "  ok    \(label)" + (detail.isEmpty ? "" : "  (\(detail))")
        }
        return "  FAIL  \(label)" + (detail.isEmpty ? "" : ": \(detail)") + (location.isEmpty ? "" : "  [\(location)]")
    }
}
