/// One HQueue job: HQueue runs it on one machine, reruns it when it fails (up to the render's
/// retries) and reschedules it when its machine is lost.
final class FarmJob {
    enum Kind {
        /// The render's first job: it sends startedRenderProject, then releases the others.
        case start
        /// Writes IFDs for these frames (positions in the render's frame list), one after another.
        case ifd(positions: [Int])
        /// Renders these frames, one after another; `tile` of the render's tiles.
        case render(positions: [Int], tile: Int)
    }

    enum State: Equatable {
        /// Waiting for IFDs (or for the start job).
        case blocked
        case ready
        case running(machine: Int)
        case finished
        /// Failed more often than its retries allow.
        case failed
        /// Dropped by a re-render.
        case cancelled
    }

    let id: Int
    let render: Int
    let kind: Kind
    var state: State
    /// IFDs not yet written that this render job needs.
    var missingIFDs: Int
    var failures = 0
    /// The fraction the job last reported for the frame it is rendering, for the straight-line
    /// baseline's partial progress.
    var currentFraction = 0.0

    init(id: Int, render: Int, kind: Kind, state: State, missingIFDs: Int = 0) {
        self.id = id
        self.render = render
        self.kind = kind
        self.state = state
        self.missingIFDs = missingIFDs
    }

    var isRenderJob: Bool {
        if case .render = kind { true } else { false }
    }
}

/// One render node.
final class Machine {
    let name: String
    /// How fast it renders relative to speed 1; `Farm.setSpeed` changes it for work started later
    /// (a file server slowing down at night, a node throttled).
    var speed: Double
    /// The chance that any one attempt on this machine fails (a bad node: memory, driver, disk).
    let failureRate: Double
    /// False while it boots (cloud machines) and once it has left.
    var alive = true
    /// Leaving once its job is done (`removeMachines(drain: true)`): takes no new job.
    var leaving = false
    /// The job it runs, by index in the farm's job list.
    var job: Int?
    /// Bumped whenever the machine stops what it was doing (lost, or its job cancelled), so
    /// events scheduled for the old work find they no longer apply.
    var token = 0

    init(name: String, speed: Double, failureRate: Double = 0) {
        self.name = name
        self.speed = speed
        self.failureRate = failureRate
    }

    var isIdle: Bool { alive && !leaving && job == nil }
}
