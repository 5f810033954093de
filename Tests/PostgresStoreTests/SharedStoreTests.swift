import Foundation
import Logging
import PostgresStore
import RenderTracker
import RenderTrackerService
import RenderTrackerTesting
import RPC
import Testing

/// Daemons on one PostgreSQL database, in this process: each a `TrackerCore` on a
/// `PostgresStore` of its own, on a real server the tests start (`PostgresServer`).
@Suite("The PostgreSQL store", .timeLimit(.minutes(2)))
struct SharedStoreTests {
    /// One daemon's life on the database at `url`.
    final class Daemon: Sendable {
        let store: PostgresStore
        let core: TrackerCore

        init(_ url: String, commitTimeout: Double = 2, limits: TrackerLimits = TrackerLimits(), logger: Logger = .silent) throws {
            store = try PostgresStore(location: try PostgresLocation(parsing: url), commitTimeout: commitTimeout, logger: logger)
            let restored = try store.restore(limits: limits)
            core = TrackerCore(configuration: TrackerConfiguration(trackerLimits: limits), logger: .silent, store: store, restored: restored)
        }

        func call(_ method: String, _ params: [RPCValue]) throws -> RPCValue {
            try core.dispatcher.call(method, params, client: "10.1.0.7").get()
        }

        /// What a client can read, through the RPC methods, but the estimate (it reads the clock,
        /// so two reads a moment apart differ).
        func snapshot() async throws -> RPCValue {
            let snapshot = try await TrackerSnapshot.take(logTimes: true) { method, params in try call(method, params) }
            guard case .structure(var projects) = snapshot else { return snapshot }
            for (name, value) in projects {
                guard case .structure(var project) = value, case .structure(var summary)? = project["summary"] else { continue }
                for field in ["seconds_left", "seconds_left_low", "seconds_left_high"] { summary[field] = nil }
                project["summary"] = .structure(summary)
                projects[name] = .structure(project)
            }
            return .structure(projects)
        }

        /// The background work the daemon's `StoreService` does: the lease, checkpoints.
        func tick() {
            store.tick(core.tracker)
        }

        func close() {
            store.close(core.tracker)
        }
    }

    private func database() async throws -> String {
        try await PostgresServer.shared().makeDatabase(prefix: "store")
    }

    /// Two daemons on a new database, closed gracefully after `body`.
    private func withTwoDaemons(_ body: (Daemon, Daemon, String) async throws -> Void) async throws {
        let url = try await database()
        let a = try Daemon(url)
        let b = try Daemon(url)
        defer {
            a.close()
            b.close()
        }
        try await body(a, b, url)
    }

    /// Waits until `daemon` has applied everything in the log (it does so on its own within half
    /// a second; a read with a cursor from ahead asks it to at once).
    private func caughtUp(_ daemon: Daemon, to eventID: Int) {
        daemon.core.tracker.catchUp(toEventID: eventID)
    }

    @Test("writes through either of two daemons: both give out the same ids and show the same state")
    func twoDaemonsAgree() async throws {
        try await withTwoDaemons { a, b, _ in
            _ = try a.call("startedRenderProject", [.string("shot/a"), .array((1...20).map(RPCValue.int)), .bool(false), .string("7")])
            for frame in 1...20 {
                let daemon = frame % 2 == 0 ? a : b
                _ = try daemon.call("startedFrameRender", [.string("shot/a"), .int(frame), .string("7"), .string("/r/\(frame).exr")])
                _ = try daemon.call("setFrameRenderFraction", [.string("shot/a"), .int(frame), .double(frame % 3 == 0 ? 1 : 0.5)])
            }
            _ = try b.call("setFrameError", [.string("shot/a"), .int(4), .string("license\0server down")])
            let counter = try a.call("incrementAndGetLastEventId", [])
            guard case .int(let last) = counter else { Issue.record("the counter: \(counter)"); return }
            caughtUp(b, to: last)
            let fromA = try await a.snapshot()
            let fromB = try await b.snapshot()
            #expect(fromA == fromB, "the two daemons differ")
            let changes = try b.call("getChangedFrames", [.string("shot/a"), .int(last - 3)])
            #expect(changes == (try a.call("getChangedFrames", [.string("shot/a"), .int(last - 3)])), "one cursor, the same answer from both")
        }
    }

    @Test("a checkpoint that failed before the lease moved on leaves no lasting problem on the daemon that lost it")
    func failedCheckpointThenLeaseLost() async throws {
        try await withTwoDaemons { a, b, url in
            let database = Self.name(of: url)
            try await until("daemon A holds the lease") { a.tick(); return a.store.leadsSharedWork }
            try await Task.sleep(for: .milliseconds(300))  // its first, whole checkpoint
            _ = try a.call("startedRenderProject", [.string("lease/shot"), .array([.int(1), .int(2)]), .bool(false), .string("5")])
            _ = try await PostgresServer.shared().sql("ALTER TABLE rendertracker.frames RENAME TO frames_away", database: database)
            a.store.checkpoint(a.core.tracker)
            let problem = a.store.health.problem
            #expect(problem?.contains("writing a checkpoint") == true, "\(String(describing: problem))")
            _ = try await PostgresServer.shared().sql("ALTER TABLE rendertracker.frames_away RENAME TO frames", database: database)
            // A's session ends (its lease with it), and B takes the lease.
            _ = try await PostgresServer.shared().sql("""
                SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
                    AND ((classid::bigint << 32) | objid::bigint) = \(0x7274_6c65_6173) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, database: database)
            try await until("daemon B takes the lease") { b.tick(); return b.store.leadsSharedWork }
            try await until("daemon A is healthy again") { a.tick(); return a.store.health.problem == nil }
            #expect(!a.store.leadsSharedWork)
        }
    }

    /// Polls `condition` every 50 ms for at most 10 s; records an issue naming `what` if it never holds.
    private func until(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("waited 10 s for: \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("the store's size is its own tables', not the whole database's")
    func storeBytes() async throws {
        try await withTwoDaemons { a, _, url in
            a.tick()
            try await until("daemon A measures its store") { a.store.health.bytesOnDisk != 0 }
            let database = Int(try await PostgresServer.shared().sql("SELECT pg_database_size(current_database())", database: Self.name(of: url)))
            let bytes = a.store.health.bytesOnDisk
            // The tables and indexes of the schema, empty but for a page or two each: tens of KB,
            // where the database's catalogs alone are megabytes.
            #expect(bytes > 0 && bytes < 1_000_000, "\(bytes) bytes")
            #expect(bytes < (database ?? 0) / 4, "\(bytes) of a database of \(String(describing: database))")
        }
    }

    @Test("a daemon started later, and one restarted, restore what the others answered: before and after a checkpoint")
    func restartRestores() async throws {
        let url = try await database()
        let a = try Daemon(url)
        _ = try a.call("startedRenderProject", [.string("shot/b"), .array((1...50).map(RPCValue.int)), .bool(true), .string("9")])
        for frame in 1...30 {
            _ = try a.call("startedGeneratingFrameIFD", [.string("shot/b"), .int(frame)])
            _ = try a.call("endedGeneratingFrameIFD", [.string("shot/b"), .int(frame)])
            _ = try a.call("startedFrameRender", [.string("shot/b"), .int(frame), .string("9"), .string("")])
            _ = try a.call("setFrameRenderFraction", [.string("shot/b"), .int(frame), .double(1)])
        }
        // Before any checkpoint: all from the log.
        let late = try Daemon(url)
        #expect(try await late.snapshot() == (try await a.snapshot()), "a daemon started later, from the log alone")
        late.close()
        // The lease holder writes a checkpoint; later writes are in the log after it.
        a.tick()
        a.store.checkpoint(a.core.tracker)
        _ = try a.call("setFrameError", [.string("shot/b"), .int(31), .string("out of memory")])
        _ = try a.call("startedRenderProject", [.string("shot/c"), .array([.int(1), .int(2)]), .bool(false), .string("10")])
        let expected = try await a.snapshot()
        a.close()
        let again = try Daemon(url)
        defer { again.close() }
        #expect(try await again.snapshot() == expected, "restarted from the checkpoint and the log after it")
        let rows = try await PostgresServer.shared().sql("SELECT count(*) FROM rendertracker.frames", database: Self.name(of: url))
        // The lease holder's last checkpoint, at its graceful stop: shot/b's 50 frames, shot/c's 2.
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "52", "the checkpoint holds every frame: \(rows)")
    }

    @Test("past renders: a render replaced on one daemon is in the history on the other")
    func pastRenders() async throws {
        try await withTwoDaemons { a, b, url in
            _ = try a.call("startedRenderProject", [.string("shot/d"), .array([.int(1), .int(2), .int(3)]), .bool(false), .string("1")])
            _ = try a.call("setFrameRenderFraction", [.string("shot/d"), .int(1), .double(1)])
            _ = try a.call("startedRenderProject", [.string("shot/d"), .array([.int(1), .int(2), .int(3)]), .bool(false), .string("2")])
            let counter = try a.call("incrementAndGetLastEventId", [])
            guard case .int(let last) = counter else { return }
            caughtUp(b, to: last)
            let history = try b.call("getRenderHistory", [.string("shot/d")])
            guard case .array(let renders) = history else { Issue.record("history: \(history)"); return }
            #expect(renders.count == 2, "the live render and the replaced one: \(history)")
            // Written to the database by the lease holder, and read back from there by a new daemon.
            for daemon in [a, b] { daemon.tick() }
            a.store.checkpoint(a.core.tracker)
            let fresh = try Daemon(url)
            defer { fresh.close() }
            #expect(try fresh.call("getRenderHistory", [.string("shot/d")]) == history, "from the database")
        }
    }

    @Test("no database at the address: the store says which and why, and nothing starts")
    func unreachable() async throws {
        let error = #expect(throws: StoreError.self) {
            try PostgresStore(location: try PostgresLocation(parsing: "postgres://rendertracker@127.0.0.1:1/none"), logger: .silent)
        }
        #expect(
            error?.description.contains(
                "cannot open the store postgres://rendertracker@127.0.0.1:1/none: cannot connect to 127.0.0.1:1 (127.0.0.1: Connection refused): "
                    + "check that PostgreSQL runs there") == true,
            "\(String(describing: error))")
    }

    @Test("a role without rights on the schema is refused with what to grant")
    func roleWithoutRights() async throws {
        let url = try await database()
        try Daemon(url).close()
        let name = Self.name(of: url)
        _ = try await PostgresServer.shared().sql("DROP ROLE IF EXISTS visitor; CREATE ROLE visitor LOGIN", database: name)
        let visitor = url.replacingOccurrences(of: "//rendertracker@", with: "//visitor@")
        let error = #expect(throws: StoreError.self) { try Daemon(visitor) }
        #expect(
            error?.description.contains("permission denied for schema rendertracker (SQLSTATE 42501): connect as the role that owns the database and its rendertracker schema") == true,
            "\(String(describing: error))")
    }

    @Test("a database migrated by a newer rendertracker is refused, not misread")
    func newerSchema() async throws {
        let url = try await database()
        try Daemon(url).close()
        _ = try await PostgresServer.shared().sql("UPDATE rendertracker.schema_version SET version = 99", database: Self.name(of: url))
        let error = #expect(throws: StoreError.self) { try Daemon(url) }
        #expect(error?.description.contains("migrated by a newer rendertracker (schema 99") == true, "\(String(describing: error))")
    }

    @Test("daemons on one database apply the same limits: other ones are refused while a daemon runs, and take effect once none does")
    func limitsAgree() async throws {
        let url = try await database()
        let usual = try Daemon(url)
        let other = TrackerLimits(messageBytes: 1024, maxLiveProjects: 50)
        let refused = #expect(throws: StoreError.self) { try Daemon(url, limits: other) }
        #expect(
            refused?.description.contains(
                "apply other limits (max-message-bytes 65536 there, 1024 here; max-live-projects 10000 there, 50 here)") == true,
            "\(String(describing: refused))")
        let alike = try Daemon(url)
        alike.close()
        // Still running: the first daemon holds the limits.
        #expect(throws: StoreError.self) { try Daemon(url, limits: other) }
        usual.close()

        // None runs: the new limits take effect, for a daemon that starts with them and for its peers.
        let changed = try Daemon(url, limits: other)
        defer { changed.close() }
        let back = #expect(throws: StoreError.self) { try Daemon(url) }
        #expect(back?.description.contains("(max-message-bytes 1024 there, 65536 here; max-live-projects 50 there, 10000 here)") == true,
            "\(String(describing: back))")
        let peer = try Daemon(url, limits: other)
        peer.close()
    }

    @Test("TLS: the server verified against the certificate sslrootcert names; refused, saying why, against the system's authorities")
    func tls() async throws {
        let server = try await PostgresServer.start(tls: true)
        defer { Task { try? await server.stop() } }
        let url = try await server.makeDatabase(prefix: "tls")
        do {
            let verified = try Daemon(url + "?sslmode=verify-full&sslrootcert=" + server.certificateFile)
            defer { verified.close() }
            #expect(try verified.call("startedRenderProject", [.string("tls/shot"), .array([.int(1)]), .bool(false), .string("3")]) == .bool(true))
            #expect(verified.store.description.hasSuffix("?sslmode=verify-full&sslrootcert=\(server.certificateFile)"))
            // Every connection of the daemon's is encrypted (the log's, the flush's, the listener's, the rest's).
            let encrypted = try await server.sql(
                "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE ssl AND datname = current_database() AND pid <> pg_backend_pid()",
                database: Self.name(of: url))
            #expect((Int(encrypted) ?? 0) >= 3, "\(encrypted) connections with TLS")
            let refused = #expect(throws: StoreError.self) { try Daemon(url + "?sslmode=require") }
            #expect(refused?.description.contains("cannot open the store \(url)?sslmode=verify-full") == true, "\(String(describing: refused))")
            #expect(refused?.description.lowercased().contains("certificate") == true, "\(String(describing: refused))")
        }
    }

    @Test("URLs: the parts, the password's sources, and clear refusals", arguments: [
        ("postgres://tracker@db.lan/renders", "postgres://tracker@db.lan:5432/renders"),
        ("postgresql://tracker:s%40cret@db.lan:6543/renders?sslmode=require", "postgres://tracker@db.lan:6543/renders?sslmode=verify-full"),
        ("postgres://tracker@[fd00::5]:6543/renders", "postgres://tracker@[fd00::5]:6543/renders"),
    ])
    func urls(_ text: String, _ shown: String) throws {
        let location = try PostgresLocation(parsing: text)
        #expect(location.description == shown)
        #expect(!location.description.contains("cret"), "the password is never shown")
        if text.contains("[fd00::5]") {
            #expect(location.host == "fd00::5", "an IPv6 address is connected to without the URL's brackets")
        }
        if text.contains("s%40cret") {
            #expect(location.password == "s@cret")
            #expect(location.requiresTLS)
        }
    }

    @Test("URLs that are not usable say what is wrong", arguments: [
        ("postgres://db.lan", "names no database"),
        ("postgres:///renders", "names no host"),
        ("mysql://db.lan/renders", "is not a PostgreSQL URL"),
        ("postgres://u:hunter2@db.lan/r?sslmode=sometimes", "sslmode=sometimes"),
        ("postgres://u:hunter2@db.lan/r?connect_timeout=5", "the URL parameter connect_timeout is not one rendertracker takes"),
        ("postgres://u:hunter2@db.lan/r?sslrootcert=/etc/ssl/certs/studio.pem", "sslrootcert=/etc/ssl/certs/studio.pem is for TLS connections"),
        ("postgres://u:hunter2@db.lan/r?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", "the certificate file /nonexistent/ca.pem (sslrootcert) cannot be read"),
    ])
    func badURLs(_ text: String, _ said: String) {
        let error = #expect(throws: StoreError.self) { try PostgresLocation(parsing: text) }
        #expect(error?.description.contains(said) == true, "\(String(describing: error))")
        #expect(error?.description.contains("hunter2") != true, "a password in a refused URL is not repeated")
    }

    @Test("the password from a file named in the configuration")
    func passwordFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)").path
        try "from-file\nignored\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let location = try PostgresLocation(parsing: "postgres://tracker@db.lan/renders", passwordFile: path)
        // PGPASSWORD would win over the file.
        if ProcessInfo.processInfo.environment["PGPASSWORD"] == nil {
            #expect(location.password == "from-file")
            let error = #expect(throws: StoreError.self) {
                try PostgresLocation(parsing: "postgres://tracker@db.lan/renders", passwordFile: path + ".missing")
            }
            #expect(error?.description.contains("cannot be read") == true)
        }
    }

    static func name(of url: String) -> String {
        String(url.split(separator: "/").last ?? "")
    }
}
