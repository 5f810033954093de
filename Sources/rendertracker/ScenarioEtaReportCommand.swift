import ArgumentParser
import RenderScenarios
import RPC

struct ScenarioEtaReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eta-report",
        abstract: "How accurate the time-left estimate was on scenarios and render logs, next to Afanasy's and Royal Render's ways.",
        discussion: """
            Runs each scenario and prints, for every render that finished, the error of the tracker's \
            estimate at 10%, 25%, 50%, 75% and 90% of frames done against the render's real finish, beside a \
            straight-line extrapolation (elapsed * 100 / percent - elapsed, as Afanasy) and average frame \
            time times frames left over machines (as Royal Render). Render logs (.jsonl) are judged \
            too: every render in them that finished, against the moment its last frame finished.
            """
    )

    @OptionGroup var scenarios: ScenarioOptionsGroup

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        var results: [ScenarioResult] = []
        var stopped = 0
        for (file, options) in try scenarios.runs {
            let result = ScenarioRunner(options: options).run(file: file) { _ in }
            if let error = result.error {
                // The other scenarios still count; the exit status says one stopped.
                let seedSet = options.seedSet > 0 ? " (seed set \(options.seedSet))" : ""
                printToStandardError("rendertracker scenario eta-report: \(file)\(seedSet) stopped: \(error)")
                stopped += 1
                continue
            }
            results.append(result)
        }
        let report = EtaReport(results: results)
        print(json ? JSONWriter.string(report.json) : report.text)
        if stopped > 0 { throw ExitCode.failure }
    }
}
