import ArgumentParser
import RenderScenarios

struct ScenarioRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenario scripts and check their expectations.",
        discussion: """
            Prints one line per expectation and closes with "N passed, M failed"; exits 1 if any \
            expectation failed or a script stopped with an error. docs/scenarios.md describes the scripts.
            """
    )

    @OptionGroup var scenarios: ScenarioOptionsGroup

    @Option(help: "Write the calls the scenario's farm made to this render log (appended), which replay accepts. One scenario only.")
    var emitLog: String?

    func validate() throws {
        guard emitLog == nil || scenarios.files.count == 1 else {
            throw ValidationError("--emit-log records one scenario; give one file, not \(scenarios.files.count)")
        }
    }

    func run() throws {
        var passed = 0
        var failed = 0
        for (file, runOptions) in try scenarios.runs {
            var options = runOptions
            options.emitLog = emitLog
            print(scenarios.seeds > 1 ? "\(file) (seed set \(options.seedSet))" : file)
            let result = ScenarioRunner(options: options).run(file: file) { print($0) }
            passed += result.passed
            failed += result.failed
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }
}
