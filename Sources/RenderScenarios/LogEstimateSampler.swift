import FarmSimulation
import RenderLog
import RenderTracker
import RenderTrackerService
import RPC

/// The time-left estimates of the renders in a replayed render log, for `scenario eta-report` on
/// logs and `project:estimate_error` in scripts: at each milestone of frames done, the tracker's
/// estimate (built-in or a plugin's) and the two peer baselines as the log shows them, judged
/// against the render's own truth, the moment its last frame finished. The same `EstimateSample`
/// and `EstimateErrors` as the simulated farm's, so the report treats both alike.
///
/// When to sample: a milestone is reached by a call that finishes a frame. The farm asks for the
/// estimate once the freed machine has picked its next job; in a log that is the next call at the
/// same moment that does not itself finish a frame (the next job's `startedFrameRender`), so the
/// sample is taken right after it. When no such call follows at that moment (the last wave), the
/// sample is taken at the reaching call's moment, before the first call of a later one.
///
/// The baselines, from what a log shows: **straight line** (Afanasy) `elapsed * 100 / percent -
/// elapsed`, `elapsed` from the render's first `startedFrameRender` (its first call when the
/// route sends none) and `percent` counting the fractions of frames Rendering; **average frame**
/// (Royal Render) the mean time of finished frames (from their last `startedFrameRender` to
/// their last fraction) times the frames not Done, over the machines (clients) rendering one.
final class LogEstimateSampler {
    /// One render of a project: from its `startedRenderProject` (or first call) to the next one.
    final class Render {
        let project: String
        /// Virtual seconds of the render's first call and first frame start.
        let firstCall: Double
        var firstFrameStart: Double?
        var samples: [Int: EstimateSample] = [:]
        /// The moment every frame was last seen Done; nil while frames are left.
        var finishedAt: Double?
        /// Frames being rendered: since when, and on which client.
        var inFlight: [Int: (started: Double, client: String?)] = [:]
        var finishedFrameSeconds = 0.0
        var finishedFrames = 0

        init(project: String, at seconds: Double) {
            self.project = project
            firstCall = seconds
        }

        func errors(at milestone: Int) -> EstimateErrors? {
            guard let finishedAt, let sample = samples[milestone] else { return nil }
            return sample.errors(finishedAt: finishedAt)
        }

        var outcome: RenderOutcome {
            RenderOutcome(project: project, finished: finishedAt != nil, errors: Farm.milestones.compactMap(errors(at:)))
        }
    }

    /// Milestones reached and not yet sampled: taken after the next same-moment call that does not
    /// finish a frame, or before the first call of a later moment.
    private struct Pending {
        var render: Render
        var milestones: [Int]
        var time: Double
    }

    private let tracker: ScenarioTracker
    private var core: TrackerCore { tracker.core }
    /// The render each project name stands for now.
    private var current: [String: Render] = [:]
    /// Every render, in the order they began; one started again before it finished is dropped,
    /// as the farm drops a render it reschedules.
    private(set) var renders: [Render] = []
    private var pending: [Pending] = []

    init(tracker: ScenarioTracker) {
        self.tracker = tracker
    }

    /// The render a project name stands for now.
    func render(of project: String) -> Render? { current[project] }

    /// Before a call at `seconds`: a later moment takes the samples still waiting.
    func willSend(at seconds: Double) {
        if let first = pending.first, seconds > first.time { takeSamples() }
    }

    /// After a call the tracker accepted.
    func didSend(_ call: RecordedCall, at seconds: Double) {
        let finishes = Self.finishesFrame(call)
        // After the call's own bookkeeping, so the machine that took the next job counts as working.
        let resolves = !pending.isEmpty && !finishes
        defer { if resolves { takeSamples() } }
        guard case .string(let project)? = call.params.first else { return }
        var frame: Int?
        if call.params.count > 1, case .int(let number) = call.params[1] { frame = number }
        switch call.method {
        case "startedRenderProject":
            if let superseded = current[project], superseded.finishedAt == nil {
                renders.removeAll { $0 === superseded }
                pending.removeAll { $0.render === superseded }
            }
            begin(project, at: seconds)
        case "removeProject":
            current[project] = nil
        case "startedFrameRender":
            guard let frame else { return }
            let render = current[project] ?? begin(project, at: seconds)
            render.firstFrameStart = render.firstFrameStart ?? seconds
            render.inFlight[frame] = (seconds, call.client)
            render.finishedAt = nil  // a frame rendering again: not finished until it is
        case "setFrameError":
            guard let frame else { return }
            let render = current[project] ?? begin(project, at: seconds)
            render.inFlight[frame] = nil
            render.finishedAt = nil
        case "setFrameRenderFraction", "setFrameDownloadFraction":
            guard finishes, let frame else { return }
            let render = current[project] ?? begin(project, at: seconds)
            if let flight = render.inFlight.removeValue(forKey: frame) {
                render.finishedFrameSeconds += seconds - flight.started
                render.finishedFrames += 1
            }
            reached(render, at: seconds)
        default:
            return
        }
    }

    /// The end of the log: samples still waiting are taken now.
    func finish() {
        takeSamples()
    }

    @discardableResult
    private func begin(_ project: String, at seconds: Double) -> Render {
        let render = Render(project: project, at: seconds)
        current[project] = render
        renders.append(render)
        return render
    }

    /// A frame may have finished: notes the truth, and the milestones its frames done reached.
    private func reached(_ render: Render, at seconds: Double) {
        guard let (done, total) = progress(of: render.project), total > 0 else { return }
        render.finishedAt = done == total ? seconds : nil
        let waiting = pending.first { $0.render === render }?.milestones ?? []
        let milestones = Farm.milestones.filter { render.samples[$0] == nil && !waiting.contains($0) && done * 100 >= $0 * total }
        guard !milestones.isEmpty else { return }
        if let index = pending.firstIndex(where: { $0.render === render }) {
            pending[index].milestones += milestones
        } else {
            pending.append(Pending(render: render, milestones: milestones, time: seconds))
        }
    }

    private func takeSamples() {
        let waiting = pending
        pending = []
        for entry in waiting {
            var sample = sample(entry.render, at: entry.time)
            for milestone in entry.milestones {
                sample.milestone = milestone
                entry.render.samples[milestone] = sample
            }
        }
    }

    /// The tracker's estimate, asked as a monitor asks, and the two baselines from the log's view.
    private func sample(_ render: Render, at time: Double) -> EstimateSample {
        // The farm's timeline may have moved on to the next call's moment already: ask at the sample's.
        tracker.clock.set(tracker.start.advanced(bySeconds: time))
        let tracker: Double? = switch core.dispatcher.call("getEstimatedRenderSecondsLeft", [.string(render.project)]) {
        case .success(.double(let seconds)): seconds
        case .success(.int(let seconds)): Double(seconds)
        default: nil
        }
        let view = core.tracker.read { tracker in
            tracker.project(named: render.project).map { project in
                (done: project.statusCounts[.done], total: project.frameCount,
                 partial: project.framesInFlight.filter { $0.status == .rendering }.reduce(0.0) { $0 + $1.renderFraction })
            }
        }
        guard let view, view.total > 0 else {
            return EstimateSample(milestone: 0, time: time, framesDone: 0, tracker: tracker, straightLine: nil, averageFrame: nil)
        }
        let elapsed = time - (render.firstFrameStart ?? render.firstCall)
        let percent = 100 * (Double(view.done) + view.partial) / Double(view.total)
        let straightLine = percent > 0 && elapsed > 0 ? elapsed * 100 / percent - elapsed : nil
        var machines = Set<String>()
        var unnamed = 0
        for flight in render.inFlight.values {
            if let client = flight.client { machines.insert(client) } else { unnamed += 1 }
        }
        let working = machines.count + unnamed
        let averageFrame: Double? = render.finishedFrames == 0 || working == 0
            ? nil
            : render.finishedFrameSeconds / Double(render.finishedFrames) * Double(view.total - view.done) / Double(working)
        return EstimateSample(
            milestone: 0, time: time, framesDone: view.done, tracker: tracker, straightLine: straightLine, averageFrame: averageFrame)
    }

    /// Frames Done and frames in all of a project, as the tracker has them.
    func progress(of project: String) -> (done: Int, total: Int)? {
        core.tracker.read { tracker in tracker.project(named: project).map { ($0.statusCounts[.done], $0.frameCount) } }
    }

    /// A fraction call that reports a frame finished (1.0, or 100.0 from a hip render).
    private static func finishesFrame(_ call: RecordedCall) -> Bool {
        guard call.method == "setFrameRenderFraction" || call.method == "setFrameDownloadFraction", call.params.count == 3,
            let reported = call.params[2].number, let fraction = Fraction.normalized(reported)
        else { return false }
        return fraction >= 1
    }
}
