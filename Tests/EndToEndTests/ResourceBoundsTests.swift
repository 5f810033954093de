import Foundation
import Testing
import RenderTrackerTesting

/// What no number of clients can take from the daemon (docs/operations.md § Limits): the
/// `rendertracker` executable attacked over raw sockets by `Clients/resource_bounds.py`, whose
/// farm call (Python's xmlrpc.client) must still be served. The daemon runs as a process of its
/// own so that its memory can be read from /proc.
@Suite("Bounded memory and connections")
struct ResourceBoundsTests {
    @Test("request bodies held at once stay within the budget: the excess is 503, a farm call still served", .timeLimit(.minutes(2)))
    func heldBodies() async throws {
        try await expectScenario("held_bodies")
    }

    @Test("a body trickled at 2 bytes/s is cut off at the request deadline, with a log line", .timeLimit(.minutes(1)))
    func trickledBody() async throws {
        let output = try await expectScenario("trickled_body", serve: ["--request-seconds", "2", "--idle-timeout", "5"])
        #expect(output.contains("closed connection: request not complete in time client=127.0.0.1 request=POST /RPC2 seconds=2"), "\(output)")
    }

    /// systemd's default soft limit of 1,024 open files with the hard limit left as it is: the
    /// daemon raises its soft limit to the hard one and says so.
    @Test(
        "1,100 idle sockets at a soft limit of 1,024 open files: the daemon raises it, a farm call is served, no core is burned",
        .timeLimit(.minutes(1)), .enabled(if: Self.hardFileLimit >= 1400))
    func idleSocketsRaisedLimit() async throws {
        let output = try await expectScenario("idle_sockets", wrapper: Self.fileLimit(soft: 1024, hard: Self.hardFileLimit))
        let connections = min(16_384, Self.hardFileLimit - 128)
        #expect(output.contains("open files limit=\(Self.hardFileLimit) maxConnections=\(connections) raisedFrom=1024"), "\(output)")
    }

    /// A hard limit of 1,024 too: the daemon cannot raise it, and its connection limit (896)
    /// closes the longest-idle sockets to make room for the farm's call.
    @Test("1,100 idle sockets at a hard limit of 1,024 open files: idle ones make room, a farm call is served", .timeLimit(.minutes(1)))
    func idleSocketsAtTheConnectionLimit() async throws {
        let output = try await expectScenario("idle_sockets", wrapper: Self.fileLimit(soft: 1024, hard: 1024))
        #expect(output.contains("open files limit=1024 maxConnections=896 raisedFrom=1024"), "\(output)")
        #expect(output.contains("at the connection limit closedIdle="), "\(output)")
    }

    @Test("at the connection limit with every connection busy, a new one is refused with a log line", .timeLimit(.minutes(1)))
    func busyConnections() async throws {
        let output = try await expectScenario("busy_connections", serve: ["--max-connections", "20"])
        #expect(output.contains("at the connection limit closedIdle=0 interval=10.0 seconds maximum=20 refused=1"), "\(output)")
    }

    @Test("memory of removed projects is given back to the system", .timeLimit(.minutes(1)))
    func memoryGivenBack() async throws {
        let output = try await expectScenario("memory_given_back")
        #expect(output.contains("memory given back departedEstimate="), "\(output)")
    }

    /// A command prefix that runs the daemon with these open-file limits (in place: same process).
    private static func fileLimit(soft: Int, hard: Int) -> [String] {
        [
            "python3", "-c",
            "import os, resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[1]), int(sys.argv[2]))); os.execvp(sys.argv[3], sys.argv[3:])",
            "\(soft)", "\(hard)",
        ]
    }

    /// This process's hard limit on open files, which the daemon inherits.
    static let hardFileLimit: Int = {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        return Int(clamping: limit.rlim_max)
    }()

    /// Runs `rendertracker serve` (behind `wrapper`, e.g. `prlimit`) on a free port, then the
    /// scenario against it, and expects both to pass. Returns the daemon's output.
    @discardableResult
    private func expectScenario(
        _ scenario: String, serve arguments: [String] = [], wrapper: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let daemon = try ChildProcess.start(
            wrapper + [CommandLineTests.executable, "serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0"] + arguments)
        defer { if daemon.process.isRunning { daemon.process.terminate() } }  // when a #require below fails
        let listening = try #require(await daemon.line(containing: "listening address="), sourceLocation: sourceLocation)
        let port = try #require(listening.split(separator: ":").last.map(String.init), sourceLocation: sourceLocation)
        // Read the daemon's log as it comes: with the pipe full, its next log line would block it.
        let log = Task { await daemon.finish() }
        let outcome = try await PythonScript.run(
            "resource_bounds.py", ["http://127.0.0.1:\(port)", scenario, "\(daemon.process.processIdentifier)"])
        daemon.process.terminate()
        let output = await log.value.output
        #expect(outcome.status == 0, "\(scenario) failed:\n\(outcome.output)\ndaemon:\n\(output.suffix(3000))", sourceLocation: sourceLocation)
        return output
    }
}
