import RenderTrackerServer
import Testing
import RenderTrackerTesting

/// HQueue's real call sequences, sent by Python's own xmlrpc.client to the real daemon.
@Suite("HQueue clients, through Python's xmlrpc.client")
struct HQueueCompatibilityTests {
    @Test(arguments: [
        "ifd_route", "render_from_hip", "existing_ifds", "tiled", "retry_after_error", "rerender_stale_cursor",
        "multicall", "project_error", "cloud_download", "introspection", "types_and_faults", "gzip_both_ways",
    ], ScenarioStore.allCases)
    func route(_ scenario: String, _ store: ScenarioStore) async throws {
        try await PythonScript.expectScenario("hqueue_routes.py", scenario, on: store)
    }

    @Test("the drop-in rendertracker.py module, on Python 3")
    func dropInModulePython3() async throws {
        try await RunningServer.with { server in
            let outcome = try await PythonScript.run("hqueue_client_module.py", [server.url])
            #expect(outcome.status == 0, "\(outcome.output)")
        }
    }

    @Test("the drop-in rendertracker.py module, on Python 2.7", .enabled(if: PythonScript.python27 != nil))
    func dropInModulePython27() async throws {
        let interpreter = try #require(PythonScript.python27)
        try await RunningServer.with { server in
            let outcome = try await PythonScript.run("hqueue_client_module.py", [server.url], interpreter: interpreter)
            #expect(outcome.status == 0, "\(outcome.output)")
        }
    }
}

/// The HQueue client module sends `RENDERTRACKER_TOKEN` as the admin token, on Python 3 and 2.7.
@Suite("The HQueue client module and the admin token")
struct HQueueModuleTokenTests {
    @Test("removeProject is refused without RENDERTRACKER_TOKEN and done with it, on Python 3")
    func tokenPython3() async throws {
        try await expectTokenChecks(interpreter: ["python3"])
    }

    @Test("removeProject is refused without RENDERTRACKER_TOKEN and done with it, on Python 2.7", .enabled(if: PythonScript.python27 != nil))
    func tokenPython27() async throws {
        try await expectTokenChecks(interpreter: try #require(PythonScript.python27))
    }

    private func expectTokenChecks(interpreter: [String]) async throws {
        let configuration = RenderTrackerConfiguration(access: AccessPolicy(adminToken: "t0ken"))
        try await RunningServer.with(configuration: configuration) { server in
            let outcome = try await PythonScript.run("hqueue_client_module.py", [server.url, "t0ken"], interpreter: interpreter)
            #expect(outcome.status == 0, "\(outcome.output)")
        }
    }
}

/// Requests no client should send; each gets the right fault or HTTP status and the server keeps serving.
@Suite("Hostile and malformed requests")
struct HostileRequestTests {
    @Test(arguments: [
        "malformed_xml", "doctype_bomb", "deep_nesting", "oversized_body", "gzip_bomb", "text_plain_and_paths",
        "json_rpc", "slow_client_does_not_block_others",
    ], ScenarioStore.allCases)
    func request(_ scenario: String, _ store: ScenarioStore) async throws {
        try await PythonScript.expectScenario("hostile_requests.py", scenario, on: store)
    }

    @Test("a client that stalls mid-request is disconnected after the idle timeout")
    func stalledClient() async throws {
        let configuration = RenderTrackerConfiguration(idleTimeoutSeconds: 1)
        try await PythonScript.expectScenario("hostile_requests.py", "stalled_client_is_disconnected", configuration: configuration)
    }
}
