#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
public import RenderTrackerService
import PostgresStore
import SQLiteStore

/// Where `serve --store URL` keeps state: `memory`, `sqlite:PATH`, or a PostgreSQL database
/// several daemons share.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case memory
    case sqlite(path: String)
    /// `postgres://USER@HOST[:PORT]/DATABASE`; the password is read when the store opens.
    case postgres(url: String)

    /// `memory`, `sqlite:PATH` (a relative path is taken from the working folder),
    /// `postgres://USER@HOST[:PORT]/DATABASE`.
    public init(parsing text: String) throws(StoreError) {
        if text == "memory" {
            self = .memory
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            _ = try PostgresLocation(parsing: text)
            self = .postgres(url: text)
        } else {
            throw StoreError(
                "--store must be memory, sqlite:PATH (e.g. sqlite:/var/lib/rendertracker/tracker.db) or postgres://USER@HOST[:PORT]/DATABASE; got \(text)")
        }
    }

    /// `serve`'s default: `tracker.db` in the state directory systemd gives the service
    /// (`$STATE_DIRECTORY`, set by the unit's `StateDirectory=`; the first, when it names several),
    /// else `/var/lib/rendertracker/tracker.db` for root (a system service), else
    /// `$XDG_STATE_HOME/rendertracker/tracker.db`, by default `~/.local/state/rendertracker/tracker.db`.
    /// Taking systemd's directory lets the unit leave the store unset, so that a `store:` line in
    /// the configuration file applies (an `Environment=` in the unit would win over it).
    public static var defaultSQLite: StoreLocation {
        let environment = { (name: String) in getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let directory = environment("STATE_DIRECTORY")?.split(separator: ":").first {
            return .sqlite(path: "\(directory)/tracker.db")
        }
        if getuid() == 0 {
            return .sqlite(path: "/var/lib/rendertracker/tracker.db")
        }
        let state = environment("XDG_STATE_HOME") ?? "\(environment("HOME") ?? ".")/.local/state"
        return .sqlite(path: "\(state)/rendertracker/tracker.db")
    }

    public var description: String {
        switch self {
        case .memory: "memory"
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): (try? PostgresLocation(parsing: url).description) ?? "postgres"
        }
    }

    /// Opens the store.
    /// - Throws: `StoreError` naming the file when it cannot be used.
    public func open(options: StoreOptions, logger: Logger) throws(StoreError) -> any TrackerStore {
        switch self {
        case .memory:
            return MemoryStore()
        case .sqlite(let path):
            return try SQLiteStore(
                path: path, syncInterval: options.syncIntervalSeconds, keepHistoryDays: options.keepHistoryDays, logger: logger)
        case .postgres(let url):
            return try PostgresStore(
                location: try PostgresLocation(parsing: url, passwordFile: options.passwordFile),
                commitTimeout: options.commitTimeoutSeconds, keepHistoryDays: options.keepHistoryDays, logger: logger)
        }
    }
}

/// How a durable store trades safety for speed, and how long it keeps past renders.
public struct StoreOptions: Sendable, Equatable {
    /// Power loss loses at most this many seconds of acknowledged writes; 0 waits for the disk
    /// before every answer. 1 s by default, as PostgreSQL's and Redis's everysec defaults trade
    /// about a second of writes for throughput (cost measured in docs/operations.md).
    public var syncIntervalSeconds: Double
    /// Past renders older than this are pruned; nil keeps them for ever.
    public var keepHistoryDays: Double?
    /// PostgreSQL: the file whose first line is the password, when neither the URL nor
    /// `PGPASSWORD` gives one.
    public var passwordFile: String?
    /// PostgreSQL: how long a write waits for its place in the shared order before the daemon
    /// serves alone. HQueue's jobs wait on every call, so this is short: 2 s.
    public var commitTimeoutSeconds: Double

    public init(syncIntervalSeconds: Double = 1, keepHistoryDays: Double? = 365, passwordFile: String? = nil, commitTimeoutSeconds: Double = 2) {
        self.syncIntervalSeconds = syncIntervalSeconds
        self.keepHistoryDays = keepHistoryDays
        self.passwordFile = passwordFile
        self.commitTimeoutSeconds = commitTimeoutSeconds
    }
}
