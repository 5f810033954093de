public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries, a temporary
/// data folder, a free loopback port. The PostgreSQL store's tests run against the real server, as
/// several daemons on one database would in a studio, not against a fake that would agree with the
/// store's own mistakes.
///
/// The cluster is gone when the test process ends, even one that crashed or was killed: a watchdog
/// started with it stops it and removes its folder. Without that, every failed run would leave a
/// server holding memory and a port.
public final class PostgresServer: Sendable {
    public let port: Int
    public let host = "127.0.0.1"
    /// The temporary folder: the data folder, the Unix socket, everything the cluster wrote.
    private let folder: String
    private let data: String
    private let binaries: String
    /// The prefix that runs a server program as its owner: `runuser -u postgres --` under root
    /// (initdb and postgres refuse to run as root, and CI runs tests as root), nothing otherwise.
    private let owner: [String]
    private let databasesMade = Atomic(0)

    /// The certificate the server presents when started with `tls`, signed by itself: what a
    /// client names as its `sslrootcert` to verify the server.
    public var certificateFile: String { SelfSignedCertificate(in: folder).certificateFile }

    /// Starts a cluster of its own (most tests want `shared()`).
    /// - Parameters:
    ///   - durable: false turns off fsync and full-page writes, which only matter if the machine
    ///     crashes, to spare the disk; true keeps them, for durability benchmarks.
    ///   - tls: serves TLS too (`ssl = on`), with a certificate for 127.0.0.1 made by openssl
    ///     (`certificateFile`); clients may still connect without it.
    public static func start(durable: Bool = false, tls: Bool = false) async throws -> PostgresServer {
        let binaries = try serverBinaries()
        let root = getuid() == 0
        if root, getpwnam("postgres") == nil {
            throw PostgresServerError(
                "running as root, PostgreSQL's server needs another user, and there is no `postgres` user: "
                    + "Debian's postgresql package creates it (`make test-deps`)")
        }
        let port = try freePort()
        // Under root in /tmp, whatever TMPDIR says: the postgres user must reach it. A short
        // name, because the Unix socket's path must fit in 107 bytes.
        let parent = root ? "/tmp" : FileManager.default.temporaryDirectory.path
        var template = Array((parent + "/rendertracker-pg-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw PostgresServerError("mkdtemp failed: errno \(errno)") }
        let folder = String(cString: created)
        let server = try PostgresServer(folder: folder, binaries: binaries, root: root, port: port)
        try await server.startWatchdog()
        try FileManager.default.createDirectory(
            atPath: server.data, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        if root {
            // Traversable, and the postgres user's: it writes the data folder and the socket here.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            try await server.check(["chown", "-R", "postgres:postgres", folder], "chown")
        }
        // Locale C: the same sorting on every machine, and no failure when LANG names a locale
        // that is not installed.
        let initdb = [
            "\(binaries)/initdb", "-D", server.data, "-A", "trust", "-U", "rendertracker", "-E", "UTF8", "--locale=C", "--no-sync",
        ]
        try await server.check(server.owner + initdb, "initdb")
        var settings = """

            # rendertracker's test cluster
            listen_addresses = '127.0.0.1'
            port = \(server.port)
            unix_socket_directories = '\(folder)'
            max_connections = 200
            shared_buffers = 128MB

            """
        if !durable {
            settings += "fsync = off\nfull_page_writes = off\n"
        }
        if tls {
            let certificate = try await SelfSignedCertificate.make(in: folder)
            // The server reads its key only when the key is its own and no one else's.
            if root {
                try await server.check(["chown", "postgres:postgres", certificate.keyFile, certificate.certificateFile], "chown")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: certificate.keyFile)
            settings += "ssl = on\nssl_cert_file = '\(certificate.certificateFile)'\nssl_key_file = '\(certificate.keyFile)'\n"
        }
        let configuration = try FileHandle(forWritingTo: URL(fileURLWithPath: server.data + "/postgresql.conf"))
        defer { try? configuration.close() }
        try configuration.seekToEnd()
        try configuration.write(contentsOf: Data(settings.utf8))
        try await server.startAgain()
        return server
    }

    private static let sharedServer = Mutex<Task<PostgresServer, any Error>?>(nil)

    /// One cluster per test process, started on first use (tests share it and each takes a database
    /// of its own). Starting one per test would cost about a second each and a few hundred MB on a 2-core
    /// machine. Concurrent callers get the same cluster; a failure to start is every caller's.
    public static func shared() async throws -> PostgresServer {
        let task = sharedServer.withLock { task in
            if let task { return task }
            let started = Task { try await start() }
            task = started
            return started
        }
        return try await task.value
    }

    private init(folder: String, binaries: String, root: Bool, port: Int) throws {
        self.folder = folder
        self.data = folder + "/data"
        self.binaries = binaries
        self.port = port
        // From the cluster's folder: the postgres user may not enter the test's own working
        // directory (under /root), and each program would complain that it cannot.
        owner = root ? [try Self.runuser(), "-u", "postgres", "--", "env", "--chdir=\(folder)"] : []
    }

    /// A new empty database with a unique name; returns its URL
    /// `postgres://rendertracker@127.0.0.1:PORT/NAME`. One per test keeps parallel tests apart
    /// without a cluster each.
    public func makeDatabase(prefix: String = "test") async throws -> String {
        let number = databasesMade.add(1, ordering: .relaxed).newValue
        // Lower case letters, digits and _ only: a name psql and URLs take without quoting.
        let safe = prefix.lowercased().map { (character: Character) -> Character in
            character.isASCII && (character.isLetter || character.isNumber) ? character : "_"
        }
        let name = String(safe) + "_\(number)"
        try await check(["\(binaries)/createdb", "-h", host, "-p", "\(port)", "-U", "rendertracker", name], "createdb \(name)")
        return "postgres://rendertracker@\(host):\(port)/\(name)"
    }

    /// Runs SQL through psql on a database, returns its output (psql -X -A -t -v ON_ERROR_STOP=1 -c SQL).
    /// Unaligned tuples only, one row a line, columns separated by `|`, the last newline removed:
    /// what a test compares. The server's own view, independent of the store under test.
    /// - Parameter database: a name, or a URL `makeDatabase` returned.
    public func sql(_ statement: String, database: String) async throws -> String {
        let psql = ["\(binaries)/psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", "\(port)", "-U", "rendertracker"]
        let outcome = try await ChildProcess.run(psql + ["-d", database, "-c", statement], separateErrors: true)
        guard outcome.status == 0 else {
            throw PostgresServerError("psql on \(database) failed (status \(outcome.status)) for \(statement): \(outcome.errors)")
        }
        return outcome.output.hasSuffix("\n") ? String(outcome.output.dropLast()) : outcome.output
    }

    /// Stops the server (pg_ctl -m fast: open sessions are ended, and what was committed is kept),
    /// to test the store while its database is away. The folder stays, for `startAgain()`.
    public func stop() async throws {
        try await check(owner + ["\(binaries)/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], "pg_ctl stop")
    }

    /// Starts the server again on the same port and data, to test a database restart under load:
    /// clients reconnect to the same URL and find what was committed.
    public func startAgain() async throws {
        let start = ["\(binaries)/pg_ctl", "-D", data, "-l", data + "/server.log", "-w", "start"]
        let outcome = try await ChildProcess.run(Self.inheritingNothing + owner + start)
        guard outcome.status == 0 else {
            let tail = serverLog.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
            throw PostgresServerError("pg_ctl start failed (status \(outcome.status)): \(outcome.output)\nserver.log ends:\n\(tail)")
        }
    }

    /// Stops and starts the server: every connection is dropped, the data stays.
    public func restart() async throws {
        try await stop()
        try await startAgain()
    }

    /// The contents of server.log, for failure messages: why a query failed or a connection was
    /// dropped is written there, not sent to the client.
    public var serverLog: String {
        (try? String(contentsOfFile: data + "/server.log", encoding: .utf8)) ?? "(no server.log in \(data))"
    }

    /// Starts the watchdog that stops the cluster and removes its folder when this process has
    /// ended, however it ended. In a session of its own (setsid), so the Ctrl-C or the kill that
    /// ends the test process's group does not end the watchdog before it has cleaned up.
    private func startWatchdog() async throws {
        let stop = (owner + ["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "stop"]).map(Self.quoted).joined(separator: " ")
        // Its standard streams on /dev/null, not on the pipes ChildProcess reads to their end.
        let script = "exec </dev/null >/dev/null 2>&1; while kill -0 \(getpid()); do sleep 1; done; "
            + "\(stop); rm -rf \(Self.quoted(folder))"
        try await check(Self.inheritingNothing + ["setsid", "-f", "sh", "-c", script], "the watchdog")
    }

    /// Runs a command with every inherited descriptor above 2 closed (in bash: dash takes only
    /// one-digit descriptors). Foundation's Process hands each child one end of a socket and
    /// reports its exit once every holder has closed it, so a program left running by the child
    /// (postgres under pg_ctl, the watchdog) would make the wait last as long as that program.
    private static let inheritingNothing = [
        "bash", "-c", #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#, "bash",
    ]

    private func check(_ command: [String], _ what: String) async throws {
        let outcome = try await ChildProcess.run(command)
        guard outcome.status == 0 else {
            throw PostgresServerError("\(what) failed (status \(outcome.status)): \(command.joined(separator: " "))\n\(outcome.output)")
        }
    }

    /// The highest version's binaries in Debian's layout. Not PATH's: other copies may be there
    /// (/usr/local/bin), and Debian's psql on PATH is a wrapper that picks a cluster of its own.
    static func serverBinaries(under root: String = "/usr/lib/postgresql") throws -> String {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
        func number(_ version: String) -> [Int] { version.split(separator: ".").compactMap { Int($0) } }
        guard let highest = versions.max(by: { number($0).lexicographicallyPrecedes(number($1)) }) else {
            throw PostgresServerError(
                "PostgreSQL's server is not installed (no \(root)/*/bin/initdb): `make test-deps` installs Debian's postgresql package")
        }
        return "\(root)/\(highest)/bin"
    }

    private static func runuser() throws -> String {
        guard let path = ["/usr/sbin/runuser", "/sbin/runuser"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw PostgresServerError("running as root, the server runs as postgres through runuser, which is missing: it is in util-linux")
        }
        return path
    }

    /// A free loopback port: bind port 0, read the port the kernel chose, close. Another program
    /// could take it before the server does; rare enough for tests.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PostgresServerError("socket failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard named else { throw PostgresServerError("binding a loopback port failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Why a test cluster could not start or a command on it failed, with what to do when there is
/// something to do (install the server package).
public struct PostgresServerError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    public var errorDescription: String? { description }

    init(_ description: String) {
        self.description = description
    }
}
