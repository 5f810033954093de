#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// One connection to the database, opened when first needed and again after it breaks, used
/// from plain threads: each query blocks its caller until it ends or `timeout` passes, when the
/// connection is closed (failing the query) so that a database that stops answering (a network
/// partition, a stopped VM) cannot hang a caller for ever.
///
/// Blocking is deliberate: the store's callers are the write pipeline and its own threads, none
/// of them async, and the connection's I/O runs on its own event loop, never on the threads it
/// blocks.
final class PostgresLink: Sendable {
    let location: PostgresLocation
    let name: String
    let timeout: TimeAmount
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)
    /// One caller at a time: queries from several threads on one connection would interleave
    /// transactions.
    private let turn = Mutex(())

    /// Session settings the connection starts with (`synchronous_commit`, say).
    let settings: [(String, String)]

    init(
        location: PostgresLocation, name: String, timeout: TimeAmount, settings: [(String, String)] = [], eventLoop: any EventLoop,
        logger: Logger
    ) {
        self.settings = settings
        self.location = location
        self.name = name
        self.timeout = timeout
        self.eventLoop = eventLoop
        self.logger = logger
    }

    /// Runs `body` with the connection (opened if needed) and nobody else's queries between.
    func withConnection<Result>(_ body: (Session) throws -> Result) throws -> Result {
        try turn.withLock { _ in
            let session = Session(connection: try open(), timeout: timeout, logger: logger)
            do {
                return try body(session)
            } catch {
                // A failed query may leave the connection inside a transaction: start afresh.
                drop()
                throw error
            }
        }
    }

    /// A connection in use by one caller.
    struct Session {
        let connection: PostgresConnection
        let timeout: TimeAmount
        let logger: Logger

        @discardableResult
        func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
            try PostgresLink.wait(for: connection.query(query, logger: logger), timeout: timeout) {
                PostgresLink.close(connection)
            }
        }
    }

    /// Sends `query` and returns at once; `Sent.wait()` waits for its answer. For a query whose
    /// answer is needed only later (the flush that overlaps applying a batch); only one caller
    /// uses such a link, so the turn is not held meanwhile.
    func send(_ query: PostgresQuery) throws -> Sent {
        let connection = try turn.withLock { _ in try open() }
        return Sent(future: connection.query(query, logger: logger), connection: connection, timeout: timeout, link: self)
    }

    /// A query on its way.
    struct Sent {
        let future: EventLoopFuture<PostgresQueryResult>
        let connection: PostgresConnection
        let timeout: TimeAmount
        let link: PostgresLink

        func wait() throws {
            do {
                _ = try PostgresLink.wait(for: future, timeout: timeout) { PostgresLink.close(connection) }
            } catch {
                link.drop()
                throw error
            }
        }
    }

    /// The database did not answer in time.
    struct TimedOut: Error, CustomStringConvertible {
        var seconds: Double
        var description: String { "no answer from the database within \(seconds) s" }
    }

    /// Waits for `future` at most `timeout`, then gives up on it (`abandon`) and throws. Not
    /// `wait()`: a query on a connection that broke mid-way (the server restarted under it) was
    /// seen never to complete, and closing such a connection waits for that query too.
    static func wait<Value: Sendable>(
        for future: EventLoopFuture<Value>, timeout: TimeAmount, abandon: () -> Void
    ) throws -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<Value, any Error>?>(nil)
        future.whenComplete { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        guard done.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success,
            let outcome = result.withLock({ $0 })
        else {
            abandon()
            throw TimedOut(seconds: Double(timeout.nanoseconds) / 1e9)
        }
        return try outcome.get()
    }

    deinit {
        // postgres-nio asserts that a connection is closed before it goes.
        drop()
    }

    /// Closes the connection; the next query opens a new one.
    func drop() {
        let old = connection.withLock { connection in
            defer { connection = nil }
            return connection
        }
        Self.close(old)
    }

    /// Closes `connection`, keeping it alive until it is closed (postgres-nio asserts that a
    /// connection is closed before it is freed, and closing takes a trip through its event loop).
    static func close(_ connection: PostgresConnection?) {
        guard let connection else { return }
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    var isOpen: Bool { connection.withLock { $0.map { !$0.isClosed } ?? false } }

    private func open() throws -> PostgresConnection {
        if let current = connection.withLock({ $0 }), !current.isClosed {
            return current
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: try tls())
        configuration.options.connectTimeout = timeout
        // The server ends a statement that runs longer than the caller waits (a lock held by a
        // daemon that hangs), so nothing is left running for an answer nobody reads.
        configuration.options.additionalStartupParameters = [("statement_timeout", "\(timeout.nanoseconds / 1_000_000)")] + settings
        let connecting = PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 1, logger: logger)
        let opened = try Self.wait(for: connecting, timeout: timeout + timeout) {
            connecting.whenSuccess { connection in Self.close(connection) }
        }
        connection.withLock { $0 = opened }
        return opened
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        guard location.requiresTLS else { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = location.rootCertificateFile {
            configuration.trustRoots = .file(file)
        }
        return .require(try NIOSSLContext(configuration: configuration))
    }

    /// What a database error says, for logs and `/healthz`: postgres-nio's own description hides
    /// the server's message (it may quote data), which is what an operator needs here.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState] ?? "?"
                // 42501, insufficient_privilege: the role may not create or use the schema.
                let hint = state == "42501"
                    ? ": connect as the role that owns the database and its rendertracker schema (docs/operations.md, When something is wrong)" : ""
                return "\(message) (SQLSTATE \(state))\(hint)"
            }
            if error.code == .sslUnsupported {
                return "the server does not accept TLS (sslmode asks for it): turn ssl on in its postgresql.conf, or leave sslmode out"
            }
            if let tls = error.underlying as? NIOSSLError, case .handshakeFailed(let cause) = tls,
                "\(cause)".contains("CERTIFICATE_VERIFY_FAILED")
            {
                return "the server's certificate is not signed by an authority this daemon trusts (the system's, or those in the file "
                    + "sslrootcert names): name the studio's authority with sslrootcert=PATH"
            }
            if error.code == .serverClosedConnection {
                return "the server closed the connection (it stopped or restarted, or what listens there is not PostgreSQL)"
            }
            if let failure = error.underlying as? NIOConnectionError {
                return describe(failure)
            }
            if case .connectTimeout(let after) = error.underlying as? ChannelError {
                return "the server did not accept a connection within \(Double(after.nanoseconds) / 1e9) s: "
                    + "check that nothing (a firewall, a stopped machine) drops the way to it"
            }
            if let underlying = error.underlying {
                return "\(error.code): \(underlying)"
            }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// A failed connection in words, with what to check: NIO's own text names its types
    /// (`SingleConnectionFailure(target: [IPv4]...`), not what went wrong.
    private static func describe(_ failure: NIOConnectionError) -> String {
        if let lookup = failure.dnsAError ?? failure.dnsAAAAError {
            let why = (lookup as? SocketAddressError.UnknownHost)?.errorDescription ?? "\(lookup)"
            return "cannot find the host \(failure.host) (\(why)): check the host name in the URL"
        }
        let attempts = failure.connectionErrors.map { attempt in
            let why = (attempt.error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(attempt.error)"
            return "\(attempt.target.ipAddress ?? "\(attempt.target)"): \(why)"
        }
        return "cannot connect to \(failure.host):\(failure.port) (\(attempts.joined(separator: "; "))): "
            + "check that PostgreSQL runs there and listens on that address and port (listen_addresses, port in postgresql.conf)"
    }
}
