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

    @Option(help: ArgumentHelp(
        "The configuration file (YAML; examples/rendertracker.yaml). Default: $RENDERTRACKER_CONFIG, else \(ServeSettings.defaultFile) when it exists. "
            + "Every option below may be set there (its name without --) or in the environment (RENDERTRACKER_ and its name in upper case, - as _); "
            + "a flag wins over the environment, which wins over the file.",
        valueName: "file"))
    var config: String?

    @Flag(help: "Print the settings this command line would run with, each with where it came from, and exit.")
    var printConfig = false

    @Option(help: "Address to listen on (default 0.0.0.0).")
    var host: String?

    @Option(help: "Port to listen on (default 5002; HQueue uses 5000 and 5001). $PORT is read too, below $RENDERTRACKER_PORT.")
    var port: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    @Option(help: "Log format: text (one line a record, key=value) or json (one JSON object a line, for a log collector) (default text).")
    var logFormat: String?

    @Option(help: "Largest request body in bytes, before and after gzip inflation (default \(RPCServerLimits().maxBodyBytes)).")
    var maxBodyBytes: Int?

    @Option(help: "Bytes of request bodies held at once across all connections; beyond it, HTTP 503 with Retry-After (default \(RPCServerLimits().maxHeldBodyBytes)).")
    var maxHeldBodyBytes: Int?

    @Option(help: "Deepest nesting of XML elements or JSON values in a request (default \(RPCServerLimits().maxDepth)).")
    var maxDepth: Int?

    @Option(help: "Close a connection idle (or stalled mid-request) for this many seconds; 0 never closes (default \(Self.defaults.idleTimeoutSeconds ?? 0)).")
    var idleTimeout: Int?

    @Option(help: "Close a connection whose request is not read in full this many seconds after its head; 0 never closes (default \(Self.defaults.requestSeconds ?? 0)).")
    var requestSeconds: Int?

    @Option(help: ArgumentHelp(
        "Connections open at once; past it a new one takes the place of the longest idle. Default: the open-file limit (raised to its hard limit at start) less 128, at most 16384.",
        valueName: "n"))
    var maxConnections: Int?

    @Option(help: "Newest log entries kept per frame (default \(TrackerLimits().logEntriesPerFrame)).")
    var logEntriesPerFrame: Int?

    @Option(help: "Bytes a frame's log may hold; past it the oldest entries are dropped, the newest is always kept (default \(TrackerLimits().logBytesPerFrame)).")
    var logBytesPerFrame: Int?

    @Option(help: "Largest stored error message, job id or image path, in bytes; longer ones keep head and tail (default \(TrackerLimits().messageBytes)).")
    var maxMessageBytes: Int?

    @OptionGroup var plugins: PluginOptionsGroup

    @OptionGroup(title: "Access") var access: AccessOptionsGroup

    @Option(help: ArgumentHelp(
        "Append every call that changes state to this render log (JSON Lines; created if missing; reopened on SIGHUP).",
        valueName: "file"))
    var record: String?

    @Flag(help: "With --record, record successful reads too.")
    var recordReads = false

    @Option(help: ArgumentHelp(
        "Where state and past renders are kept: sqlite:PATH, postgres://USER@HOST[:PORT]/DATABASE (several daemons share it), "
            + "or memory to keep nothing across restarts. "
            + "Default: sqlite:$STATE_DIRECTORY/tracker.db under systemd, else sqlite:/var/lib/rendertracker/tracker.db as root, "
            + "else sqlite:~/.local/state/rendertracker/tracker.db.",
        valueName: "url"))
    var store: String?

    @Option(help: ArgumentHelp(
        "PostgreSQL: a file whose first line is the database password, when neither the URL nor PGPASSWORD gives one.",
        valueName: "path"))
    var storePasswordFile: String?

    @Option(help: "PostgreSQL: seconds a write waits for the database before this daemon serves alone from memory (default \(StoreOptions().commitTimeoutSeconds)).")
    var storeCommitTimeout: Double?

    @Option(help: "Seconds of acknowledged writes a power loss may take (the journal is synced this often); 0 syncs before every answer (default \(StoreOptions().syncIntervalSeconds)).")
    var syncInterval: Double?

    @Option(help: "Days past renders are kept; 0 keeps them for ever (default \(StoreOptions().keepHistoryDays ?? 0)).")
    var keepHistory: Double?

    @Option(help: "Live projects kept in memory; past it, finished projects leave memory first, to the history (default \(TrackerLimits().maxLiveProjects)).")
    var maxLiveProjects: Int?

    @Option(name: .customLong("preview-root"), help: ArgumentHelp(
        "A folder whose rendered images the monitor may show as thumbnails of Done frames (repeatable).",
        discussion: "PNG and JPEG as they are, EXR through oiiotool when installed; never a file outside these folders."))
    var previewRoots: [String] = []

    private static let defaults = RenderTrackerConfiguration()

    /// The settings, resolved (flag, environment, file, default) and checked. Throws
    /// `ValidationError` naming the setting.
    private func resolve(_ settings: inout ServeSettings) throws -> (
        configuration: RenderTrackerConfiguration, logLevel: Logger.Level, logFormat: ConsoleLogHandler.Format
    ) {
        let host = try settings.value("host", flag: host, default: Self.defaults.host)
        let port = try settings.value("port", flag: port, default: Self.defaults.port)
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        let levelName = try settings.value("log-level", flag: logLevel, default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got \(levelName)")
        }
        let formatName = try settings.value("log-format", flag: logFormat, default: ConsoleLogHandler.Format.text.rawValue)
        guard let format = ConsoleLogHandler.Format(rawValue: formatName) else {
            throw ValidationError("--log-format must be text or json; got \(formatName)")
        }
        let maxBodyBytes = try settings.value("max-body-bytes", flag: maxBodyBytes, default: RPCServerLimits().maxBodyBytes)
        let maxHeldBodyBytes = try settings.value("max-held-body-bytes", flag: maxHeldBodyBytes, default: RPCServerLimits().maxHeldBodyBytes)
        let maxDepth = try settings.value("max-depth", flag: maxDepth, default: RPCServerLimits().maxDepth)
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard RPCServerLimits(maxBodyBytes: maxBodyBytes, maxHeldBodyBytes: maxHeldBodyBytes).maxHeldLargeBodyBytes >= maxBodyBytes else {
            throw ValidationError("--max-held-body-bytes must be at least 4/3 of --max-body-bytes: a quarter is kept for ordinary calls")
        }
        guard maxDepth >= 10 else {
            throw ValidationError("--max-depth must be at least 10 (startedRenderProject's frame list alone nests 8 deep)")
        }
        let idleTimeout = try settings.value("idle-timeout", flag: idleTimeout, default: Self.defaults.idleTimeoutSeconds ?? 0)
        guard idleTimeout >= 0 else { throw ValidationError("--idle-timeout must be 0 (never) or a number of seconds") }
        let requestSeconds = try settings.value("request-seconds", flag: requestSeconds, default: Self.defaults.requestSeconds ?? 0)
        guard requestSeconds >= 0 else { throw ValidationError("--request-seconds must be 0 (never) or a number of seconds") }
        let maxConnections = try settings.optional("max-connections", flag: maxConnections)
        guard maxConnections.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-connections must be positive") }
        let logEntriesPerFrame = try settings.value("log-entries-per-frame", flag: logEntriesPerFrame, default: TrackerLimits().logEntriesPerFrame)
        guard logEntriesPerFrame > 0 else { throw ValidationError("--log-entries-per-frame must be positive") }
        let logBytesPerFrame = try settings.value("log-bytes-per-frame", flag: logBytesPerFrame, default: TrackerLimits().logBytesPerFrame)
        guard logBytesPerFrame > 0 else { throw ValidationError("--log-bytes-per-frame must be positive") }
        let maxMessageBytes = try settings.value("max-message-bytes", flag: maxMessageBytes, default: TrackerLimits().messageBytes)
        guard maxMessageBytes >= 64 else { throw ValidationError("--max-message-bytes must be at least 64") }
        let (pluginFolder, pluginOptions) = try plugins.resolve(&settings)
        let record = try settings.optional("record", flag: record)
        let recordReads = try settings.value("record-reads", flag: recordReads ? true : nil, default: false)
        guard !recordReads || record != nil else { throw ValidationError("--record-reads needs --record FILE") }
        let storeText = try settings.value("store", flag: store, default: StoreLocation.defaultSQLite.description) { text in
            // A PostgreSQL URL may carry a password: printed without it.
            (try? StoreLocation(parsing: text).description) ?? text
        }
        let storePasswordFile = try settings.optional("store-password-file", flag: storePasswordFile)
        let storeCommitTimeout = try settings.value("store-commit-timeout", flag: storeCommitTimeout, default: StoreOptions().commitTimeoutSeconds)
        guard storeCommitTimeout > 0, storeCommitTimeout.isFinite else { throw ValidationError("--store-commit-timeout must be a positive number of seconds") }
        let storeLocation: StoreLocation
        do {
            storeLocation = try StoreLocation(parsing: storeText)
        } catch {
            throw ValidationError(error.description)
        }
        let syncInterval = try settings.value("sync-interval", flag: syncInterval, default: StoreOptions().syncIntervalSeconds)
        guard syncInterval >= 0, syncInterval.isFinite else { throw ValidationError("--sync-interval must be 0 or a number of seconds") }
        let keepHistory = try settings.value("keep-history", flag: keepHistory, default: StoreOptions().keepHistoryDays ?? 0)
        guard keepHistory >= 0, keepHistory.isFinite else { throw ValidationError("--keep-history must be 0 (for ever) or a number of days") }
        let accessPolicy = try access.resolve(&settings)
        let maxLiveProjects = try settings.value("max-live-projects", flag: maxLiveProjects, default: TrackerLimits().maxLiveProjects)
        guard maxLiveProjects > 0 else { throw ValidationError("--max-live-projects must be positive") }
        let previewRoots = try settings.list("preview-root", flag: previewRoots, default: [])
        do {
            _ = try PreviewRoots(previewRoots)
        } catch {
            throw ValidationError(error.description)
        }
        try settings.checkFileKeys()
        var configuration = RenderTrackerConfiguration(
            host: host,
            port: port,
            limits: RPCServerLimits(maxBodyBytes: maxBodyBytes, maxDepth: maxDepth, maxHeldBodyBytes: maxHeldBodyBytes),
            trackerLimits: TrackerLimits(
                logEntriesPerFrame: logEntriesPerFrame, logBytesPerFrame: logBytesPerFrame, messageBytes: maxMessageBytes,
                maxLiveProjects: maxLiveProjects),
            idleTimeoutSeconds: idleTimeout == 0 ? nil : idleTimeout,
            requestSeconds: requestSeconds == 0 ? nil : requestSeconds,
            maxConnections: maxConnections,
            pluginFolder: pluginFolder,
            pluginOptions: pluginOptions,
            recordPath: record,
            recordReads: recordReads,
            store: storeLocation,
            storeOptions: StoreOptions(
                syncIntervalSeconds: syncInterval, keepHistoryDays: keepHistory == 0 ? nil : keepHistory, passwordFile: storePasswordFile,
                commitTimeoutSeconds: storeCommitTimeout),
            access: accessPolicy
        )
        configuration.previewRoots = previewRoots
        return (configuration, level, format)
    }

    func run() async throws {
        var settings = try await ServeSettings(configFile: config)
        var (configuration, level, format) = try resolve(&settings)
        if printConfig {
            print(settings.printed)
            return
        }
        LoggingSystem.bootstrap { ConsoleLogHandler(label: $0, format: format) }
        var logger = Logger(label: "rendertracker")
        logger.logLevel = level
        let files = FileLimit.raiseToHard()
        let connections = configuration.maxConnections ?? FileLimit.maxConnections(forFileLimit: files?.now ?? 1024)
        configuration.maxConnections = connections
        logger.notice("open files", metadata: [
            "limit": "\(files.map { "\($0.now)" } ?? "unknown")", "raisedFrom": "\(files.map { "\($0.was)" } ?? "unknown")",
            "maxConnections": "\(connections)",
        ])
        if let files, connections > files.now - FileLimit.headroom {
            logger.warning("--max-connections is close to the open-file limit: raise LimitNOFILE (see docs/operations.md)", metadata: [
                "maxConnections": "\(connections)", "limit": "\(files.now)",
            ])
        }
        do {
            let app = try buildApplication(configuration: configuration, logger: logger) { [logger, host = configuration.host] port in
                logger.notice("rendertracker listening", metadata: ["address": "\(host):\(port)"])
            }
            if let tls = configuration.access.tls {
                logger.notice("serving HTTPS", metadata: ["certificate": "\(tls.certificatePath)"])
            }
            if let record = configuration.recordPath {
                logger.notice("recording calls", metadata: ["file": "\(record)", "reads": "\(configuration.recordReads)"])
            }
            try await app.runService()
        } catch let error as TLSFiles.LoadError {
            printToStandardError("rendertracker serve: \(error)")
            throw ExitCode.failure
        } catch let error as RenderLogRecorder.OpenError {
            printToStandardError("rendertracker serve: \(error)")
            throw ExitCode.failure
        } catch let error as StoreError {
            printToStandardError("rendertracker serve: \(error)")
            throw ExitCode.failure
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            printToStandardError("rendertracker serve: \(configuration.host):\(configuration.port) is already in use: another rendertracker (or another server) listens there; choose another --port")
            throw ExitCode.failure
        }
        logger.notice("rendertracker stopped")
    }
}
