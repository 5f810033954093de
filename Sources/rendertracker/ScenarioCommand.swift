import ArgumentParser

struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run scripted farm scenarios against an in-process tracker in virtual time.",
        subcommands: [ScenarioRunCommand.self, ScenarioEtaReportCommand.self]
    )
}
