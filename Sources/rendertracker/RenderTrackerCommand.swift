import ArgumentParser
import BuildInfo

@main
struct RenderTrackerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rendertracker",
        abstract: "A render-status tracker for HQueue render farms: XML-RPC and JSON-RPC on one port.",
        version: "rendertracker \(BuildInfo.description)",
        subcommands: [
            ServeCommand.self, CallCommand.self, StatusCommand.self, WatchCommand.self, PluginsCommand.self, ReplayCommand.self,
            ScenarioCommand.self, HistoryCommand.self, ReportCommand.self, ImportCommand.self,
        ]
    )
}
