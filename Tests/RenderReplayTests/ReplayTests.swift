import Foundation
import RenderReplay
import RenderTracker
import RenderTrackerServer
import Testing
import RPC
import RenderTrackerTesting
import RenderLog

/// `rendertracker replay`: a recorded session sent again ends in the same state.
@Suite("Replaying render logs")
struct ReplayTests {
    static let logsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/logs")

    /// Runs examples/logs/record.py (Python's xmlrpc.client) against a daemon recording to
    /// `path`; returns what clients could read of the daemon at the end.
    private func recordSession(to path: String, logTimes: Bool) async throws -> RPCValue {
        try await RunningServer.with(configuration: RenderTrackerConfiguration(recordPath: path)) { server in
            let script = Self.logsFolder.appendingPathComponent("record.py").path
            let outcome = try await ChildProcess.run(["python3", script, server.url, "--pace", "0"])
            #expect(outcome.status == 0, "\(outcome.output)")
            return try await TrackerSnapshot.take(logTimes: logTimes) { method, params in try await server.result(method, params: params) }
        }
    }

    @Test("record a session with Python's xmlrpc.client, replay it in-process: the same end state, frame-log times included")
    func recordThenReplay() async throws {
        let path = RenderLogFiles.temporaryLog()
        let recorded = try await recordSession(to: path, logTimes: true)
        let target = try InProcessTarget()
        let summary = try await Replay.run(path: path, into: target)
        #expect(summary.faults == 0 && summary.badLinesSkipped == 0, "\(summary.firstFaults)")
        let replayed = try await TrackerSnapshot.take(logTimes: true) { method, params in try target.core.dispatcher.call(method, params).get() }
        #expect(replayed == recorded, "replayed:\n\(JSONWriter.string(replayed).prefix(3000))\nrecorded:\n\(JSONWriter.string(recorded).prefix(3000))")
        // The snapshot covers what the session did: three renders, one with a retried error, one re-rendered.
        guard case .structure(let fields) = recorded else { Issue.record("no snapshot"); return }
        #expect(fields["projects"] == .array(["bob/city_v003", "carl/ocean_v001", "lisa/forest_v012"].map(RPCValue.string)))
        #expect(summary.projects.map(\.status.state) == [.done, .failed, .done])
    }

    @Test("replay to a live daemon (--url) gives the same end state", .timeLimit(.minutes(2)))
    func replayToLiveDaemon() async throws {
        let path = RenderLogFiles.temporaryLog()
        let recorded = try await recordSession(to: path, logTimes: false)
        try await RunningServer.with { server in
            let summary = try await Replay.live(path: path, url: server.url + "/RPC2", options: ReplayOptions(fast: true))
            #expect(summary.faults == 0, "\(summary.firstFaults)")
            #expect(summary.target == server.url + "/RPC2")
            let replayed = try await TrackerSnapshot.take(logTimes: false) { method, params in try await server.result(method, params: params) }
            #expect(replayed == recorded)
        }
    }

    /// A log of one 40-frame render, one frame at a time, 15 minutes a frame: 10 hours.
    private func tenHourLog() throws -> String {
        let path = RenderLogFiles.temporaryLog("ten-hours")
        let start = Timestamp(secondsSince1970: 1_767_225_600)
        var bytes = RenderLog.line(.header(RenderLogHeader(started: start.iso8601, source: "test")))
        func call(_ offset: Double, _ method: String, _ params: [RPCValue]) {
            RenderLog.append(.call(RecordedCall(method: method, params: params, client: "render-01"), time: start.advanced(bySeconds: offset)), to: &bytes)
        }
        let project = RPCValue.string("night/long_render")
        call(0, "startedRenderProject", [project, .array((1...40).map(RPCValue.int)), .bool(false), .string("77")])
        for frame in 1...40 {
            let begin = Double(frame - 1) * 900
            call(begin, "startedFrameRender", [project, .int(frame), .string("77"), .string("/r/long.\(frame).exr")])
            for step in 1...8 {
                call(begin + Double(step) * 100, "setFrameRenderFraction", [project, .int(frame), .double(Double(step) / 10)])
            }
            call(begin + 900, "setFrameRenderFraction", [project, .int(frame), .double(1)])
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("virtual time: a 10-hour render replays in-process at its recorded times, scaled by the speed")
    func virtualTime() async throws {
        let path = try tenHourLog()
        let summary = try await Replay.inProcess(path: path)
        #expect(summary.callsReplayed == 1 + 40 * 10)
        #expect(summary.recordedSpanSeconds == 36_000)
        #expect(summary.replayedSpanSeconds == 36_000)
        let project = try #require(summary.projects.first)
        #expect(project.status.state == .done && project.status.statusCounts[.done] == 40)
        #expect(project.status.elapsedSeconds == 36_000)
        // The quarters fall at frames 10, 20 and 30 (9,000 s each), with what was left then.
        #expect(project.quarters.map(\.percent) == [25, 50, 75])
        #expect(project.quarters.map(\.elapsedSeconds) == [9_000, 18_000, 27_000])
        #expect(project.quarters.map(\.actualSeconds) == [27_000, 18_000, 9_000])
        #expect(project.quarters.allSatisfy { $0.estimateSeconds != nil })

        let doubled = try await Replay.inProcess(path: path, options: ReplayOptions(speed: 2))
        #expect(doubled.replayedSpanSeconds == 18_000)
        #expect(doubled.projects.first?.status.elapsedSeconds == 18_000)
    }

    @Test("a restart in the log (a second header) starts a fresh tracker, as the daemon lost its state")
    func restartInLog() async throws {
        let path = RenderLogFiles.temporaryLog("restart")
        var bytes = RenderLog.line(.header(RenderLogHeader(started: nil, source: "serve")))
        let time = Timestamp(secondsSince1970: 1_767_225_600)
        RenderLog.append(.call(RecordedCall(method: "startedRenderProject", params: [.string("a/one"), .array([.int(1)]), .bool(false), .string("1")]), time: time), to: &bytes)
        bytes += RenderLog.line(.header(RenderLogHeader(started: nil, source: "serve")))
        RenderLog.append(.call(RecordedCall(method: "setFrameRenderFraction", params: [.string("a/two"), .int(1), .double(1)]), time: time.advanced(bySeconds: 60)), to: &bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let summary = try await Replay.inProcess(path: path)
        #expect(summary.restarts == 1)
        #expect(summary.projects.map(\.status.name) == ["a/two"])
    }

    @Test("every shipped log in examples/logs replays without a fault or a bad line, to the end state its README describes")
    func shippedLogs() async throws {
        // Each log's projects and their end states and frames Done/Error (examples/logs/README.md).
        let expected: [String: [String: (state: String, done: Int, error: Int)]] = [
            "ifd.jsonl": ["lisa/forest_v012": ("done", 12, 0)],
            "hip.jsonl": ["bob/city_v003": ("done", 8, 0)],
            "existing.jsonl": ["carl/ocean_v001": ("failed", 5, 1)],
            "harbour-night.jsonl": ["harbour_sh0420_dana": ("done", 300, 0)],
        ]
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.logsFolder.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(Set(logs) == Set(expected.keys), "a shipped log without expectations here, or one missing")
        for log in logs {
            var warnings: [RenderLogError] = []
            let summary = try await Replay.inProcess(path: Self.logsFolder.appendingPathComponent(log).path) { warnings.append($0) }
            #expect(summary.faults == 0, "\(log): \(summary.firstFaults)")
            #expect(warnings.isEmpty && summary.badLinesSkipped == 0 && !summary.truncatedLastLine, "\(log): \(warnings)")
            let states = Dictionary(uniqueKeysWithValues: summary.projects.map {
                ($0.status.name, $0.status.state.rawValue + " \($0.status.statusCounts[.done] ?? -1) \($0.status.statusCounts[.error] ?? -1)")
            })
            let wanted = (expected[log] ?? [:]).mapValues { "\($0.state) \($0.done) \($0.error)" }
            #expect(states == wanted, "\(log)")
        }
    }

    @Test("--plugins: an in-process replay runs plugin hooks and counts their notifications per plugin, sending none")
    func pluginsCaptured() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-replay-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            tracker.on("project_done", function(e) tracker.http_post("https://hooks.example.com/done", e.project) end)
            tracker.on("frame_error", function(e) tracker.http_post("https://hooks.example.com/failed", e.project) end)
            """.write(to: folder.appendingPathComponent("notify.lua"), atomically: true, encoding: .utf8)
        let summary = try await Replay.inProcess(
            path: Self.logsFolder.appendingPathComponent("ifd.jsonl").path, options: ReplayOptions(pluginFolder: folder.path))
        #expect(summary.faults == 0)
        // One frame failed once, and the project finished once.
        #expect(summary.notifications == ["notify.lua": 2], "\(summary.notifications)")
    }
}
