import RenderTrackerClient
import RenderTracker
import RenderTrackerService
import RPC
public import RenderLog

/// Replays a render log: reads it line by line, sends each call to the target at its recorded
/// moment (scaled by the speed), counts faults without stopping, follows each project's progress
/// to note the estimate at each quarter, and reads the end state for the summary.
public enum Replay {
    /// Into a fresh in-process tracker, in virtual time.
    /// - Parameter warn: told of each skipped line (`--skip-bad`, or a last line cut short).
    /// - Throws: `RenderLogError` for an unreadable log, or a damaged line without `skipBad`;
    ///   `PluginReloadError` when the plugins do not load.
    public static func inProcess(
        path: String, options: ReplayOptions = .init(), warn: (RenderLogError) -> Void = { _ in }
    ) async throws -> ReplaySummary {
        try await run(path: path, into: InProcessTarget(pluginFolder: options.pluginFolder), options: options, warn: warn)
    }

    /// Into a running tracker at `url`, over XML-RPC. Safe by default: refused when the tracker
    /// already has a project the log names (unless `options.replace`), and stopped after the first
    /// call when the tracker turns out to record to this very log.
    /// - Throws: as `inProcess`; `TrackerClientError` when the tracker cannot be reached;
    ///   `ReplayRefusal`.
    public static func live(
        path: String, url: String, options: ReplayOptions = .init(), warn: (RenderLogError) -> Void = { _ in }
    ) async throws -> ReplaySummary {
        let target = try LiveTarget(url: url, fast: options.fast, replaying: path)
        if !options.replace {
            let named = try projectsNamed(in: path)
            guard case .success(.array(let names)) = try await target.read("getAllProjects", []) else {
                throw TrackerClientError(.malformed, "\(url) did not answer getAllProjects with a list")
            }
            let existing = names.compactMap { if case .string(let name) = $0, named.contains(ProjectKey(name)) { name } else { nil } }
            guard existing.isEmpty else { throw ReplayRefusal.projectsExist(url: url, projects: existing.sorted()) }
        }
        return try await run(path: path, into: target, options: options, warn: warn)
    }

    /// Every project the log's calls name (their first parameter); damaged lines are skipped here
    /// and reported by the replay itself.
    static func projectsNamed(in path: String) throws -> Set<ProjectKey> {
        let reader = try RenderLogReader(path: path)
        var named: Set<ProjectKey> = []
        while let item = try reader.next() {
            if case .entry(.call(let call, _), _) = item, case .string(let project)? = call.params.first {
                named.insert(ProjectKey(project))
            }
        }
        return named
    }

    /// What is followed of one project while it replays.
    private struct Tracking {
        var quarters: [ReplaySummary.Quarter] = []
        var frameErrors = 0
    }

    /// Into any target; the target is left as the replay left it, for callers that look further.
    public static func run<Target: ReplayTarget>(
        path: String, into target: Target, options: ReplayOptions = .init(), warn: (RenderLogError) -> Void = { _ in }
    ) async throws -> ReplaySummary {
        let reader = try RenderLogReader(path: path)
        let speed = options.fast ? 1 : options.speed
        var sawCall = false
        var first: Timestamp?
        var last: Timestamp?
        var tracking: [ProjectKey: Tracking] = [:]
        var named: Set<ProjectKey> = []
        var summary = ReplaySummary(target: "")
        let began = ContinuousClock.now
        while let item = try reader.next() {
            switch item {
            case .bad(let error, let truncated):
                // A cut-short last line is what a killed daemon leaves: never fatal.
                guard truncated || options.skipBad else { throw error }
                if truncated { summary.truncatedLastLine = true } else { summary.badLinesSkipped += 1 }
                warn(error)
            case .entry(.header, _):
                if sawCall {
                    summary.restarts += 1
                    try await target.restart()
                    tracking = [:]
                }
            case .entry(.call(let call, let time), let line):
                let start = first ?? time
                first = start
                last = max(last ?? time, time)
                sawCall = true
                if case .string(let project)? = call.params.first {
                    named.insert(ProjectKey(project))
                }
                let result = try await target.send(call, time: time, offset: time.seconds(since: start) / speed)
                summary.callsReplayed += 1
                switch result {
                case .failure(let fault):
                    summary.faults += 1
                    if summary.firstFaults.count < options.faultsShown {
                        summary.firstFaults.append("\(line): \(call.method): \(fault.message)")
                    }
                case .success:
                    try await follow(call, in: &tracking, target: target)
                }
            }
        }
        summary.wallSeconds = (ContinuousClock.now - began) / .seconds(1)
        summary.target = target.name
        if let first, let last {
            summary.recordedSpanSeconds = last.seconds(since: first)
            summary.replayedSpanSeconds = summary.recordedSpanSeconds / speed
        }
        summary.notifications = await target.finish()
        summary.projects = try await endState(of: target, tracking: tracking, named: named)
        return summary
    }

    /// Notes what a successful call means for its project's progress.
    private static func follow<Target: ReplayTarget>(_ call: RecordedCall, in tracking: inout [ProjectKey: Tracking], target: Target) async throws {
        guard case .string(let project)? = call.params.first else { return }
        let key = ProjectKey(project)
        switch call.method {
        case "startedRenderProject":
            tracking[key] = Tracking()  // a new render of the project: its quarters start again
        case "removeProject":
            tracking[key] = nil
        case "setFrameError":
            tracking[key, default: Tracking()].frameErrors += 1
        case "setFrameRenderFraction", "setFrameDownloadFraction":
            guard call.params.count == 3, let reported = call.params[2].number, let fraction = Fraction.normalized(reported), fraction >= 1
            else { return }
            var state = tracking[key] ?? Tracking()
            defer { tracking[key] = state }
            guard state.quarters.count < 3, let (done, total) = try await target.progress(of: project), total > 0 else { return }
            while state.quarters.count < 3, done * 4 >= (state.quarters.count + 1) * total {
                guard case .success(let answer) = try await target.read("getProjectSummary", [.string(project)]),
                    let status = try? ProjectReport(answer)
                else { return }
                state.quarters.append(.init(
                    percent: 25 * (state.quarters.count + 1), elapsedSeconds: status.elapsedSeconds, estimateSeconds: status.secondsLeft))
            }
        default:
            return
        }
    }

    /// Every project of the log that the target holds at the end (a live tracker holds others
    /// too, which are not the replay's to report), with its quarters and, once done, what the
    /// estimates turned out to be worth.
    private static func endState<Target: ReplayTarget>(
        of target: Target, tracking: [ProjectKey: Tracking], named: Set<ProjectKey>
    ) async throws -> [ReplaySummary.Project] {
        guard case .success(.array(let names)) = try await target.read("getAllProjects", []) else { return [] }
        var projects: [ReplaySummary.Project] = []
        for case .string(let name) in names where named.contains(ProjectKey(name)) {
            guard case .success(let answer) = try await target.read("getProjectSummary", [.string(name)]),
                let status = try? ProjectReport(answer)
            else { continue }
            let followed = tracking[ProjectKey(name)]
            var quarters = followed?.quarters ?? []
            if status.state == .done {
                for index in quarters.indices {
                    quarters[index].actualSeconds = status.elapsedSeconds - quarters[index].elapsedSeconds
                }
            }
            projects.append(.init(status: status, quarters: quarters, frameErrorsReported: followed?.frameErrors ?? 0))
        }
        return projects
    }
}

