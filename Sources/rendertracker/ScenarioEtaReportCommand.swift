import ArgumentParser
import RenderScenarios
import RPC

struct ScenarioEtaReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eta-report",
        abstract: "How accurate the time-left estimate was on scenarios, next to Afanasy's and Royal Render's ways.",
        discussion: """
            Runs each scenario and prints, for every render that finished, the error of the tracker's \
            estimate at 10%, 25%, 50% and 75% of frames done against the render's real finish, beside a \
            straight-line extrapolation (elapsed * 100 / percent - elapsed, as Afanasy) and average frame \
            time times frames left over machines (as Royal Render).
            """
    )

    @OptionGroup var scenarios: ScenarioOptionsGroup

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let runner = ScenarioRunner(options: try scenarios.options)
        var results: [ScenarioResult] = []
        for file in scenarios.files {
            let result = runner.run(file: file) { _ in }
            if let error = result.error {
                printToStandardError("rendertracker scenario eta-report: \(file): \(error)")
                throw ExitCode.failure
            }
            results.append(result)
        }
        let report = EtaReport(results: results)
        print(json ? JSONWriter.string(report.json) : report.text)
    }
}
