import Foundation
import Testing
import RenderTrackerTesting

/// `serve --record` and `replay` as the executable runs them: exit codes and messages.
@Suite("The record and replay commands")
struct RecordReplayCommandTests {
    private func rendertracker(_ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run([CommandLineTests.executable] + arguments, separateErrors: true)
    }

    private func log(_ lines: [String], name: String = "cli") throws -> String {
        let path = RenderLogFiles.temporaryLog(name)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static let header = #"{"format":"rendertracker-log","version":1,"started":"2026-01-01T00:00:00.000Z","source":"serve"}"#
    private static let start = #"{"time":1767225600.000,"client":"10.0.0.1","method":"startedRenderProject","params":["a/b",[1,2],false,"7"]}"#
    private static let done = #"{"time":1767225660.000,"client":"10.0.0.2","method":"setFrameRenderFraction","params":["a/b",1,1.0]}"#

    @Test("a damaged line stops the replay with FILE:LINE and the reason, exit 1; --skip-bad skips it and says so")
    func damagedLine() async throws {
        let path = try log([Self.header, Self.start, #"{"time":1767225630.0,"method":"setFrameError","params":"a/b"}"#, Self.done, ""])
        let stopped = try await rendertracker(["replay", path])
        #expect(stopped.status == 1)
        #expect(stopped.errors.contains("\(path):3: \"params\" is string, not an array"), "\(stopped.errors)")
        #expect(stopped.output.isEmpty)

        let skipped = try await rendertracker(["replay", "--skip-bad", path])
        #expect(skipped.status == 0, "\(skipped.errors)")
        #expect(skipped.errors.contains("warning: \(path):3:"), "\(skipped.errors)")
        #expect(skipped.output.contains("bad lines skipped 1"), "\(skipped.output)")
        #expect(skipped.output.contains("a/b: running, 2 frames (Waiting 1, Done 1)"), "\(skipped.output)")
    }

    @Test("a last line cut short (the daemon killed mid-write) is a warning, not a failure")
    func truncatedLastLine() async throws {
        let path = try log([Self.header, Self.start, Self.done, #"{"time":1767225670.0,"client":"10.0.0.2","method":"setFr"#])
        let outcome = try await rendertracker(["replay", "--json", path])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.errors.contains("warning: \(path):4: the last line is cut short"), "\(outcome.errors)")
        #expect(outcome.output.contains(#""truncated_last_line":true"#), "\(outcome.output)")
        #expect(outcome.output.contains(#""calls":2"#), "\(outcome.output)")
    }

    @Test("what cannot be replayed at all exits 1 naming the file", arguments: [
        ("not-a-log", [#"{"time":1,"method":"isRunning","params":[]}"#], ":1: calls before any render-log header"),
        ("newer", [#"{"format":"rendertracker-log","version":2}"#], ":1: render-log version 2 is newer than this rendertracker reads (1)"),
        ("other-format", [#"{"format":"journal","version":1}"#], ":1: not a render log: format is \"journal\""),
    ])
    func unreadable(name: String, lines: [String], message: String) async throws {
        let path = try log(lines, name: name)
        let outcome = try await rendertracker(["replay", "--skip-bad", path])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains(path + message), "\(outcome.errors)")
    }

    @Test("replay refuses a missing file, a speed of 0, and --speed with --fast")
    func replayRefusals() async throws {
        let missing = try await rendertracker(["replay", "/no/such/render.jsonl"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("/no/such/render.jsonl: cannot open: No such file or directory"), "\(missing.errors)")
        let zero = try await rendertracker(["replay", "--speed", "0", "x.jsonl"])
        #expect(zero.status == 64 && zero.errors.contains("--speed must be a number above 0"), "\(zero.errors)")
        let both = try await rendertracker(["replay", "--speed", "2", "--fast", "x.jsonl"])
        #expect(both.status == 64 && both.errors.contains("--speed and --fast cannot be used together"), "\(both.errors)")
    }

    @Test("serve --record to a path it cannot open exits 1 naming it")
    func unwritableRecord() async throws {
        let outcome = try await rendertracker(["serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0", "--record", "/no/such/dir/calls.jsonl"])
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("cannot record to /no/such/dir/calls.jsonl: No such file or directory"), "\(outcome.errors)")
    }

    @Test("SIGTERM right after the last call: the render log holds every call", .timeLimit(.minutes(1)))
    func sigtermFlushes() async throws {
        let path = RenderLogFiles.temporaryLog("sigterm")
        let daemon = try ChildProcess.start([CommandLineTests.executable, "serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0", "--record", path])
        let listening = try #require(await daemon.line(containing: "rendertracker listening"))
        let port = try #require(listening.split(separator: ":").last.map(String.init))
        // One multicall of 500 writes, then SIGTERM at once: well inside the 100 ms between flushes.
        let script = """
            import sys, xmlrpc.client
            s = xmlrpc.client.ServerProxy("http://127.0.0.1:\(port)/RPC2", allow_none=True)
            m = xmlrpc.client.MultiCall(s)
            m.startedRenderProject("a/term", list(range(1, 501)), False, "1")
            for f in range(1, 500):
                m.setFrameRenderFraction("a/term", f, 1.0)
            assert all(m())
            """
        let sent = try await ChildProcess.run(["python3", "-c", script])
        daemon.process.terminate()
        let outcome = await daemon.finish()
        #expect(sent.status == 0, "\(sent.output)")
        #expect(outcome.status == 0, "\(outcome.output)")
        let calls = try RenderLogFiles.calls(path)
        #expect(calls.count == 500)
        #expect(calls.last?.params == [.string("a/term"), .int(499), .double(1)])
    }

    @Test("SIGHUP reopens the render log: logrotate's move-then-HUP leaves each call in exactly one file", .timeLimit(.minutes(1)))
    func sighupReopens() async throws {
        let path = RenderLogFiles.temporaryLog("rotate")
        let daemon = try ChildProcess.start([CommandLineTests.executable, "serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0", "--record", path])
        let listening = try #require(await daemon.line(containing: "rendertracker listening"))
        let url = "http://127.0.0.1:" + (try #require(listening.split(separator: ":").last.map(String.init))) + "/rpc"
        let first = try await rendertracker(["call", "--url", url, "setFrameRenderFraction", "a/rot", "1", "0.5"])
        #expect(first.status == 0, "\(first.errors)")
        try await Task.sleep(for: .milliseconds(300))  // flushed by then
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await daemon.waitForOutput(containing: "SIGHUP: render log reopened"), "\(daemon.outputSoFar)")
        let second = try await rendertracker(["call", "--url", url, "setFrameRenderFraction", "a/rot", "2", "0.5"])
        #expect(second.status == 0, "\(second.errors)")
        daemon.process.terminate()
        _ = await daemon.finish()
        #expect(try RenderLogFiles.calls(path + ".1").map(\.params[1]) == [.int(1)])
        #expect(try RenderLogFiles.calls(path).map(\.params[1]) == [.int(2)])
    }
}
