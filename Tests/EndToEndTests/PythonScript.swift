import Foundation
import RenderTrackerServer
import Testing
import RenderTrackerTesting

/// Runs one of the Python client scripts in `Clients/` (the real `xmlrpc.client`, as HQueue's
/// farm jobs use it) and returns its exit status and combined output.
enum PythonScript {
    static let clientsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

    /// How to run Python 2.7 here (pyenv's 2.7.18), or nil when the machine has none.
    static let python27: [String]? = {
        let candidates: [[String]] = [["python2.7"], ["env", "PYENV_VERSION=2.7.18", "python2.7"]]
        return candidates.first { candidate in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = candidate + ["-c", "import sys; assert sys.version_info[:2] == (2, 7)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }()

    /// Runs one scenario of a client script (`script URL SCENARIO`) against a fresh daemon on
    /// `store` and expects it to pass, reporting the script's output when it does not.
    static func expectScenario(
        _ script: String, _ scenario: String, configuration: RenderTrackerConfiguration = RenderTrackerConfiguration(),
        on store: ScenarioStore = .memory, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await RunningServer.with(configuration: try await store.applied(to: configuration)) { server in
            let outcome = try await run(script, [server.url, scenario])
            #expect(outcome.status == 0, "\(scenario) failed:\n\(outcome.output)", sourceLocation: sourceLocation)
        }
    }

    /// - Parameter interpreter: the command that runs Python (`python3`, or Python 2.7 through pyenv).
    static func run(_ script: String, _ arguments: [String], interpreter: [String] = ["python3"]) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(interpreter + [clientsFolder.appendingPathComponent(script).path] + arguments)
    }
}
