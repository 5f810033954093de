import BuildInfo
import Foundation
import LuaPlugins
import RenderTracker
import RenderTrackerServer
import Testing
import XMLRPC
import RPC
import RenderTrackerTesting
import LuaHost

/// Plugins through the real daemon: RPC in, effect out.
@Suite struct PluginDaemonTests {
    /// A fresh plugin folder holding `plugins`.
    private func folder(_ plugins: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-daemon-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in plugins {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    private func configuration(_ folder: URL, watchSeconds: Double = 3600) -> RenderTrackerConfiguration {
        RenderTrackerConfiguration(pluginFolder: folder.path, pluginWatchSeconds: watchSeconds)
    }

    private static let shotFormula = """
        tracker.set_name_formula(function(user, hip)
          local show, shot = hip:match("/shows/([^/]+)/shots/([^/]+)/")
          return show .. "_" .. shot .. "_" .. user
        end)
        """

    @Test func theFormulaChangesApplyProjectNameFormulaAndWhatSuggestInactiveProjectNameSees() async throws {
        let plugins = try folder(["naming.lua": Self.shotFormula])
        try await RunningServer.with(configuration: configuration(plugins)) { server in
            let name = try await server.result("applyProjectNameFormula", .string("ana"), .string("/studio/shows/owl/shots/sh040/work/owl.hip"))
            #expect(name == .string("owl_sh040_ana"))
            #expect(try await server.result("suggestInactiveProjectName", name) == .string("owl_sh040_ana"))
            _ = try await server.result("startedRenderProject", name, .array([.int(1), .int(2)]), .bool(false), .string("77"))
            #expect(try await server.result("suggestInactiveProjectName", name) == .string("owl_sh040_ana (2)"))
            // A path the formula cannot parse makes it fail: the built-in answers instead.
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/tmp/test.hip")) == .string("ana/test"))
        }
    }

    @Test func theEstimatorChangesTheEstimateAndTheSummary() async throws {
        let plugins = try folder(["estimate.lua": """
            tracker.set_estimator(function(project)
              return 1000 * project.counts["Rendering"] + #project.frames_in_flight
            end)
            """])
        try await RunningServer.with(configuration: configuration(plugins)) { server in
            _ = try await server.result("startedRenderProject", .string("p"), .array([.int(1), .int(2), .int(3)]), .bool(false), .string("9"))
            _ = try await server.result("startedFrameRender", .string("p"), .int(1), .string("9"), .string("/r/1.exr"))
            _ = try await server.result("startedFrameRender", .string("p"), .int(2), .string("9"), .string("/r/2.exr"))
            #expect(try await server.result("getEstimatedRenderSecondsLeft", .string("p")) == .double(2002))
            guard case .structure(let summary) = try await server.result("getProjectSummary", .string("p")) else {
                Issue.record("no summary")
                return
            }
            #expect(summary["seconds_left"] == .double(2002))
        }
    }

    @Test(arguments: [("", 0.0), (", {frames = true}", 3.0)])
    func everyFrameReachesOnlyEstimatorsThatAskForIt(options: String, frames: Double) async throws {
        let plugins = try folder(["estimate.lua": "tracker.set_estimator(function(p) return p.frames and #p.frames or 0 end\(options))"])
        try await RunningServer.with(configuration: configuration(plugins)) { server in
            _ = try await server.result("startedRenderProject", .string("p"), .array([.int(1), .int(2), .int(3)]), .bool(false), .string("9"))
            #expect(try await server.result("getEstimatedRenderSecondsLeft", .string("p")) == .double(frames))
        }
    }

    @Test func aWebhookPluginDeliversToAnHTTPServer() async throws {
        try await WebhookReceiver.with { receiver in
            let plugins = try folder(["notify.lua": """
                tracker.on("project_done", function(e)
                  tracker.http_post(tracker.settings.url, '{"text":"' .. e.project .. ' done: ' .. e.counts.Done .. '/' .. e.frame_count .. '"}')
                end)
                """, "notify.conf": "url = http://127.0.0.1:\(receiver.port)/hooks/renders\n"])
            try await RunningServer.with(configuration: configuration(plugins)) { server in
                    _ = try await server.result("startedRenderProject", .string("shot"), .array([.int(1), .int(2)]), .bool(false), .string("5"))
                for frame in 1...2 {
                    _ = try await server.result("startedFrameRender", .string("shot"), .int(frame), .string("5"), .string("/r.exr"))
                    _ = try await server.result("setFrameRenderFraction", .string("shot"), .int(frame), .double(1))
                }
                let deliveries = try await receiver.waitFor(1)
                #expect(deliveries.count == 1)
                #expect(deliveries.first?.path == "/hooks/renders")
                #expect(deliveries.first?.contentType == "application/json")
                #expect(deliveries.first?.userAgent == "rendertracker/\(BuildInfo.version)", "the daemon names itself and its build")
                #expect(deliveries.first?.body == #"{"text":"shot done: 2/2"}"#)
            }
        }
    }

    @Test("a webhook follows a redirect only when the plugin asks, and never reaches the daemon itself")
    func webhookDestinations() async throws {
        try await WebhookReceiver.with { receiver in
            let plugins = try folder(["notify.lua": """
                tracker.on("project_started", function(e)
                  local base = "http://127.0.0.1:\(receiver.port)"
                  tracker.http_post("http://127.0.0.1:" .. e.job_id .. "/admin/plugins/reload", "")
                  tracker.http_post("http://169.254.169.254/latest/meta-data", "")
                  tracker.http_post(base .. "/redirect/not-followed", "a")
                  tracker.http_post(base .. "/redirect/followed", "b", nil, {follow_redirects = true})
                  tracker.http_post(base .. "/direct", "c")
                end)
                """])
            try await RunningServer.with(configuration: configuration(plugins)) { server in
                // The job id carries the daemon's port into the hook.
                _ = try await server.result("startedRenderProject", .string("shot"), .array([.int(1)]), .bool(false), .string("\(server.port)"))
                let deliveries = try await receiver.waitFor(2)
                #expect(Set(deliveries.map(\.path)) == ["/followed", "/direct"], "\(deliveries.map(\.path))")
                try await Task.sleep(for: .milliseconds(500))
                #expect(receiver.deliveries.count == 2, "the redirect the plugin did not ask to follow was not followed")
                let status = try await server.get("/admin/plugins")
                #expect(status.body.contains(#""reloads":1"#), "the hook's post to the daemon's own admin route was refused: \(status.body)")
            }
        }
    }

    /// Seven nested quantifiers on 100 characters: minutes inside one call of Lua's own matcher.
    private static let runawayPattern = "string.rep('a', 100):find('a*a*a*a*a*a*a*b')"

    @Test("a runaway pattern in a formula falls back at once; in a hook it stops at the hook's limit and the other plugin's hooks run")
    func runawayPatterns() async throws {
        try await WebhookReceiver.with { receiver in
            let plugins = try folder([
                "naming.lua": "tracker.set_name_formula(function(user, hip) if hip:find('runaway') then \(Self.runawayPattern) end return 'ok_' .. user end)",
                "runaway.lua": "tracker.on('frame_started', function(e) \(Self.runawayPattern) end)",
                "innocent.lua": "tracker.on('frame_started', function(e) tracker.http_post('http://127.0.0.1:\(receiver.port)/started/' .. e.frame, '') end)",
            ])
            var options = PluginOptions()
            options.hookCallLimits = LuaCallLimits(instructions: .max, seconds: 0.2)
            try await RunningServer.with(configuration: RenderTrackerConfiguration(pluginFolder: plugins.path, pluginOptions: options)) { server in
                let asked = ContinuousClock.now
                #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/jobs/runaway.hip")) == .string("ana/runaway"))
                #expect(ContinuousClock.now - asked < .seconds(10), "stopped at its 50 ms limit, not after the match (minutes)")
                _ = try await server.result("startedRenderProject", .string("p"), .array((1...8).map(RPCValue.int)), .bool(false), .string("5"))
                for frame in 1...8 {
                    _ = try await server.result("startedFrameRender", .string("p"), .int(frame), .string("5"), .string("/r.exr"))
                }
                let deliveries = try await receiver.waitFor(8, seconds: 15)
                #expect(Set(deliveries.map(\.path)) == Set((1...8).map { "/started/\($0)" }), "\(deliveries.map(\.path))")
                let status = try await server.get("/admin/plugins")
                #expect(status.body.contains(#""disabled":true,"estimator":false,"events":["frame_started"],"failures":5,"name":"runaway.lua""#), "\(status.body)")
            }
        }
    }

    @Test func execRunsAProgramWithItsInput() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-exec-\(UUID().uuidString)").path
        let plugins = try folder(["exec.lua": """
            tracker.on("frame_error", function(e)
              tracker.exec({"/bin/sh", "-c", 'cat > "$0"', "\(output)"}, e.project .. " frame " .. e.frame .. ": " .. e.cause .. " (" .. #e.message .. " bytes)")
            end)
            """])
        try await RunningServer.with(configuration: configuration(plugins)) { server in
            _ = try await server.result("startedRenderProject", .string("shot"), .array([.int(7)]), .bool(false), .string("5"))
            // The event carries the whole message and its cause.
            let message = "ALF_PROGRESS 10%\nlicense: Error: out of licences (12 of 12 in use)\nmantra exited"
            _ = try await server.result("setFrameError", .string("shot"), .int(7), .string(message))
            let expected = "shot frame 7: license: Error: out of licences (12 of 12 in use) (\(message.utf8.count) bytes)"
            var written: String?
            // The shell creates the file before cat writes to it: wait for the whole text.
            for _ in 0..<200 where written != expected {
                try await Task.sleep(for: .milliseconds(50))
                written = try? String(contentsOfFile: output, encoding: .utf8)
            }
            #expect(written == expected)
        }
    }

    /// Plugins that pass the load-time smoke test but go wrong on some input, as real bugs do.
    private static let hostile = [
        "loop.lua": "tracker.set_name_formula(function(user, hip) if hip:find('loop') then while true do end end return 'ok_' .. user end)",
        "memory.lua": """
            tracker.set_estimator(function(p)
              if p.name == 'bomb' then local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end end
              if p.name == 'huge' then return string.rep('x', 1 << 30) end
              if p.name == 'wrong' then return {} end
              return 42
            end)
            """,
        "noisy.lua": "tracker.on('frame_started', function(e) error('cannot reach the wiki for ' .. e.project) end)",
        "spin.lua": "tracker.on('frame_started', function(e) while true do end end)",
    ]

    @Test func hostilePluginsFallBackAreDisabledAndTheDaemonKeepsServing() async throws {
        let plugins = try folder(Self.hostile)
        var options = PluginOptions()
        options.hookCallLimits = LuaCallLimits(instructions: 10_000_000, seconds: 0.2)
        try await RunningServer.with(configuration: RenderTrackerConfiguration(pluginFolder: plugins.path, pluginOptions: options)) { server in
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/jobs/a.hip")) == .string("ok_ana"))
            // The looping formula is stopped; the built-in name is the answer.
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/jobs/loop.hip")) == .string("ana/loop"))
            for (project, frames) in [("bomb", 3), ("huge", 3), ("wrong", 3), ("fine", 3)] {
                _ = try await server.result("startedRenderProject", .string(project), .array((1...frames).map { .int($0) }), .bool(false), .string("1"))
                // Every frame_started makes noisy.lua fail and spin.lua run out of time.
                _ = try await server.result("startedFrameRender", .string(project), .int(1), .string("1"), .string("/r.exr"))
                _ = try await server.result("setFrameRenderFraction", .string(project), .int(1), .double(0.5))
            }
            // Failing estimators fall back to the built-in estimate (a number here: one frame half done).
            for project in ["bomb", "huge", "wrong"] {
                let answer = try await server.result("getEstimatedRenderSecondsLeft", .string(project))
                #expect(answer != .double(42), "\(project) must fall back to the built-in estimate")
            }
            #expect(try await server.result("isRunning") == .bool(true))
            // noisy.lua and spin.lua failed on each of 4 events: 5 in a row disables, so one more.
            _ = try await server.result("startedFrameRender", .string("fine"), .int(2), .string("1"), .string("/r.exr"))
            var report = ""
            for _ in 0..<100 {
                report = try await server.get("/admin/plugins").body
                if report.contains(#""disabled":true"#) && report.components(separatedBy: #""disabled":true"#).count == 3 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let plugins = try #require(try JSONReader.parse(Array(report.utf8)).field("plugins")?.arrayValue)
            let disabled = plugins.filter { $0.field("disabled") == .bool(true) }.compactMap { $0.field("name")?.stringValue }
            #expect(Set(disabled) == ["noisy.lua", "spin.lua"], "\(report)")
            // The estimator failed 3 times, not in a row with 5: still enabled and answering.
            #expect(try await server.result("getEstimatedRenderSecondsLeft", .string("fine")) == .double(42))
            #expect(try await server.result("applyProjectNameFormula", .string("bo"), .string("/jobs/b.hip")) == .string("ok_bo"))
            // The same story in /metrics.
            let metrics = try await server.metrics()
            #expect(metrics.value("rendertracker_plugin_failures_total", ["plugin": "noisy.lua"]) == 5)
            #expect(metrics.value("rendertracker_plugin_failures_total", ["plugin": "loop.lua"]) == 1)
            #expect(metrics.value("rendertracker_plugin_failures_total", ["plugin": "memory.lua"]) == 3)
            #expect(metrics.value("rendertracker_plugins_disabled") == 2)
            #expect(metrics.value("rendertracker_plugin_reloads_total", ["outcome": "ok"]) == 1)
            #expect(metrics.value("rendertracker_plugin_dropped_events_total") == 0)
            #expect(metrics.value("rendertracker_plugin_hook_queue_depth") == 0)
        }
    }

    @Test func aReloadSwapsPluginsAndABrokenOneLeavesTheOldActive() async throws {
        let plugins = try folder(["naming.lua": "tracker.set_name_formula(function(user) return 'v1_' .. user end)"])
        try await RunningServer.with(configuration: configuration(plugins)) { server in
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/a.hip")) == .string("v1_ana"))
            try "tracker.set_name_formula(function(user) return 'v2_' .. user end)"
                .write(to: plugins.appendingPathComponent("naming.lua"), atomically: true, encoding: .utf8)
            let reloaded = try await server.send("/admin/plugins/reload", method: "POST")
            #expect(reloaded.status == 200, "\(reloaded.body)")
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/a.hip")) == .string("v2_ana"))

            try "tracker.set_name_formula(function(user) return 'v3_' .. user end"
                .write(to: plugins.appendingPathComponent("naming.lua"), atomically: true, encoding: .utf8)
            let refused = try await server.send("/admin/plugins/reload", method: "POST")
            #expect(refused.status == 422)
            #expect(refused.body.contains("naming.lua: naming.lua:1:"), "\(refused.body)")
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/a.hip")) == .string("v2_ana"))
        }
    }

    @Test func aChangedFileIsReloadedByItself() async throws {
        let plugins = try folder(["naming.lua": "tracker.set_name_formula(function(user) return 'before_' .. user end)"])
        try await RunningServer.with(configuration: configuration(plugins, watchSeconds: 0.1)) { server in
            #expect(try await server.result("applyProjectNameFormula", .string("ana"), .string("/a.hip")) == .string("before_ana"))
            try "tracker.set_name_formula(function(user) return 'after_' .. user end)\n-- a longer file"
                .write(to: plugins.appendingPathComponent("naming.lua"), atomically: true, encoding: .utf8)
            var answer = RPCValue.null
            for _ in 0..<100 where answer != .string("after_ana") {
                try await Task.sleep(for: .milliseconds(50))
                answer = try await server.result("applyProjectNameFormula", .string("ana"), .string("/a.hip"))
            }
            #expect(answer == .string("after_ana"))
        }
    }

    @Test func withoutPluginsTheAdminRoutesAreAbsent() async throws {
        try await RunningServer.with { server in
            let answer = try await server.send("/admin/plugins/reload", method: "POST")
            #expect(answer.status == 404)
        }
    }
}

extension RPCValue {
    fileprivate func field(_ name: String) -> RPCValue? {
        if case .structure(let fields) = self { fields[name] } else { nil }
    }

    fileprivate var arrayValue: [RPCValue]? {
        if case .array(let items) = self { items } else { nil }
    }

    fileprivate var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}
