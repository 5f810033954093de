import Testing
@testable import RenderTracker

/// 2026-01-01T00:00:00Z, where every `ManualClock()` starts.
let newYear2026 = Timestamp(secondsSince1970: 1_767_225_600)

/// A tracker on a manual clock, with shorthands for the calls farm clients make.
struct Farm {
    let clock: ManualClock
    var tracker: Tracker

    init(
        limits: TrackerLimits = TrackerLimits(),
        estimator: any TimeLeftEstimating = BuiltInTimeLeftEstimator(),
        start: Timestamp = newYear2026
    ) {
        clock = ManualClock(start)
        tracker = Tracker(clock: clock, limits: limits, estimator: estimator)
    }

    @discardableResult
    mutating func apply(_ command: TrackerCommand) -> TrackerOutcome {
        tracker.apply(command)
    }

    @discardableResult
    mutating func start(_ project: String, frames: [Int], generatesIFDs: Bool = true, job: String = "100") -> TrackerOutcome {
        apply(.startedRenderProject(project: project, frames: frames, generatesIFDs: generatesIFDs, jobID: job))
    }

    @discardableResult
    mutating func generating(_ project: String, _ frame: Int) -> TrackerOutcome {
        apply(.startedGeneratingFrameIFD(project: project, frame: frame))
    }

    @discardableResult
    mutating func ifdReady(_ project: String, _ frame: Int) -> TrackerOutcome {
        apply(.endedGeneratingFrameIFD(project: project, frame: frame))
    }

    @discardableResult
    mutating func render(_ project: String, _ frame: Int, job: String = "200", image: String = "/render/img.exr") -> TrackerOutcome {
        apply(.startedFrameRender(project: project, frame: frame, jobID: job, imagePath: image))
    }

    @discardableResult
    mutating func progress(_ project: String, _ frame: Int, _ fraction: Double) -> TrackerOutcome {
        apply(.setFrameRenderFraction(project: project, frame: frame, fraction: fraction))
    }

    @discardableResult
    mutating func download(_ project: String, _ frame: Int, _ fraction: Double) -> TrackerOutcome {
        apply(.setFrameDownloadFraction(project: project, frame: frame, fraction: fraction))
    }

    @discardableResult
    mutating func fail(_ project: String, _ frame: Int, _ message: String) -> TrackerOutcome {
        apply(.setFrameError(project: project, frame: frame, message: message))
    }

    @discardableResult
    mutating func failProject(_ project: String, _ message: String) -> TrackerOutcome {
        apply(.setProjectError(project: project, message: message))
    }

    func advance(_ seconds: Double) {
        clock.advance(bySeconds: seconds)
    }

    func project(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Project {
        try #require(tracker.project(named: name), sourceLocation: sourceLocation)
    }

    func frame(_ name: String, _ number: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> Frame {
        let project = try #require(tracker.project(named: name), sourceLocation: sourceLocation)
        return try #require(project.frame(number), sourceLocation: sourceLocation)
    }

    func status(_ name: String, _ number: Int) -> FrameStatus? {
        tracker.project(named: name)?.frame(number)?.status
    }

    func state(_ name: String) -> ProjectState? {
        tracker.project(named: name)?.state
    }

    /// The frame log as `getFrameLog` answers it: empty for an unknown project or frame.
    func log(_ name: String, _ number: Int) -> [String] {
        tracker.project(named: name)?.frame(number)?.logLines ?? []
    }

    /// The frame log lines without their `<timestamp> ` prefix.
    func logTexts(_ name: String, _ number: Int) -> [String] {
        log(name, number).map { line in
            guard line.hasPrefix("20"), let space = line.firstIndex(of: " ") else { return line }
            return String(line[line.index(after: space)...])
        }
    }
}

extension TrackerOutcome {
    var stateChanges: [TrackerEvent] {
        events.filter { if case .projectStateChanged = $0 { true } else { false } }
    }

    var statusChanges: [TrackerEvent] {
        events.filter { if case .frameStatusChanged = $0 { true } else { false } }
    }
}

extension Project {
    var frameNumbersInOrder: [Int] { framesInOrder.map(\.number) }
}
