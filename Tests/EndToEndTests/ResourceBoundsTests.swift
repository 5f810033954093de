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
        let outcome = try await PythonScript.run(
            "resource_bounds.py", ["http://127.0.0.1:\(port)", scenario, "\(daemon.process.processIdentifier)"])
        daemon.process.terminate()
        let output = await daemon.finish().output
        #expect(outcome.status == 0, "\(scenario) failed:\n\(outcome.output)\ndaemon:\n\(output.suffix(3000))", sourceLocation: sourceLocation)
        return output
    }
}
