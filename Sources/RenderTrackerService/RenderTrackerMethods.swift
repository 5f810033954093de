public import RenderTracker
public import RPC

/// The render tracker's RPC methods: the original HQueue tracker's, then this one's extensions.
/// Writes never fault on unknown projects or frames (a fault fails the farm job that sent it).
public enum RenderTrackerMethods {
    public static func all(
        tracker: SharedTracker, nameFormula: any ProjectNameFormula, timeLeft: TimeLeft = TimeLeft(), store: any TrackerStore = MemoryStore()
    ) -> [RPCMethod] {
        let project = RPCMethod.Parameter("project", "string")
        let frame = RPCMethod.Parameter("frame", "int")

        /// A write: parse the parameters into a command, apply it, answer true.
        func write(
            _ name: String, _ parameters: [RPCMethod.Parameter], help: String,
            _ command: @escaping @Sendable (RPCCall) throws(RPCFault) -> TrackerCommand
        ) -> RPCMethod {
            RPCMethod(name, parameters, returns: "boolean", help: help, changesState: true) { call throws(RPCFault) in
                tracker.apply(try command(call), call: call.recorded)
                return .bool(true)
            }
        }

        /// A read about one frame: nil (or the empty value) when the project or frame is unknown.
        func frameRead(
            _ name: String, returns: String, help: String, _ value: @escaping @Sendable (Frame?) -> RPCValue
        ) -> RPCMethod {
            RPCMethod(name, [project, frame], returns: returns, help: help) { call throws(RPCFault) in
                let name = try call.project(0)
                let number = try call.integer(1)
                return tracker.read { value($0.project(named: name)?.frame(number)) }
            }
        }

        /// A read about one project.
        func projectRead(
            _ name: String, returns: String, help: String, _ value: @escaping @Sendable (Project?, Tracker) -> RPCValue
        ) -> RPCMethod {
            RPCMethod(name, [project], returns: returns, help: help) { call throws(RPCFault) in
                let name = try call.project(0)
                return tracker.read { value($0.project(named: name), $0) }
            }
        }

        return [
            // MARK: Writes, as HQueue's farm jobs send them
            write(
                "startedRenderProject",
                [project, .init("frames", "array"), .init("generate_ifds", "boolean"), .init("job_id", "string")],
                help: "Starts (or restarts) a project: replaces any project of that name; every frame Waiting with the job id."
            ) { call throws(RPCFault) in
                .startedRenderProject(
                    project: try call.project(0), frames: try call.integers(1), generatesIFDs: try call.bool(2),
                    jobID: try call.identifier(3))
            },
            write("startedGeneratingFrameIFD", [project, frame], help: "The frame's IFD is being generated: Generating IFD.") {
                call throws(RPCFault) in
                .startedGeneratingFrameIFD(project: try call.project(0), frame: try call.integer(1))
            },
            write("endedGeneratingFrameIFD", [project, frame], help: "The frame's IFD is written: IFD Ready.") {
                call throws(RPCFault) in
                .endedGeneratingFrameIFD(project: try call.project(0), frame: try call.integer(1))
            },
            write(
                "startedFrameRender", [project, frame, .init("job_id", "string"), .init("image_path", "string")],
                help: "The frame starts rendering (again, after an error): Rendering at 0, with its job id and image path."
            ) { call throws(RPCFault) in
                .startedFrameRender(
                    project: try call.project(0), frame: try call.integer(1), jobID: try call.identifier(2),
                    imagePath: try call.string(3))
            },
            write(
                "setFrameRenderFraction", [project, frame, .init("fraction", "double")],
                help: "Render progress: Rendering at the fraction, Done at 1. Values in (1, 100] are percentages; others are clamped to [0, 1]."
            ) { call throws(RPCFault) in
                .setFrameRenderFraction(project: try call.project(0), frame: try call.integer(1), fraction: try call.number(2))
            },
            write(
                "setFrameDownloadFraction", [project, frame, .init("fraction", "double")],
                help: "Download progress of a rendered frame: Downloading at the fraction, Done at 1."
            ) { call throws(RPCFault) in
                .setFrameDownloadFraction(project: try call.project(0), frame: try call.integer(1), fraction: try call.number(2))
            },
            write("setFrameError", [project, frame, .init("message", "string")], help: "The frame failed: Error, with the message.") {
                call throws(RPCFault) in
                .setFrameError(project: try call.project(0), frame: try call.integer(1), message: try call.string(2))
            },
            write(
                "setProjectError", [project, .init("message", "string")],
                help: "The whole project failed: every frame not Done goes to Error with the message."
            ) { call throws(RPCFault) in
                .setProjectError(project: try call.project(0), message: try call.string(1))
            },
            RPCMethod("removeProject", [project], returns: "boolean", help: "Forgets a project; false if there was none.", changesState: true) {
                call throws(RPCFault) in
                .bool(tracker.apply(.removeProject(project: try call.project(0)), call: call.recorded).removedProject)
            },
            RPCMethod(
                "incrementAndGetLastEventId", returns: "int", help: "Takes and returns a new id from the global event counter.",
                changesState: true
            ) { call in
                .int(tracker.apply(.incrementAndGetLastEventID, call: call.recorded).lastEventID)
            },

            // MARK: Reads, as render monitors send them
            RPCMethod("isRunning", returns: "boolean", help: "True: this tracker is up (the probe clients use).") { _ in
                .bool(true)
            },
            RPCMethod("getAllProjects", returns: "array", help: "Every project name, sorted.") { _ in
                .array(tracker.read { $0.projectNames }.map(RPCValue.string))
            },
            projectRead(
                "getAllFramesInfo", returns: "array",
                help: "[[frame, status_index, fraction], ...] sorted by frame; empty for an unknown project."
            ) { project, _ in
                .array(project?.snapshotsInOrder.map(wire) ?? [])
            },
            RPCMethod(
                "getChangedFrames", [project, .init("since", "int")], returns: "struct",
                help: "{event_id, frames: [[frame, status, fraction], ...], reset}: frames changed after the cursor `since` (0 for all). "
                    + "reset is true when the answer is the whole project and the caller must drop what it had."
            ) { call throws(RPCFault) in
                let name = try call.project(0)
                let since = try call.integer(1)
                // A cursor from another daemon on a shared store, ahead of this one: catch up first.
                tracker.catchUp(toEventID: since)
                return tracker.read { wire($0.changedFrames(in: name, since: since)) }
            },
            RPCMethod(
                "getEstimatedRenderSecondsLeft", [project], returns: "double",
                help: "Seconds until the project is likely done; nil while there is no evidence (or for an unknown project)."
            ) { call throws(RPCFault) in
                timeLeft.secondsLeft(for: try call.project(0), in: tracker).map(RPCValue.double) ?? .null
            },
            frameRead("getFrameJobID", returns: "string", help: "The job id that last worked on the frame; nil if unknown.") { frame in
                frame.map { .string($0.jobID) } ?? .null
            },
            frameRead("getImagePath", returns: "string", help: "The frame's output image path; nil if not known.") { frame in
                frame?.imagePath.map(RPCValue.string) ?? .null
            },
            frameRead(
                "getFrameLog", returns: "array",
                help: "The frame's log, oldest first: \"<ISO-8601 time> <what happened>\" lines; empty if unknown."
            ) { frame in
                .array((frame?.logLines ?? []).map(RPCValue.string))
            },
            RPCMethod(
                "isProjectDone", [project], returns: "boolean",
                help: "True when every frame is Done. Fault 1 (no such project) for an unknown project."
            ) { call throws(RPCFault) in
                let name = try call.project(0)
                guard let state = tracker.read({ $0.project(named: name)?.state }) else { throw RPCFault.noSuchProject(name) }
                return .bool(state == .done)
            },
            projectRead("isProjectRunning", returns: "boolean", help: "True while the project is neither done nor failed.") { project, _ in
                .bool(project?.state == .running)
            },
            projectRead("doesProjectGenerateIFDs", returns: "boolean", help: "Whether the project was started with IFD generation.") {
                project, _ in
                .bool(project?.generatesIFDs ?? false)
            },
            RPCMethod(
                "suggestInactiveProjectName", [.init("name", "string")], returns: "string",
                help: "The name itself if no running project has it, else the first free of \"name (2)\", \"name (3)\", ..."
            ) { call throws(RPCFault) in
                let name = try call.project(0)
                return .string(tracker.read { $0.suggestInactiveProjectName(name) })
            },
            RPCMethod(
                "applyProjectNameFormula", [.init("user", "string"), .init("local_hip_path", "string")], returns: "string",
                help: "The server's project-name formula (built in: <user>/<hip file name without extension>). Not unique: "
                    + "pass the result to suggestInactiveProjectName."
            ) { call throws(RPCFault) in
                .string(nameFormula.projectName(user: try call.string(0), localHipPath: try call.string(1)))
            },

            // MARK: Extensions
            RPCMethod("getFrameStatusNames", returns: "array", help: "Status names by wire index: [\"Waiting\", ..., \"Error\"].") { _ in
                .array(FrameStatus.allCases.map { .string($0.name) })
            },
            RPCMethod(
                "getProjectSummary", [project], returns: "struct",
                help: "One project at a glance: job id, IFDs, frame count, counts per status, state, start, elapsed, estimate, "
                    + "last event id. nil for an unknown project."
            ) { call throws(RPCFault) in
                timeLeft.summary(of: try call.project(0), in: tracker).map(wire) ?? .null
            },
            frameRead(
                "getFrameCause", returns: "string",
                help: "The cause of the frame's error in one line (docs/protocol.md, The cause of a failure); nil without an error."
            ) { frame in
                frame?.failureCause.map(RPCValue.string) ?? .null
            },
            projectRead(
                "getFailedFrames", returns: "array",
                help: "The frames in Error by number, at most \(maxFailedFrames): [[frame, cause], ...]; empty for an unknown project."
            ) { project, _ in
                .array((project?.failures(limit: maxFailedFrames) ?? []).map { .array([.int($0.frame), .string($0.cause)]) })
            },
            RPCMethod(
                "getRenderHistory", [project], returns: "array",
                help: "The project's renders, newest first: the live one (ending \"live\"), then past ones (replaced, removed, "
                    + "evicted, imported). Each: render_id, project, job_id, started, ended, state, ending, frames, done, errors, "
                    + "render_seconds (machine time), wall_seconds."
            ) { call throws(RPCFault) in
                let name = try call.project(0)
                let live = tracker.read { $0.project(named: name).map { PastRender($0, ending: .live) } }
                let past = try RenderHistory.stored { () throws(StoreError) in try store.history(of: name, limit: RenderHistory.maxRenders) }
                return .array(([live].compactMap { $0 } + past.filter { $0.renderID != live?.renderID }).map(RenderHistory.wire))
            },
            RPCMethod(
                "getRenderReport", [.init("render_id", "int")], returns: "struct",
                help: "One render (an id from getRenderHistory, live or past): its summary, every frame (status, render seconds, "
                    + "attempts, machine, error) and figures (frame-time percentiles, slowest frames, machine time, retries, "
                    + "failures by machine, completions and concurrency over time). nil for an unknown id."
            ) { call throws(RPCFault) in
                let id = try call.integer(0)
                let live = tracker.read { tracker in
                    tracker.allProjects.first { $0.createdEventID == id }.map { RenderReport($0, ending: .live) }
                }
                if let live { return RenderHistory.wire(live) }
                return try RenderHistory.stored { () throws(StoreError) in try store.report(renderID: id) }.map(RenderHistory.wire) ?? .null
            },
        ]
    }

    /// Failed frames one `getFailedFrames` answer lists at most: 1,000 causes of at most 300
    /// bytes are at most 300 KB; a list longer than a screen is for `getRenderReport`.
    public static let maxFailedFrames = 1_000

    /// `[frame, status_index, fraction]`
    static func wire(_ frame: FrameSnapshot) -> RPCValue {
        .array([.int(frame.number), .int(frame.status.rawValue), .double(frame.fraction)])
    }

    /// The `getChangedFrames` answer, also each event-stream batch's `changes` (`EventStream`).
    static func wire(_ changes: ChangedFrames) -> RPCValue {
        .structure([
            "event_id": .int(changes.eventID),
            "frames": .array(changes.frames.map(wire)),
            "reset": .bool(changes.reset),
        ])
    }

    /// The `getProjectSummary` answer, also each entry of an event-stream batch's `projects`.
    static func wire(_ summary: ProjectSummary) -> RPCValue {
        var counts: [String: RPCValue] = [:]
        for status in FrameStatus.allCases {
            counts[status.name] = .int(summary.statusCounts[status])
        }
        return .structure([
            "project": .string(summary.name),
            "job_id": .string(summary.jobID),
            "generate_ifds": .bool(summary.generatesIFDs),
            "frame_count": .int(summary.frameCount),
            "status_counts": .structure(counts),
            "state": .string(summary.state.rawValue),
            "started": .string(summary.startedAt.iso8601),
            "elapsed_seconds": .double(summary.elapsedSeconds),
            "seconds_left": summary.secondsLeft.map(RPCValue.double) ?? .null,
            "seconds_left_low": summary.secondsLeftLow.map(RPCValue.double) ?? .null,
            "seconds_left_high": summary.secondsLeftHigh.map(RPCValue.double) ?? .null,
            "learned_from": summary.learnedFrom.map(RPCValue.string) ?? .null,
            "last_event_id": .int(summary.lastEventID),
            "created_implicitly": .bool(summary.createdImplicitly),
            "last_project_error": summary.lastProjectError.map(RPCValue.string) ?? .null,
            "first_error": summary.firstError.map { .structure(["frame": .int($0.frame), "cause": .string($0.cause)]) } ?? .null,
        ])
    }
}
