import ArgumentParser
import RenderTracker
import RenderTrackerClient
import RPC

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List a project's renders, newest first: the live one, then past ones.",
        discussion: """
            Each render: its id (for `rendertracker report PROJECT --render ID`), when it started, how it ended \
            (live, replaced by a re-render, removed, evicted from memory, imported), its state, frames done and in \
            error, machine time (render seconds over every attempt) and wall time. Past renders need a durable \
            store (serve --store sqlite:PATH, the default). Exit codes: 0 printed, 1 no render of that project, 2 no \
            usable answer from the tracker.
            """
    )

    @OptionGroup var tracker: TrackerURLOption

    @Argument(help: "A project name, e.g. bob/shot_v003.")
    var project: String

    func run() async throws {
        try await reportingTrackerErrors("history") {
            let renders = try PastRender.list(answer: try await tracker.client.call("getRenderHistory", [.string(project)]))
            guard !renders.isEmpty else { throw NoSuchProject(project: project) }
            var table = TextTable(
                ["RENDER", "STARTED", "ENDING", "STATE", "DONE/TOTAL", "ERRORS", "MACHINE TIME", "WALL", "JOB"],
                rightAligned: ["RENDER", "DONE/TOTAL", "ERRORS", "MACHINE TIME", "WALL"])
            for render in renders {
                table.add([
                    "\(render.renderID)", MonitorFormatting.clockTime(render.startedAt), render.ending.rawValue, render.state.rawValue,
                    "\(render.done)/\(render.frames)", "\(render.errors)", MonitorFormatting.duration(render.renderSeconds),
                    MonitorFormatting.duration(render.wallSeconds), render.jobID,
                ])
            }
            for line in table.lines {
                print(line)
            }
        }
    }
}
