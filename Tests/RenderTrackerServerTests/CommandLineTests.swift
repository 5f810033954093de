import Foundation
import Testing

/// The `rendertracker` executable itself, as operators and scripts use it.
@Suite("The rendertracker command")
struct CommandLineTests {
    /// The executable `swift test` built beside this test bundle.
    static let executable: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rendertracker")
        return beside.path
    }()

    private func rendertracker(_ arguments: String...) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run([Self.executable] + arguments, separateErrors: true)
    }

    @Test("call sends JSON values and bare words, and prints the result as JSON")
    func callPrintsJSON() async throws {
        try await RunningServer.with { server in
            let url = server.url + "/rpc"
            let started = try await rendertracker("call", "--url", url, "startedRenderProject", "bob/cli", "[3,1,2]", "false", "77")
            #expect(started.status == 0 && started.output == "true\n", "\(started.errors)")
            let progress = try await rendertracker("call", "--url", url, "setFrameRenderFraction", "bob/cli", "2", "0.5")
            #expect(progress.output == "true\n")
            let frames = try await rendertracker("call", "--url", url, "getAllFramesInfo", "bob/cli")
            #expect(frames.output == "[[1,0,0.0],[2,3,0.5],[3,0,0.0]]\n")
            let quoted = try await rendertracker("call", "--url", url, "getFrameJobID", "bob/cli", "1")
            #expect(quoted.output == "\"77\"\n", "the job id given as 77 is kept as the string \"77\"")
            let absent = try await rendertracker("call", "--url", url, "getImagePath", "bob/cli", "1")
            #expect(absent.output == "null\n")
        }
    }

    @Test("call reports a fault on standard error and exits 1")
    func callFault() async throws {
        try await RunningServer.with { server in
            let outcome = try await rendertracker("call", "--url", server.url + "/rpc", "isProjectDone", "no/such")
            #expect(outcome.status == 1)
            #expect(outcome.output.isEmpty)
            #expect(outcome.errors.contains("fault 1: no such project: \"no/such\""), "\(outcome.errors)")
        }
    }

    @Test("call exits 2 when no tracker answers, saying where it tried")
    func callUnreachable() async throws {
        // Port 1 on loopback: nothing listens there.
        let outcome = try await rendertracker("call", "--url", "http://127.0.0.1:1/rpc", "isRunning")
        #expect(outcome.status == 2)
        #expect(outcome.errors.contains("cannot reach http://127.0.0.1:1/rpc"), "\(outcome.errors)")
    }

    @Test("serve refuses bad option values with a message and usage", arguments: [
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--log-level", "loud"], "--log-level must be one of trace, debug, info"),
        (["--max-depth", "5"], "--max-depth must be at least 10"),
        (["--idle-timeout=-1"], "--idle-timeout must be 0 (never)"),
    ])
    func serveValidation(arguments: [String], message: String) async throws {
        let outcome = try await ChildProcess.run([Self.executable, "serve"] + arguments, separateErrors: true)
        #expect(outcome.status == 64)
        #expect(outcome.errors.contains(message), "\(outcome.errors)")
    }

    @Test("serve on a port in use exits 1 with a plain message")
    func servePortInUse() async throws {
        try await RunningServer.with { server in
            let outcome = try await rendertracker("serve", "--host", "127.0.0.1", "--port", "\(server.port)")
            #expect(outcome.status == 1)
            #expect(outcome.errors.contains("127.0.0.1:\(server.port) is already in use"), "\(outcome.errors)")
            #expect(!outcome.errors.contains("Usage:"))
        }
    }

    @Test("serve stops cleanly on SIGTERM, exit code 0", .timeLimit(.minutes(1)))
    func serveStopsOnSIGTERM() async throws {
        let daemon = try ChildProcess.start([Self.executable, "serve", "--host", "127.0.0.1", "--port", "0"])
        // The notice line comes once the port is bound.
        let listening = await daemon.waitForOutput(containing: "rendertracker listening")
        #expect(listening, "the daemon never said it was listening")
        daemon.process.terminate()  // SIGTERM
        let outcome = await daemon.finish()
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("rendertracker stopped"), "\(outcome.output)")
    }
}
