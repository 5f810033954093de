public import RenderTracker
public import LuaHost

/// The read-only copy of a project an estimator gets, built under the tracker's lock and handed
/// to Lua after it is released. Written straight into the boundary's encoding: it is built on every
/// question, so it must cost little.
public enum ProjectSnapshot {
    /// - Parameter allFrames: put every frame in `frames` (up to `frameLimit` frames): costly, so
    ///   only for estimators that ask for it.
    public static func encoded(of project: Project, now: Timestamp, builtInSecondsLeft: Double?, allFrames: Bool, frameLimit: Int) -> LuaEncoder {
        var lua = LuaEncoder()
        lua.beginTable()
        lua.field("name", .string(project.name))
        lua.field("job_id", .string(project.jobID))
        lua.field("state", .string(project.state.rawValue))
        lua.field("frame_count", .integer(Int64(project.frameCount)))
        lua.key("counts")
        lua.beginTable()
        for status in FrameStatus.allCases {
            lua.field(status.name, .integer(Int64(project.statusCounts[status])))
        }
        lua.endTable()
        lua.field("started", .number(project.startedAt.secondsSince1970))
        lua.field("now", .number(now.secondsSince1970))
        lua.field("elapsed", .number(now.seconds(since: project.startedAt)))
        lua.field("builtin", .optional(builtInSecondsLeft))
        lua.field("rendering_peak", .integer(Int64(project.peakRendering)))
        write("recent_render_seconds", project.renderDurations.inOrder, into: &lua)
        write("recent_download_seconds", project.downloadDurations.inOrder, into: &lua)
        write("recent_completions", project.completionTimes.values.sorted(), into: &lua)
        write("frames_in_flight", project.framesInFlight, into: &lua)
        let allFrames = allFrames && project.frameCount <= frameLimit
        lua.field("all_frames", .bool(allFrames))
        if allFrames {
            write("frames", project.framesInOrder, into: &lua)
        }
        lua.endTable()
        return lua
    }

    private static func write(_ name: String, _ numbers: [Double], into lua: inout LuaEncoder) {
        lua.key(name)
        lua.beginTable()
        for number in numbers {
            lua.nextElement()
            lua.value(.number(number))
        }
        lua.endTable()
    }

    private static func write(_ name: String, _ frames: some Sequence<Frame>, into lua: inout LuaEncoder) {
        lua.key(name)
        lua.beginTable()
        for frame in frames {
            lua.nextElement()
            lua.beginTable()
            lua.field("number", .integer(Int64(frame.number)))
            lua.field("status", .string(frame.status.name))
            lua.field("fraction", .number(frame.fraction))
            lua.field("render_fraction", .number(frame.renderFraction))
            lua.field("download_fraction", .number(frame.downloadFraction))
            lua.field("job_id", .string(frame.jobID))
            lua.field("started", .optional(frame.renderStartedAt?.secondsSince1970))
            lua.field("finished", .optional(frame.finishedAt?.secondsSince1970))
            lua.field("last_progress", .optional(frame.lastProgressAt?.secondsSince1970))
            lua.field("image_path", .optional(frame.imagePath))
            lua.field("error", .optional(frame.errorMessage))
            lua.endTable()
        }
        lua.endTable()
    }
}
