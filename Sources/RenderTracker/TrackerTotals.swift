/// The whole tracker in numbers: what `GET /metrics` reports.
public struct TrackerTotals: Sendable, Equatable {
    /// Projects per state; a state no project is in has no entry.
    public var projects: [ProjectState: Int] = [:]
    /// Frames per status, over every project.
    public var frames = StatusCounts()
    public var lastEventID: Int
}
