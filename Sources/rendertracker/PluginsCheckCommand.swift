import ArgumentParser
import Logging
import LuaPlugins
import RenderTracker

struct PluginsCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load plugins as the daemon would and run each capability once on sample data.",
        discussion: """
            Prints what each plugin registered and what each capability answered; notifications are \
            printed, not sent. Exits 1 if any plugin fails to load or any call fails: put it in your CI.
            """
    )

    @Argument(help: "The plugin folder.")
    var folder: String

    @OptionGroup var plugins: PluginOptionsGroup

    func validate() throws {
        guard plugins.plugins == nil else { throw ValidationError("give the folder as the argument, not --plugins") }
    }

    @Option(help: ArgumentHelp("The configuration file whose plugin settings apply, as for serve.", valueName: "file"))
    var config: String?

    func run() async throws {
        var settings = try await ServeSettings(configFile: config)
        let options = try plugins.resolve(&settings).options
        let effects = CapturedPluginEffects()
        var logger = Logger(label: "rendertracker") { ConsoleLogHandler(label: $0) }
        // Every failure is printed below with its file and line; the engine's log would repeat it.
        logger.logLevel = .critical
        // The plugins' own warnings (a missing setting, say) are what a check is for.
        var pluginLogger = logger
        pluginLogger.logLevel = .warning
        let engine = PluginEngine(
            folder: PluginFolder(path: folder), options: options, effects: effects, clock: SystemClock(), logger: logger,
            pluginLogger: pluginLogger
        )
        if case .failure(let error) = engine.reload() {
            printToStandardError("rendertracker plugins check: \(error)")
            throw ExitCode.failure
        }
        let registrations = engine.registrations
        if registrations.isEmpty { print("\(folder): no *.lua plugins") }
        for registration in registrations {
            var provides: [String] = []
            if registration.setsNameFormula { provides.append("name formula") }
            if registration.setsEstimator { provides.append("estimator") }
            if !registration.events.isEmpty { provides.append("hooks: " + registration.events.joined(separator: ", ")) }
            print("\(registration.name): \(provides.isEmpty ? "registers nothing" : provides.joined(separator: "; "))")
        }
        var failures = 0
        for result in engine.check() {
            switch result.outcome {
            case .success(let answer):
                print("  ok    \(result.plugin) \(result.capability): \(answer)")
            case .failure(let failure):
                failures += 1
                print("  FAIL  \(result.plugin) \(result.capability): \(failure.summary)")
            }
        }
        for notification in effects.notifications {
            switch notification {
            case let .httpPost(plugin, url, body, _, _):
                print("  would POST from \(plugin) to \(url): \(body.prefix(300))")
            case let .exec(plugin, arguments, input):
                print("  would run from \(plugin): \(arguments.joined(separator: " "))\(input.map { " with \($0.utf8.count) bytes of input" } ?? "")")
            }
        }
        if failures > 0 {
            printToStandardError("rendertracker plugins check: \(failures) call\(failures == 1 ? "" : "s") failed")
            throw ExitCode.failure
        }
    }
}
