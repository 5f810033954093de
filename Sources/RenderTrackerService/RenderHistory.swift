public import RenderTracker
public import RPC

/// The wire forms of past renders (`getRenderHistory`, `getRenderReport`), shared by the RPC
/// methods and whatever else shows them.
public enum RenderHistory {
    /// Renders one `getRenderHistory` answer lists at most.
    public static let maxRenders = 500
    /// The tracker's fault code for a store that cannot be read (reads of the history only: writes
    /// never fault on the store).
    public static let storeUnavailableCode = 2

    /// Runs a store read, turning a store failure into the fault that names it.
    static func stored<Value>(_ read: () throws(StoreError) -> Value) throws(RPCFault) -> Value {
        do {
            return try read()
        } catch {
            throw RPCFault(code: storeUnavailableCode, message: "the render history cannot be read: \(error)")
        }
    }

    public static func wire(_ render: PastRender) -> RPCValue {
        .structure([
            "render_id": .int(render.renderID),
            "project": .string(render.project),
            "job_id": .string(render.jobID),
            "started": .string(render.startedAt.iso8601),
            "ended": .string(render.endedAt.iso8601),
            "state": .string(render.state.rawValue),
            "ending": .string(render.ending.rawValue),
            "frames": .int(render.frames),
            "done": .int(render.done),
            "errors": .int(render.errors),
            "render_seconds": .double(render.renderSeconds),
            "wall_seconds": .double(render.wallSeconds),
        ])
    }

    public static func wire(_ frame: FrameResult) -> RPCValue {
        .structure([
            "frame": .int(frame.number),
            "status": .string(frame.status.name),
            "render_seconds": frame.renderSeconds.map(RPCValue.double) ?? .null,
            "attempts": .int(frame.attempts),
            "machine_seconds": .double(frame.machineSeconds),
            "machine": frame.machine.map(RPCValue.string) ?? .null,
            "error": frame.error.map(RPCValue.string) ?? .null,
            "cause": frame.cause.map(RPCValue.string) ?? .null,
            "started": frame.renderStartedAt.map { .string($0.iso8601) } ?? .null,
            "finished": frame.finishedAt.map { .string($0.iso8601) } ?? .null,
            "failed_on": .array(frame.failedOn.map(RPCValue.string)),
        ])
    }

    public static func wire(_ report: RenderReport) -> RPCValue {
        var percentiles: [String: RPCValue] = [:]
        for (name, fraction) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)] {
            percentiles[name] = report.frameTime(percentile: fraction).map(RPCValue.double) ?? .null
        }
        let times = report.frameTimes
        percentiles["mean"] = times.isEmpty ? .null : .double(times.reduce(0, +) / Double(times.count))
        return .structure([
            "render": wire(report.render),
            "frames": .array(report.frames.map(wire)),
            "frame_seconds": .structure(percentiles),
            "slowest_frames": .array(report.slowestFrames().map(wire)),
            "machine_seconds": .double(report.render.renderSeconds),
            "retries": .int(report.retries),
            "failures_by_machine": .array(report.failuresByMachine.map {
                .structure(["machine": .string($0.machine), "failures": .int($0.failures)])
            }),
            "machines": .array(report.frameTimesByMachine.map {
                .structure(["machine": .string($0.machine), "frames": .int($0.frames), "mean_seconds": .double($0.meanSeconds)])
            }),
            "timeline": .array(report.timeline().map {
                .structure(["start": .string($0.start.iso8601), "completions": .int($0.completions), "rendering": .int($0.rendering)])
            }),
        ])
    }
}
