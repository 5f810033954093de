import Foundation
import RenderTrackerServer
import Testing

/// `GET /events` over raw HTTP (`Clients/event_stream.py`), with Python's xmlrpc.client writing.
@Suite("The event stream, over raw HTTP")
struct EventStreamTests {
    @Test(arguments: [
        "events_arrive", "coalesced", "resume_with_cursor", "resume_with_last_event_id", "reset_and_removal", "bad_parameters",
        "stream_limit", "monitor_files",
    ])
    func scenario(_ scenario: String) async throws {
        try await RunningServer.with { server in
            let outcome = try await PythonScript.run("event_stream.py", [server.url, scenario])
            #expect(outcome.status == 0, "\(scenario) failed:\n\(outcome.output)")
        }
    }

    @Test("a graceful shutdown ends an open stream cleanly instead of waiting for it")
    func shutdownEndsOpenStream() async throws {
        try await RunningServer.with { server in
            let script = PythonScript.clientsFolder.appendingPathComponent("event_stream.py").path
            let (client, output) = try ChildProcess.start(["python3", script, server.url, "open_until_shutdown"])
            let opened = await ChildProcess.line(containing: "open", in: output)
            #expect(opened != nil, "the stream never opened")
            let stopping = ContinuousClock.now
            await server.stop()
            let outcome = await ChildProcess.wait(for: client, output: output)
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(ContinuousClock.now - stopping < .seconds(5))
        }
    }

    @Test("rendertracker serve exits promptly on SIGTERM with a stream open")
    func sigtermWithOpenStream() async throws {
        let (daemon, daemonOutput) = try ChildProcess.start([
            CommandLineTests.executable, "serve", "--host", "127.0.0.1", "--port", "0",
        ])
        let listening = try #require(await ChildProcess.line(containing: "listening address=", in: daemonOutput))
        let port = try #require(listening.split(separator: ":").last.map(String.init))
        let script = PythonScript.clientsFolder.appendingPathComponent("event_stream.py").path
        let (client, clientOutput) = try ChildProcess.start(["python3", script, "http://127.0.0.1:\(port)", "open_until_shutdown"])
        #expect(await ChildProcess.line(containing: "open", in: clientOutput) != nil, "the stream never opened")
        let stopping = ContinuousClock.now
        daemon.terminate()  // SIGTERM
        let clientOutcome = await ChildProcess.wait(for: client, output: clientOutput)
        let daemonOutcome = await ChildProcess.wait(for: daemon, output: daemonOutput)
        #expect(clientOutcome.status == 0, "\(clientOutcome.output)")
        #expect(daemonOutcome.status == 0, "\(daemonOutcome.output)")
        #expect(ContinuousClock.now - stopping < .seconds(5))
    }
}
