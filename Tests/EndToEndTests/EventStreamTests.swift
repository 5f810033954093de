import Foundation
import RenderTrackerServer
import Testing
import RenderTrackerTesting

/// `GET /events` over raw HTTP (`Clients/event_stream.py`), with Python's xmlrpc.client writing.
@Suite("The event stream, over raw HTTP")
struct EventStreamTests {
    @Test(arguments: [
        "events_arrive", "resume_with_cursor", "resume_with_last_event_id", "reset_and_removal", "bad_parameters",
        "stream_limit", "monitor_files", "name_with_space", "paged_first_batch",
    ], ScenarioStore.allCases)
    func scenario(_ scenario: String, _ store: ScenarioStore) async throws {
        try await PythonScript.expectScenario("event_stream.py", scenario, on: store)
    }

    /// On the default store only: its bound (fewer than 100 batches for 1,000 writes, at most 4
    /// batches a second) holds while one client's 1,000 writes take under 25 s. On PostgreSQL each
    /// write waits for the shared log, and in CI beside the other tests they took longer (103
    /// batches, 2026-12-04). Coalescing is the stream's work, the same on every store.
    @Test("a busy project's changes come in a few batches, not one message each")
    func coalesced() async throws {
        try await PythonScript.expectScenario("event_stream.py", "coalesced")
    }

    /// Starts a client that holds a stream open and expects it to end cleanly within 5 s of the
    /// shutdown the caller then starts; returns once the stream is served.
    private func openStream(_ url: String) async throws -> ChildProcess.Running {
        let script = PythonScript.clientsFolder.appendingPathComponent("event_stream.py").path
        let client = try ChildProcess.start(["python3", script, url, "open_until_shutdown"])
        #expect(await client.line(containing: "open") != nil, "the stream never opened")
        return client
    }

    @Test("a graceful shutdown ends an open stream cleanly instead of waiting for it")
    func shutdownEndsOpenStream() async throws {
        try await RunningServer.with { server in
            let client = try await openStream(server.url)
            let stopping = ContinuousClock.now
            await server.stop()
            let outcome = await client.finish()
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(ContinuousClock.now - stopping < .seconds(5))
        }
    }

    @Test("rendertracker serve exits promptly on SIGTERM with a stream open")
    func sigtermWithOpenStream() async throws {
        let daemon = try ChildProcess.start([CommandLineTests.executable, "serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0"])
        defer { if daemon.process.isRunning { daemon.process.terminate() } }  // when a #require below fails
        let listening = try #require(await daemon.line(containing: "listening address="))
        let port = try #require(listening.split(separator: ":").last.map(String.init))
        let client = try await openStream("http://127.0.0.1:\(port)")
        let stopping = ContinuousClock.now
        daemon.process.terminate()  // SIGTERM
        let clientOutcome = await client.finish()
        let daemonOutcome = await daemon.finish()
        #expect(clientOutcome.status == 0, "\(clientOutcome.output)")
        #expect(daemonOutcome.status == 0, "\(daemonOutcome.output)")
        #expect(ContinuousClock.now - stopping < .seconds(5))
    }
}
