import ArgumentParser
import Logging
import RenderLog
import RenderReplay
import RenderTracker
import RenderTrackerServer
import RenderTrackerService

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load render logs (serve --record) into a store as past renders.",
        discussion: """
            Each log is replayed in virtual time, as `rendertracker replay` does, and every render in it is kept \
            as a past render with ending "imported": `rendertracker history` and `report` show them beside the \
            renders the daemon kept itself. The store must not be in use: stop the daemon first (it holds the \
            store's lock). Exit codes: 0 imported, 1 a log or the store could not be read.
            """
    )

    @Option(help: ArgumentHelp("The store to load into: sqlite:PATH (default: serve's default store).", valueName: "url"))
    var store: String?

    @Flag(help: "Skip damaged lines (and say which) instead of stopping at the first.")
    var skipBad = false

    @Argument(help: "Render logs, imported in this order.")
    var logs: [String]

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("name at least one render log") }
        // A PostgreSQL store's event counter is its daemons' shared log, which an import beside
        // running daemons would put out of step; and a memory store keeps nothing.
        if let store, case .sqlite? = try? StoreLocation(parsing: store) {
            return
        }
        if let store {
            throw ValidationError("--store must be sqlite:PATH (a memory store keeps nothing to import into, and a PostgreSQL store takes no import); got \(store)")
        }
    }

    func run() throws {
        var logger = Logger(label: "rendertracker")
        logger.logLevel = .warning
        do {
            let location = try store.map { text throws(StoreError) in try StoreLocation(parsing: text) } ?? .defaultSQLite
            let opened = try location.open(options: StoreOptions(), logger: logger)
            // Bring the store to a clean checkpoint first: the imported ids continue its counter.
            let restored = try opened.restore(limits: TrackerLimits())
            opened.close(SharedTracker(Tracker(restoring: restored.projects, lastEventID: restored.lastEventID)))
            let outcome = try HistoryImport.renders(fromLogs: logs, firstEventID: restored.lastEventID, skipBad: skipBad)
            try opened.importRenders(outcome.renders, lastEventID: outcome.lastEventID)
            for skipped in outcome.skipped {
                printToStandardError("rendertracker import: skipped \(skipped)")
            }
            let frames = outcome.renders.reduce(0) { $0 + $1.render.frames }
            print("imported \(outcome.renders.count) renders (\(frames) frames) from \(outcome.calls) calls into \(location)")
        } catch let error as StoreError {
            printToStandardError("rendertracker import: \(error)")
            throw ExitCode.failure
        } catch let error as RenderLogError {
            printToStandardError("rendertracker import: \(error) (nothing was imported; --skip-bad skips damaged lines)")
            throw ExitCode.failure
        }
    }
}
