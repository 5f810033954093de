import Foundation
import Testing
import RenderTrackerTesting

/// Running the daemon as a studio service (docs/operations.md): the build it names, its
/// configuration's precedence, who may write, its logs. Each test runs the `rendertracker`
/// executable as a process of its own, and `Clients/operations.py` (Python's urllib) against it.
@Suite("Running as a service")
struct ServiceOperationsTests {
    /// This checkout, where `swift test` built the executable from.
    static let packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("--version names the commit it was built from; /healthz's Server header and /metrics name the same build", .timeLimit(.minutes(1)))
    func version() async throws {
        let printed = try await ChildProcess.run([CommandLineTests.executable, "--version"], separateErrors: true)
        #expect(printed.status == 0, "\(printed.errors)")
        let commit = try await ChildProcess.run(["git", "-C", Self.packageFolder, "rev-parse", "--short=12", "HEAD"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(printed.output.wholeMatch(of: /rendertracker (\S+) \(commit ([0-9a-f]{12})\)\n/), "\(printed.output)")
        #expect(String(match.2) == commit, "the commit is the checkout's HEAD")
        let version = String(match.1)
        #expect(version != "unknown", "built in a git checkout, the version comes from git describe")
        try await expectScenario("build", [version, commit])
    }

    /// Runs `rendertracker serve` (memory store, a free port, `arguments` and `environment` added),
    /// then the scenario against it, and expects both to pass. Returns the daemon's output.
    @discardableResult
    func expectScenario(
        _ scenario: String, _ scenarioArguments: [String] = [], serve arguments: [String] = [], environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let daemon = try ChildProcess.start(
            [CommandLineTests.executable, "serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0"] + arguments,
            environment: environment)
        defer { if daemon.process.isRunning { daemon.process.terminate() } }  // when a #require below fails
        let listening = try #require(await daemon.line(containing: "listening address="), sourceLocation: sourceLocation)
        let port = try #require(listening.split(separator: ":").last.map(String.init), sourceLocation: sourceLocation)
        // Read the daemon's log as it comes: with the pipe full, its next log line would block it.
        let log = Task { await daemon.finish() }
        let outcome = try await PythonScript.run("operations.py", ["http://127.0.0.1:\(port)", scenario] + scenarioArguments)
        daemon.process.terminate()
        let output = await log.value.output
        #expect(outcome.status == 0, "\(scenario) failed:\n\(outcome.output)\ndaemon:\n\(output.suffix(3000))", sourceLocation: sourceLocation)
        return output
    }
}
