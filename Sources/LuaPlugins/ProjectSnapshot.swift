public import RenderTracker

/// The read-only copy of a project an estimator gets, built under the tracker's lock and handed
/// to Lua after it is released.
public enum ProjectSnapshot {
    /// - Parameter allFrames: put every frame in `frames` (up to `frameLimit` frames): costly, so
    ///   only for estimators that ask for it.
    public static func luaValue(of project: Project, now: Timestamp, builtInSecondsLeft: Double?, allFrames: Bool, frameLimit: Int) -> LuaValue {
        var counts: [LuaValue: LuaValue] = [:]
        for status in FrameStatus.allCases {
            counts[.string(status.name)] = .integer(Int64(project.statusCounts[status]))
        }
        let allFrames = allFrames && project.frameCount <= frameLimit
        return .record([
            "name": .string(project.name),
            "job_id": .string(project.jobID),
            "state": .string(project.state.rawValue),
            "frame_count": .integer(Int64(project.frameCount)),
            "counts": .table(counts),
            "started": .number(project.startedAt.secondsSince1970),
            "now": .number(now.secondsSince1970),
            "elapsed": .number(now.seconds(since: project.startedAt)),
            "builtin": .optional(builtInSecondsLeft),
            "rendering_peak": .integer(Int64(project.peakRendering)),
            "recent_render_seconds": .array(project.renderDurations.values.map(LuaValue.number)),
            "recent_download_seconds": .array(project.downloadDurations.values.map(LuaValue.number)),
            "recent_completions": .array(project.completionTimes.values.sorted().map(LuaValue.number)),
            "frames_in_flight": .array(project.framesInFlight.map { luaValue(of: $0) }),
            "all_frames": .bool(allFrames),
            "frames": allFrames ? .array(project.framesInOrder.map { luaValue(of: $0) }) : .null,
        ])
    }

    static func luaValue(of frame: Frame) -> LuaValue {
        .record([
            "number": .integer(Int64(frame.number)),
            "status": .string(frame.status.name),
            "fraction": .number(frame.fraction),
            "render_fraction": .number(frame.renderFraction),
            "download_fraction": .number(frame.downloadFraction),
            "job_id": .string(frame.jobID),
            "started": .optional(frame.renderStartedAt?.secondsSince1970),
            "finished": .optional(frame.finishedAt?.secondsSince1970),
            "last_progress": .optional(frame.lastProgressAt?.secondsSince1970),
            "image_path": .optional(frame.imagePath),
            "error": .optional(frame.errorMessage),
        ])
    }
}
