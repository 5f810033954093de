import ArgumentParser
import RenderTracker
import RenderTrackerClient
import RPC

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print every project as a table, or one project's frames.",
        discussion: """
            Without PROJECT: state, frames done of total, frames in error, estimated time left, start time, \
            elapsed time and job id of every project. With PROJECT: that project's line, then each frame's status \
            and progress. Exit codes: 0 printed, 1 no such project, 2 no usable answer from the tracker.
            """
    )

    @OptionGroup var tracker: TrackerURLOption

    @Argument(help: "A project name, e.g. bob/shot_v003.")
    var project: String?

    func run() async throws {
        try await reportingTrackerErrors("status") {
            let client = try tracker.client
            if let project {
                let answers = try await client.multicall([
                    ("getProjectSummary", [.string(project)]), ("getAllFramesInfo", [.string(project)]),
                ]).map { try $0.get() }
                guard let report = try ProjectReport(answers[0]) else { throw NoSuchProject(project: project) }
                let frames = try FrameSnapshot.list(answers[1], what: "getAllFramesInfo")
                printLines(MonitorFormatting.projectsTable([report]) + [""] + MonitorFormatting.framesTable(frames))
            } else {
                let names = try await client.allProjects()
                let summaries = names.isEmpty ? [] : try await client.multicall(names.map { ("getProjectSummary", [.string($0)]) }).map { try $0.get() }
                // A project removed between the two requests answers nil: leave it out.
                let reports = try summaries.compactMap { summary throws(UnexpectedAnswer) in try ProjectReport(summary) }
                printLines(reports.isEmpty ? ["no projects"] : MonitorFormatting.projectsTable(reports))
            }
        }
    }

    private func printLines(_ lines: [String]) {
        for line in lines {
            print(line)
        }
    }
}
