import Foundation
import Testing
import RenderTrackerTesting

/// `rendertracker scenario`: the shipped scenarios, and what a failing one looks like.
@Suite("Scenario scripts")
struct ScenarioCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func rendertracker(_ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run([CommandLineTests.executable] + arguments, separateErrors: true)
    }

    private func scripts(in folder: String) throws -> [String] {
        let url = Self.repository.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".lua") }.sorted()
            .map { url.appendingPathComponent($0).path }
    }

    /// A scenario in a temporary file; the path is what messages name.
    func temporaryScenario(_ code: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).lua").path
        try code.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("Every shipped scenario passes")
    func shippedScenarios() async throws {
        let files = try scripts(in: "examples/scenarios")
        #expect(files.count >= 9, "the issue asks for at least eight scenarios")
        let outcome = try await rendertracker(["scenario", "run"] + files)
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.output.hasSuffix(" passed, 0 failed\n"), "\(outcome.output)")
        #expect(!outcome.output.contains("FAIL"))
    }

    @Test("Every shipped scenario that needs plugins passes with the shipped plugins")
    func shippedPluginScenarios() async throws {
        let files = try scripts(in: "examples/scenarios/with-plugins")
        #expect(!files.isEmpty)
        let plugins = Self.repository.appendingPathComponent("plugins").path
        // The settings their headers give: where the notifiers would post (captured, never sent).
        // Hooks may take longer than the daemon's 1 s here: tests share two cores.
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "scenario", "run", "--plugins", plugins, "--plugin-hook-milliseconds", "10000"] + files,
            environment: [
                "RENDERTRACKER_STALL_ALERT_URL": "https://hooks.example.com/render-alerts",
                "RENDERTRACKER_WEBHOOK_NOTIFY_URL": "https://hooks.example.com/render-done",
            ], separateErrors: true)
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.output.hasSuffix(" passed, 0 failed\n"), "\(outcome.output)")
    }

    @Test("A failing expectation prints FAIL with what was seen and where, counts it, and exits 1")
    func failingExpectation() async throws {
        let file = try temporaryScenario("""
            local farm = scenario.farm{ seed = 3 }
            farm:add_machines{ count = 4 }
            local shot = farm:submit{ project = "test/fail", frames = scenario.range(1, 10), route = "hip", frame_seconds = 120 }
            farm:run()
            expect.equal(shot:count("Done"), 10, "every frame is Done")
            expect.equal(shot:count("Done"), 11, "eleven frames are Done")
            """)
        let outcome = try await rendertracker(["scenario", "run", file])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("  ok    every frame is Done  (10)"), "\(outcome.output)")
        #expect(outcome.output.contains("  FAIL  eleven frames are Done: got 10, expected 11  [\(file):6]"), "\(outcome.output)")
        #expect(outcome.output.hasSuffix("2 passed, 1 failed\n"), "the two checks that held and the farm's own: \(outcome.output)")
    }

    @Test("A script error stops the scenario, names the file and line, and counts as a failure", arguments: [
        ("farm:submit{ project = \"x\", frames = {1}, frams = 2 }", "unknown option frams"),
        ("farm:submit{ project = \"x\", frames = {1}, route = \"cloud\" }", "route must be one of ifd, hip, existing_ifds; got \"cloud\""),
        ("farm:submit{ project = \"x\", frames = {1, 1} }", "frames lists a frame more than once"),
        ("farm:run{ until_done = 0.5 }", "until_done needs render"),
        ("local x = nil + 1", "attempt to perform arithmetic on a nil value"),
    ])
    func scriptError(line: String, message: String) async throws {
        let file = try temporaryScenario("local farm = scenario.farm{}\nfarm:add_machines{ count = 1 }\n\(line)\n")
        let outcome = try await rendertracker(["scenario", "run", file])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("ERROR \(file):3: "), "\(outcome.output)")
        #expect(outcome.output.contains(message), "\(outcome.output)")
        #expect(outcome.output.hasSuffix(" failed\n") && !outcome.output.hasSuffix("0 failed\n"))
    }

    @Test("A missing scenario file is an error naming it")
    func missingFile() async throws {
        let outcome = try await rendertracker(["scenario", "run", "/no/such/scenario.lua"])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("cannot read /no/such/scenario.lua"), "\(outcome.output)")
    }

    @Test("A ten-hour render runs in virtual time: the farm clock reads ten hours, the wall clock seconds")
    func virtualTime() async throws {
        let file = try temporaryScenario("""
            local farm = scenario.farm{ seed = 5 }
            farm:add_machines{ count = 10 }
            local shot = farm:submit{ project = "test/night", frames = scenario.range(1, 100), route = "ifd", frame_seconds = 3600, ifd_seconds = 0, prepare_seconds = 0 }
            farm:run()
            expect.equal(shot:progress().finished, 36000.0, "ten waves of one-hour frames end at ten hours")
            expect.equal(shot:count("Done"), 100, "every frame is Done")
            """)
        let outcome = try await rendertracker(["scenario", "run", file])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("ok    ten waves of one-hour frames end at ten hours"))
    }

    @Test("--emit-log writes the farm's calls as a render log that replay turns into the same end state")
    func emitLogReplays() async throws {
        let scenario = Self.repository.appendingPathComponent("examples/scenarios/ifd-route.lua").path
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).jsonl").path
        let run = try await rendertracker(["scenario", "run", "--emit-log", log, scenario])
        #expect(run.status == 0, "\(run.output)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.hasPrefix("{\"format\":\"rendertracker-log\",\"version\":1,"))
        #expect(text.contains("\"source\":\"scenario \(scenario)\""))
        #expect(text.contains("\"client\":\"render-001\",\"method\":\"startedRenderProject\""), "the machine is the client")
        let replay = try await rendertracker(["replay", "--json", log])
        #expect(replay.status == 0, "\(replay.errors)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(replay.output.utf8)) as? [String: Any])
        #expect(summary["faults"] as? Int == 0)
        let projects = try #require(summary["projects"] as? [[String: Any]])
        #expect(projects.count == 1)
        #expect(projects.first?["project"] as? String == "alice/lighting_v003")
        #expect(projects.first?["state"] as? String == "done")
        #expect((projects.first?["status_counts"] as? [String: Any])?["Done"] as? Int == 100)
        // The farm took 2229 s of virtual time; the log replays the same span.
        #expect((summary["recorded_span_seconds"] as? Double).map { abs($0 - 2229.4) < 1 } == true)
    }

    @Test("--emit-log takes one scenario")
    func emitLogOneScenario() async throws {
        let scenario = Self.repository.appendingPathComponent("examples/scenarios/ifd-route.lua").path
        let outcome = try await rendertracker(["scenario", "run", "--emit-log", "/tmp/x.jsonl", scenario, scenario])
        #expect(outcome.status != 0)
        #expect(outcome.errors.contains("--emit-log records one scenario; give one file, not 2"), "\(outcome.errors)")
    }

    @Test("eta-report prints the tracker's error beside both baselines at each milestone, and the medians")
    func etaReport() async throws {
        let file = Self.repository.appendingPathComponent("examples/scenarios/ifd-route.lua").path
        let outcome = try await rendertracker(["scenario", "eta-report", file])
        #expect(outcome.status == 0, "\(outcome.errors)")
        for row in ["tracker", "straight line", "average frame", "median absolute error from 25% done", "goal (tracker at most 10.0%"] {
            #expect(outcome.output.contains(row), "\(outcome.output)")
        }
        let json = try await rendertracker(["scenario", "eta-report", "--json", file])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        let tracker = try #require(rows.first?["tracker"] as? [String: Any])
        #expect(Set(tracker.keys) == ["5", "10", "25", "50", "75", "90"])
        #expect(report["range_coverage"] is Double)
    }

    @Test("eta-report --seeds runs every scenario on other nights and gives the spread; a scenario that stops leaves the others' report")
    func etaReportSeeds() async throws {
        let file = Self.repository.appendingPathComponent("examples/scenarios/ifd-route.lua").path
        let outcome = try await rendertracker(["scenario", "eta-report", "--seeds", "3", file])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.output.contains("tracker's median by seed set (3 sets):"), "\(outcome.output)")
        #expect(outcome.output.contains("80% range holds the truth:"))
        #expect(outcome.output.contains("predicted finish moves between samples"))

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).lua")
        try "local farm = scenario.farm{ seed = 1 }\nerror('deliberately broken')\n".write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let mixed = try await rendertracker(["scenario", "eta-report", broken.path, file])
        #expect(mixed.status == 1)
        #expect(mixed.errors.contains("deliberately broken"), "\(mixed.errors)")
        #expect(mixed.output.contains("alice/lighting_v003"), "the other scenario is still reported: \(mixed.output)")
    }
}
