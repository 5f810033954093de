import ArgumentParser
import Logging
import RenderScenarios

/// What `scenario run` and `scenario eta-report` share: the scripts and how they run.
struct ScenarioOptionsGroup: ParsableArguments {
    @Argument(help: "Scenario scripts (.lua), or render logs (.jsonl), each replayed alone to its end.")
    var files: [String]

    @OptionGroup var plugins: PluginOptionsGroup

    @Option(help: "Wall-clock seconds each scenario may run.")
    var timeout = 600.0

    @Option(help: "Level of the tracker's own log lines (plugin warnings among them).")
    var logLevel = "warning"

    @Option(help: "Run each scenario with this many seed sets: the script's seeds, then others (another night of the same farm each).")
    var seeds = 1

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard (1...1_000).contains(seeds) else { throw ValidationError("--seeds must be from 1 to 1000; got \(seeds)") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got \(logLevel)")
        }
    }

    /// Plugin settings from the flags alone: a scenario gives the same result wherever it runs, so
    /// the daemon's environment and configuration file do not count. Throws `ValidationError`.
    var options: ScenarioOptions {
        get throws {
            var logger = Logger(label: "rendertracker") { ConsoleLogHandler(label: $0) }
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
            var settings = ServeSettings(flagsOnly: ())
            let (folder, pluginOptions) = try plugins.resolve(&settings)
            return ScenarioOptions(pluginFolder: folder, pluginOptions: pluginOptions, timeoutSeconds: timeout, logger: logger)
        }
    }

    /// Every scenario with every seed set: (file, options for that set).
    var runs: [(file: String, options: ScenarioOptions)] {
        get throws {
            let base = try options
            return files.flatMap { file in
                (0..<seeds).map { set in
                    var options = base
                    options.seedSet = set
                    return (file, options)
                }
            }
        }
    }
}
