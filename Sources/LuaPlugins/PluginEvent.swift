public import RenderTracker
public import LuaHost

/// An event as hooks receive it: its name and one table of what is known.
public struct PluginEvent: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case projectStarted = "project_started"
        case frameStarted = "frame_started"
        case frameDone = "frame_done"
        case frameError = "frame_error"
        case projectDone = "project_done"
        case projectFailed = "project_failed"
        case projectRemoved = "project_removed"
        case frameStalled = "frame_stalled"
    }

    public var name: Name
    public var payload: LuaValue

    public init(name: Name, payload: LuaValue) {
        self.name = name
        self.payload = payload
    }

    /// The hook events a tracker event stands for, read from the state just after it; only those
    /// in `wanted` are built.
    public static func events(for event: TrackerEvent, in tracker: Tracker, wanted: Set<Name>) -> [PluginEvent] {
        let now = tracker.clock.now()
        switch event {
        case let .projectStarted(project, jobID, frameCount, replaced):
            guard wanted.contains(.projectStarted) else { return [] }
            return [PluginEvent(name: .projectStarted, payload: .record([
                "event": .string(Name.projectStarted.rawValue), "project": .string(project), "job_id": .string(jobID),
                "frame_count": .integer(Int64(frameCount)), "replaced": .bool(replaced), "time": .number(now.secondsSince1970),
            ]))]
        case let .frameStatusChanged(project, frame, from, to, jobID, message):
            let name: Name
            switch to {
            case .rendering: name = .frameStarted
            case .done: name = .frameDone
            case .error: name = .frameError
            default: return []
            }
            guard wanted.contains(name) else { return [] }
            let state = tracker.project(named: project)?.frame(frame)
            return [PluginEvent(name: name, payload: .record([
                "event": .string(name.rawValue), "project": .string(project), "frame": .integer(Int64(frame)),
                "status_before": .string(from.name), "status_after": .string(to.name), "job_id": .string(jobID),
                "message": .optional(message), "cause": .optional(message.flatMap(FailureCause.of)),
                "time": .number(now.secondsSince1970),
                "started": .optional(state?.renderStartedAt?.secondsSince1970), "finished": .optional(state?.finishedAt?.secondsSince1970),
                "image_path": .optional(state?.imagePath),
            ]))]
        case let .projectStateChanged(project, _, to):
            let name: Name
            switch to {
            case .done: name = .projectDone
            case .failed: name = .projectFailed
            case .running: return []
            }
            guard wanted.contains(name), let state = tracker.project(named: project) else { return [] }
            return [PluginEvent(name: name, payload: projectPayload(name, state, now: now))]
        case let .projectRemoved(project):
            guard wanted.contains(.projectRemoved) else { return [] }
            return [PluginEvent(name: .projectRemoved, payload: .record([
                "event": .string(Name.projectRemoved.rawValue), "project": .string(project), "time": .number(now.secondsSince1970),
            ]))]
        // An eviction is memory housekeeping, not a change to the render: the project stays in the history.
        case .projectCreatedImplicitly, .frameAddedImplicitly, .projectError, .projectEvicted:
            return []
        }
    }

    /// A finished project: counts, times and the first error, what a notification needs.
    static func projectPayload(_ name: Name, _ project: Project, now: Timestamp) -> LuaValue {
        var counts: [LuaValue: LuaValue] = [:]
        for status in FrameStatus.allCases {
            counts[.string(status.name)] = .integer(Int64(project.statusCounts[status]))
        }
        let firstErrorFrame = project.longestStandingError
        let firstError = firstErrorFrame?.errorMessage ?? project.lastProjectError
        return .record([
            "event": .string(name.rawValue), "project": .string(project.name), "job_id": .string(project.jobID),
            "state": .string(project.state.rawValue), "frame_count": .integer(Int64(project.frameCount)), "counts": .table(counts),
            "started": .number(project.startedAt.secondsSince1970), "time": .number(now.secondsSince1970),
            "elapsed": .number(now.seconds(since: project.startedAt)),
            "first_error": .optional(firstError), "cause": .optional(firstError.flatMap(FailureCause.of)),
            "first_error_frame": firstErrorFrame.map { .integer(Int64($0.number)) } ?? .null,
            "status_before": .string(ProjectState.running.rawValue), "status_after": .string(project.state.rawValue),
        ])
    }

    /// A Rendering frame that has reported nothing for `stalledSeconds`.
    static func frameStalled(project: String, frame: Frame, stalledSeconds: Double, now: Timestamp) -> PluginEvent {
        PluginEvent(name: .frameStalled, payload: .record([
            "event": .string(Name.frameStalled.rawValue), "project": .string(project), "frame": .integer(Int64(frame.number)),
            "status_before": .string(frame.status.name), "status_after": .string(frame.status.name), "job_id": .string(frame.jobID),
            "fraction": .number(frame.fraction), "time": .number(now.secondsSince1970),
            "started": .optional(frame.renderStartedAt?.secondsSince1970), "last_progress": .optional(frame.lastProgressAt?.secondsSince1970),
            "stalled_seconds": .number(stalledSeconds),
        ]))
    }
}
