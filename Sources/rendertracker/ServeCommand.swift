#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Hummingbird
import NIOCore
import Logging
import LuaPlugins
import RenderTracker
import RenderLog
import RenderTrackerServer
import RenderTrackerService

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the tracker daemon until SIGTERM or SIGINT."
    )

    @Option(help: "Address to listen on.")
    var host = "0.0.0.0"

    @Option(help: "Port to listen on (HQueue uses 5000 and 5001).")
    var port = 5002

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "Largest request body in bytes, before and after gzip inflation.")
    var maxBodyBytes = RPCServerLimits().maxBodyBytes

    @Option(help: "Bytes of request bodies held at once across all connections; beyond it, HTTP 503 with Retry-After.")
    var maxHeldBodyBytes = RPCServerLimits().maxHeldBodyBytes

    @Option(help: "Deepest nesting of XML elements or JSON values in a request.")
    var maxDepth = RPCServerLimits().maxDepth

    @Option(help: "Close a connection idle (or stalled mid-request) for this many seconds; 0 never closes.")
    var idleTimeout = RenderTrackerConfiguration().idleTimeoutSeconds ?? 0

    @Option(help: "Close a connection whose request is not read in full this many seconds after its head; 0 never closes.")
    var requestSeconds = RenderTrackerConfiguration().requestSeconds ?? 0

    @Option(help: ArgumentHelp(
        "Connections open at once; past it a new one takes the place of the longest idle. Default: the open-file limit (raised to its hard limit at start) less 128, at most 16384.",
        valueName: "n"))
    var maxConnections: Int?

    @Option(help: "Newest log entries kept per frame.")
    var logEntriesPerFrame = TrackerLimits().logEntriesPerFrame

    @Option(help: "Bytes a frame's log may hold; past it the oldest entries are dropped (the newest is always kept).")
    var logBytesPerFrame = TrackerLimits().logBytesPerFrame

    @Option(help: "Largest stored error message, job id or image path, in bytes (longer ones keep head and tail).")
    var maxMessageBytes = TrackerLimits().messageBytes

    @OptionGroup var plugins: PluginOptionsGroup

    @Option(help: ArgumentHelp(
        "Append every call that changes state to this render log (JSON Lines; created if missing; reopened on SIGHUP).",
        valueName: "file"))
    var record: String?

    @Flag(help: "With --record, record successful reads too.")
    var recordReads = false

    @Option(help: ArgumentHelp(
        "Where state and past renders are kept: sqlite:PATH, or memory to keep nothing across restarts. "
            + "Default: sqlite:/var/lib/rendertracker/tracker.db as root, else sqlite:~/.local/state/rendertracker/tracker.db.",
        valueName: "url"))
    var store: String?

    @Option(help: "Seconds of acknowledged writes a power loss may take (the journal is synced this often); 0 syncs before every answer.")
    var syncInterval = StoreOptions().syncIntervalSeconds

    @Option(help: "Days past renders are kept; 0 keeps them for ever.")
    var keepHistory = StoreOptions().keepHistoryDays ?? 0

    @Option(help: "Live projects kept in memory; past it, finished projects leave memory first (they stay in the history).")
    var maxLiveProjects = TrackerLimits().maxLiveProjects

    @Option(name: .customLong("preview-root"), help: ArgumentHelp(
        "A folder whose rendered images the monitor may show as thumbnails of Done frames (repeatable).",
        discussion: "PNG and JPEG as they are, EXR through oiiotool when installed; never a file outside these folders."))
    var previewRoots: [String] = []

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got \(logLevel)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard RPCServerLimits(maxBodyBytes: maxBodyBytes, maxHeldBodyBytes: maxHeldBodyBytes).maxHeldLargeBodyBytes >= maxBodyBytes else {
            throw ValidationError("--max-held-body-bytes must be at least 4/3 of --max-body-bytes: a quarter is kept for ordinary calls")
        }
        guard maxDepth >= 10 else {
            throw ValidationError("--max-depth must be at least 10 (startedRenderProject's frame list alone nests 8 deep)")
        }
        guard idleTimeout >= 0 else { throw ValidationError("--idle-timeout must be 0 (never) or a number of seconds") }
        guard maxConnections.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-connections must be positive") }
        guard requestSeconds >= 0 else { throw ValidationError("--request-seconds must be 0 (never) or a number of seconds") }
        guard logEntriesPerFrame > 0 else { throw ValidationError("--log-entries-per-frame must be positive") }
        guard logBytesPerFrame > 0 else { throw ValidationError("--log-bytes-per-frame must be positive") }
        guard maxMessageBytes >= 64 else { throw ValidationError("--max-message-bytes must be at least 64") }
        guard !recordReads || record != nil else { throw ValidationError("--record-reads needs --record FILE") }
        if let store {
            do {
                _ = try StoreLocation(parsing: store)
            } catch {
                throw ValidationError(error.description)
            }
        }
        guard syncInterval >= 0, syncInterval.isFinite else { throw ValidationError("--sync-interval must be 0 or a number of seconds") }
        guard keepHistory >= 0, keepHistory.isFinite else { throw ValidationError("--keep-history must be 0 (for ever) or a number of days") }
        guard maxLiveProjects > 0 else { throw ValidationError("--max-live-projects must be positive") }
        do {
            _ = try PreviewRoots(previewRoots)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { ConsoleLogHandler(label: $0) }
        var logger = Logger(label: "rendertracker")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let files = FileLimit.raiseToHard()
        let connections = maxConnections ?? FileLimit.maxConnections(forFileLimit: files?.now ?? 1024)
        logger.notice("open files", metadata: [
            "limit": "\(files.map { "\($0.now)" } ?? "unknown")", "raisedFrom": "\(files.map { "\($0.was)" } ?? "unknown")",
            "maxConnections": "\(connections)",
        ])
        if let files, connections > files.now - FileLimit.headroom {
            logger.warning("--max-connections is close to the open-file limit: raise LimitNOFILE (see docs/operations.md)", metadata: [
                "maxConnections": "\(connections)", "limit": "\(files.now)",
            ])
        }
        var configuration = RenderTrackerConfiguration(
            host: host,
            port: port,
            limits: RPCServerLimits(maxBodyBytes: maxBodyBytes, maxDepth: maxDepth, maxHeldBodyBytes: maxHeldBodyBytes),
            trackerLimits: TrackerLimits(
                logEntriesPerFrame: logEntriesPerFrame, logBytesPerFrame: logBytesPerFrame, messageBytes: maxMessageBytes,
                maxLiveProjects: maxLiveProjects),
            idleTimeoutSeconds: idleTimeout == 0 ? nil : idleTimeout,
            requestSeconds: requestSeconds == 0 ? nil : requestSeconds,
            maxConnections: connections,
            pluginFolder: plugins.plugins,
            pluginOptions: plugins.options,
            recordPath: record,
            recordReads: recordReads,
            store: try store.map { text throws(StoreError) in try StoreLocation(parsing: text) } ?? .defaultSQLite,
            storeOptions: StoreOptions(syncIntervalSeconds: syncInterval, keepHistoryDays: keepHistory == 0 ? nil : keepHistory)
        )
        configuration.previewRoots = previewRoots
        do {
            let app = try buildApplication(configuration: configuration, logger: logger) { [logger, host] port in
                logger.notice("rendertracker listening", metadata: ["address": "\(host):\(port)"])
            }
            if let record {
                logger.notice("recording calls", metadata: ["file": "\(record)", "reads": "\(recordReads)"])
            }
            try await app.runService()
        } catch let error as RenderLogRecorder.OpenError {
            printToStandardError("rendertracker serve: \(error)")
            throw ExitCode.failure
        } catch let error as StoreError {
            printToStandardError("rendertracker serve: \(error)")
            throw ExitCode.failure
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            printToStandardError("rendertracker serve: \(host):\(port) is already in use: another rendertracker (or another server) listens there; choose another --port")
            throw ExitCode.failure
        }
        logger.notice("rendertracker stopped")
    }
}
