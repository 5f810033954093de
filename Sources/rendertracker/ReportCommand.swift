import ArgumentParser
import RenderTracker
import RenderTrackerClient
import RPC

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a render's report: frame times, slowest frames, machine time, retries, failures by machine.",
        discussion: """
            The project's newest render (live or past), or the one --render names (an id from `rendertracker \
            history`). --json prints the tracker's getRenderReport answer as it is, for scripts. Exit codes: 0 \
            printed, 1 no such project or render, 2 no usable answer from the tracker.
            """
    )

    @OptionGroup var tracker: TrackerURLOption

    @Argument(help: "A project name, e.g. bob/shot_v003.")
    var project: String

    @Option(help: "A render id from `rendertracker history PROJECT`; default: the newest.")
    var render: Int?

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @Flag(help: "Also list every frame.")
    var frames = false

    func run() async throws {
        try await reportingTrackerErrors("report") {
            let client = try tracker.client
            let renders = try PastRender.list(answer: try await client.call("getRenderHistory", [.string(project)]))
            guard let id = render ?? renders.first?.renderID else { throw NoSuchProject(project: project) }
            guard renders.contains(where: { $0.renderID == id }) else {
                printToStandardError("rendertracker report: \(project) has no render \(id) (rendertracker history \(project) lists them)")
                throw ExitCode(1)
            }
            let answer = try await client.call("getRenderReport", [.int(id)])
            if json {
                print(JSONWriter.string(answer))
                return
            }
            guard let report = try RenderReport(answer: answer) else { throw NoSuchProject(project: project) }
            for line in Self.lines(report, frames: frames) {
                print(line)
            }
        }
    }

    static func lines(_ report: RenderReport, frames listFrames: Bool) -> [String] {
        let render = report.render
        let duration = MonitorFormatting.duration
        var lines = [
            "\(render.project)  render \(render.renderID)  \(render.state.rawValue) (\(render.ending.rawValue))  job \(render.jobID)",
            "started \(MonitorFormatting.clockTime(render.startedAt)), last change \(MonitorFormatting.clockTime(render.endedAt)), wall \(duration(render.wallSeconds))",
            "frames \(render.done)/\(render.frames) done, \(render.errors) in error, \(report.retries) retries, "
                + "machine time \(duration(render.renderSeconds))",
        ]
        if let median = report.frameTime(percentile: 0.5), let p90 = report.frameTime(percentile: 0.9),
            let slowest = report.frameTime(percentile: 1)
        {
            lines.append("frame time: median \(duration(median)), 90% \(duration(p90)), slowest \(duration(slowest)) "
                + "(\(report.frameTimes.count) frames timed from their start)")
            var table = TextTable(["SLOWEST", "TIME", "ATTEMPTS", "MACHINE"], rightAligned: ["SLOWEST", "TIME", "ATTEMPTS"])
            for frame in report.slowestFrames(5) {
                table.add(["\(frame.number)", duration(frame.renderSeconds ?? 0), "\(frame.attempts)", frame.machine ?? "-"])
            }
            lines += [""] + table.lines
        }
        let machines = report.frameTimesByMachine
        if !machines.isEmpty {
            let failures = Dictionary(uniqueKeysWithValues: report.failuresByMachine.map { ($0.machine, $0.failures) })
            var table = TextTable(["MACHINE", "FRAMES", "MEAN", "FAILED"], rightAligned: ["FRAMES", "MEAN", "FAILED"])
            for machine in machines {
                table.add([machine.machine, "\(machine.frames)", duration(machine.meanSeconds), "\(failures[machine.machine] ?? 0)"])
            }
            for (machine, count) in report.failuresByMachine where !machines.contains(where: { $0.machine == machine }) {
                table.add([machine, "0", "-", "\(count)"])
            }
            lines += [""] + table.lines
        }
        let timeline = report.timeline(slices: 12)
        if !timeline.isEmpty {
            var table = TextTable(["FROM", "FINISHED", "RENDERING"], rightAligned: ["FINISHED", "RENDERING"])
            for slice in timeline {
                table.add([slice.start.iso8601, "\(slice.completions)", "\(slice.rendering)"])
            }
            lines += [""] + table.lines
        }
        if listFrames {
            var table = TextTable(["FRAME", "STATUS", "TIME", "ATTEMPTS", "MACHINE", "ERROR"], rightAligned: ["FRAME", "TIME", "ATTEMPTS"])
            for frame in report.frames {
                table.add([
                    "\(frame.number)", frame.status.name, frame.renderSeconds.map(duration) ?? "-", "\(frame.attempts)", frame.machine ?? "-",
                    (frame.error ?? "").split(separator: "\n").last.map(String.init) ?? "",
                ])
            }
            lines += [""] + table.lines
        }
        return lines
    }
}
