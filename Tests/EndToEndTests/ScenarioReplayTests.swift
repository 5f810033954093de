import Foundation
import Testing
import RenderTrackerTesting

/// Render logs replayed inside scenario scripts (`farm:replay`), and `eta-report` on logs.
extension ScenarioCommandTests {
    static func shippedLog(_ name: String) -> String { repository.appendingPathComponent("examples/logs/\(name)").path }

    /// `scenario run` with the shipped plugins and the addresses their notifiers need (captured, never sent).
    private func runWithPlugins(_ files: [String]) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run(
            [CommandLineTests.executable, "scenario", "run", "--plugins", Self.repository.appendingPathComponent("plugins").path,
             "--plugin-hook-milliseconds", "10000"] + files,
            environment: [
                "RENDERTRACKER_STALL_ALERT_URL": "https://hooks.example.com/render-alerts",
                "RENDERTRACKER_WEBHOOK_NOTIFY_URL": "https://hooks.example.com/render-done",
            ], separateErrors: true)
    }

    @Test("Logs recorded from a daemon, replayed with the shipped plugins: names, notifications and the estimate pass; a wrong expectation fails with the moment and the values")
    func recordedLogsWithPlugins() async throws {
        let logs = ["ifd.jsonl", "hip.jsonl", "existing.jsonl"].map { "\"\(Self.shippedLog($0))\"" }.joined(separator: ", ")
        let file = try temporaryScenario("""
            local farm = scenario.farm{}
            local night = farm:replay{ files = { \(logs) } }
            local city = night:project("bob/city_v003")
            expect.equal(night:run{ until_done = 0.5, project = city.project }, "reached", "half of bob's frames render")
            expect.near(city:estimate(), 100, 0.1, "bob's render has 100 s left at half way")
            expect.equal(night:run(), "ended", "the logs replay to their end")
            local names = night:projects()
            expect.equal(table.concat(names, ","), "lisa/forest_v012,bob/city_v003,carl/ocean_v001", "the projects the logs named")
            expect.equal(farm:call("applyProjectNameFormula", "lisa", "/jobs/forest/forest_v012.hip"), "lisa/forest_v012",
              "shot-naming.lua names a scene outside the show layout as the night did")
            local posted = {}
            for _, note in ipairs(farm:notifications()) do
              local event, project = note.body:match('"event":"([%w_]+)".*"project":"([^"]+)"')
              posted[#posted + 1] = event .. " " .. project
            end
            expect.equal(table.concat(posted, ","),
              "project_done lisa/forest_v012,project_done bob/city_v003,project_done bob/city_v003,project_done carl/ocean_v001,project_failed carl/ocean_v001",
              "webhook-notify.lua posted each render's end")
            expect.contains(farm:notifications()[5].body, "ocean.0006.ifd: No such file or directory", "the failure message carries the error")
            expect.at_most(math.abs(night:project("lisa/forest_v012"):estimate_error(50).tracker), 0.15, "lisa's estimate at 50% is within 15%")
            expect.equal(night:project("carl/ocean_v001"):estimate_error(50), nil, "a render that failed is not judged")
            expect.equal(night:summary().restarts, 0, "three files, no restart")
            """)
        let outcome = try await runWithPlugins([file])
        #expect(outcome.status == 1, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.output.hasSuffix("11 passed, 1 failed\n"), "\(outcome.output)")
        #expect(outcome.output.contains("ok    every replayed call answered without a fault  (290 calls)"), "\(outcome.output)")
        // The failure names the values, the script line, and the moment: farm time and the log line replayed last.
        let failure = try #require(outcome.output.split(separator: "\n").first { $0.contains("FAIL") }.map(String.init))
        #expect(failure.contains("FAIL  bob's render has 100 s left at half way: "), "\(failure)")
        #expect(failure.contains(" against 100: off by "), "\(failure)")
        #expect(failure.contains("[\(file):5]  at "), "\(failure)")
        let moment = try #require(failure.firstMatch(of: /at ([0-9.]+) s of farm time, after (.+):([0-9]+) \(recorded ([^)]+)\)/))
        #expect(String(moment.2) == Self.shippedLog("hip.jsonl"))
        // That line is the last call recorded at the millisecond bob's render reached half its
        // frames (the 4th of 8 finished): the moment's calls all replay before the check.
        let lines = try String(contentsOfFile: Self.shippedLog("hip.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        func time(_ line: String) -> Substring? { line.firstMatch(of: /"time":([0-9.]+)/)?.1 }
        let reaching = try #require(lines.indices.filter { lines[$0].contains("bob/city_v003") && lines[$0].hasSuffix(",100.0]}") }.dropFirst(3).first)
        let last = try #require(Int(moment.3)) - 1
        #expect(last >= reaching && time(lines[last]) == time(lines[reaching]), "line \(last + 1): \(lines[last])")
        #expect(last + 1 == lines.count || time(lines[last + 1]) != time(lines[reaching]), "no call of that moment is left")
        #expect(String(moment.4).hasPrefix("2026-11-25T03:15:"), "the recorded time of that line: \(moment.4)")
    }

    @Test("The shipped replay scenario passes with the shipped plugins: naming, stall alerts, the done message, the estimate")
    func shippedReplayScenario() async throws {
        let outcome = try await runWithPlugins([Self.repository.appendingPathComponent("examples/scenarios/with-plugins/replay-harbour-night.lua").path])
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
        for line in ["ok    stall-alert.lua posted one alert", "ok    webhook-notify.lua posted once", "ok    the estimate at 75% done is within 10%",
                     "ok    every replayed call answered without a fault  (3940 calls)"] {
            #expect(outcome.output.contains(line), "\(outcome.output)")
        }
    }

    @Test("Every shipped scenario over the shipped logs passes (no plugins)")
    func shippedLogScenarios() async throws {
        let folder = Self.repository.appendingPathComponent("examples/scenarios/with-logs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".lua") }.sorted()
            .map { folder.appendingPathComponent($0).path }
        #expect(!files.isEmpty)
        let outcome = try await rendertracker(["scenario", "run"] + files)
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.output.hasSuffix(" passed, 0 failed\n") && outcome.output.contains("replayed 163 calls of "), "\(outcome.output)")
    }

    @Test("A recorded render and a simulated one compete on one timeline, then scripted calls follow the log")
    func logAndFarm() async throws {
        let file = try temporaryScenario("""
            local farm = scenario.farm{ seed = 9 }
            farm:add_machines{ count = 4 }
            local sim = farm:submit{ project = "sim/shot_v001", frames = scenario.range(1, 40), route = "hip", frame_seconds = 300 }
            -- The 2.4 s recorded render stretched to 2400 s, starting 100 s into the farm's night.
            local night = farm:replay{ file = "\(Self.shippedLog("ifd.jsonl"))", speed = 0.001, at = 100 }
            local lisa = night:project("lisa/forest_v012")
            expect.equal(night:run{ until_done = 0.5, project = lisa.project }, "reached", "half of the recorded render")
            local half = farm:now()
            expect.at_least(half, 100, "the log started at farm second 100")
            expect.at_least(sim:count("Done"), 1, "the simulated render went on meanwhile")
            expect.at_most(sim:count("Done"), 39, "and is not finished")
            expect.equal(farm:run{ until_done = 1, render = sim }, "reached", "the farm runs its render to the end, the log with it")
            expect.equal(farm:run(), "idle", "then the rest of the log")
            expect.equal(lisa:state(), "done", "the recorded render is done")
            expect.equal(sim:state(), "done", "the simulated render is done")
            local order, last = {}, 0
            for _, event in ipairs(farm:events{ name = "frame_done" }) do
              assert(event.time >= last, "events in time order")
              last = event.time
              if order[#order] ~= event.project then order[#order + 1] = event.project end
            end
            expect.at_least(#order, 4, "frame_done events of both projects interleave in time")
            expect.equal(farm:call("removeProject", lisa.project), true, "a scripted call after the log")
            expect.equal(lisa:summary(), nil, "the recorded project is gone")
            local window = farm:replay{ file = "\(Self.shippedLog("ifd.jsonl"))", from = 1.2, to = 1.8 }
            window:run()
            expect.at_most(window:summary().calls, 100, "a window replays part of the log")
            expect.at_least(window:summary().calls, 1, "and not nothing")
            """)
        let outcome = try await rendertracker(["scenario", "run", file])
        #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
        #expect(outcome.output.hasSuffix(" passed, 0 failed\n"), "\(outcome.output)")
    }

    @Test("A damaged or cut-short log fails its scenario with FILE:LINE and the reason; the other scenarios still run",
          arguments: [("damaged", "not JSON"), ("cut short", "the last line is cut short")])
    func damagedLog(kind: String, reason: String) async throws {
        let lines = try String(contentsOfFile: Self.shippedLog("ifd.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        let broken: [String] = kind == "damaged"
            ? Array(lines.prefix(40)) + ["{\"time\": 17955765, \"method"] + Array(lines.dropFirst(40)) + [""]
            : Array(lines.prefix(60)) + [String(lines[60].prefix(50))]
        let log = RenderLogFiles.temporaryLog("broken")
        try broken.joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let bad = try temporaryScenario("""
            local farm = scenario.farm{}
            local night = farm:replay{ file = "\(log)" }
            night:run()
            expect.truthy(false, "never reached")
            """)
        let good = Self.repository.appendingPathComponent("examples/scenarios/ifd-route.lua").path
        let outcome = try await rendertracker(["scenario", "run", bad, good])
        #expect(outcome.status == 1)
        let line = kind == "damaged" ? 41 : 61
        #expect(outcome.output.contains("ERROR \(bad):3: \(log):\(line): \(reason)"), "\(outcome.output)")
        #expect(!outcome.output.contains("never reached"))
        #expect(outcome.output.contains("\(good)\n  ok    "), "the next scenario runs: \(outcome.output)")
        #expect(outcome.output.hasSuffix(" passed, 1 failed\n"), "\(outcome.output)")
        // The same log given to scenario run directly.
        let direct = try await rendertracker(["scenario", "run", log])
        #expect(direct.status == 1)
        #expect(direct.output.contains("ERROR \(log):\(line): \(reason)"), "\(direct.output)")
    }

    @Test("eta-report on a log emitted from a scenario gives the scenario's own errors: same calls, same truth")
    func etaReportOnEmittedLog() async throws {
        // One wave (a machine per frame): no machine picks a next job, so the farm and the log sample at the same call.
        let scenario = try temporaryScenario("""
            local farm = scenario.farm{ seed = 4 }
            farm:add_machines{ count = 30 }
            farm:submit{ project = "eta/wave_v001", frames = scenario.range(1, 30), route = "hip", frame_seconds = scenario.lognormal(600, 0.3) }
            farm:submit{ project = "eta/ifd_v002", frames = scenario.range(1, 20), route = "ifd", frame_seconds = scenario.lognormal(300, 0.2) }
            farm:add_machines{ count = 22 }
            farm:run()
            """)
        let log = RenderLogFiles.temporaryLog("eta")
        let run = try await rendertracker(["scenario", "run", "--emit-log", log, scenario])
        #expect(run.status == 0, "\(run.output)")
        func rows(_ file: String) async throws -> [[String: Any]] {
            let outcome = try await rendertracker(["scenario", "eta-report", "--json", file])
            #expect(outcome.status == 0, "\(outcome.errors)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
            return try #require(report["rows"] as? [[String: Any]])
        }
        let simulated = try await rows(scenario)
        let replayed = try await rows(log)
        #expect(simulated.count == 2 && replayed.count == 2)
        for (farmRow, logRow) in zip(simulated, replayed) {
            #expect(farmRow["project"] as? String == logRow["project"] as? String)
            let farmErrors = try #require(farmRow["tracker"] as? [String: Any])
            let logErrors = try #require(logRow["tracker"] as? [String: Any])
            #expect(Set(farmErrors.keys) == Set(logErrors.keys) && !farmErrors.isEmpty)
            for (milestone, value) in farmErrors {
                let farmError = try #require(value as? Double, "the farm has an estimate at \(milestone)%")
                let logError = try #require(logErrors[milestone] as? Double, "the log has an estimate at \(milestone)%")
                // The log keeps times to the millisecond; the farm's are exact.
                #expect(abs(farmError - logError) < 0.001, "\(farmRow["project"] ?? "") at \(milestone)%: farm \(farmError), log \(logError)")
            }
        }
    }
}
