import Foundation
import RenderTracker
import RenderTrackerServer
import Testing
import XMLRPC

/// `serve --record`: what goes into a render log, and what does not.
@Suite("Recording render logs")
struct RenderLogRecordingTests {
    static func temporaryLog(_ name: String = "record") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-\(name)-\(UUID().uuidString).jsonl").path
    }

    /// Every entry of a log, in order.
    static func entries(_ path: String) throws -> [RenderLogEntry] {
        let reader = try RenderLogReader(path: path)
        var entries: [RenderLogEntry] = []
        while let item = try reader.next() {
            guard case .entry(let entry, _) = item else { Issue.record("bad line: \(item)"); continue }
            entries.append(entry)
        }
        return entries
    }

    static func calls(_ path: String) throws -> [RecordedCall] {
        try entries(path).compactMap { if case .call(let call, _) = $0 { call } else { nil } }
    }

    @Test("a multicall's inner writes are recorded with the client address; faulted calls, reads and system.* are not")
    func whatIsRecorded() async throws {
        let path = Self.temporaryLog()
        try await RunningServer.with(configuration: RenderTrackerConfiguration(recordPath: path)) { server in
            try await server.result("startedRenderProject", .string("bob/rec"), .array([.int(2), .int(1)]), .bool(false), .string("9"))
            // A fault: bad fraction type. Changes nothing, recorded nothing.
            let faulted = try await server.call("setFrameRenderFraction", .string("bob/rec"), .int(1), .string("half"))
            #expect(faulted["error"] != nil)
            _ = try await server.result("getAllProjects")
            let batch: RPCValue = .array([
                .structure(["methodName": .string("setFrameRenderFraction"), "params": .array([.string("bob/rec"), .int(1), .double(1)])]),
                .structure(["methodName": .string("isRunning"), "params": .array([])]),
                .structure(["methodName": .string("setFrameError"), "params": .array([.string("bob/rec")])]),  // faults: too few
                .structure(["methodName": .string("setFrameError"), "params": .array([.string("bob/rec"), .int(2), .string("boom")])]),
            ])
            _ = try await server.result("system.multicall", batch)
        }
        let entries = try Self.entries(path)
        guard case .header(let header)? = entries.first else { Issue.record("no header: \(entries)"); return }
        #expect(header.version == 1 && header.source == "serve")
        let calls = try Self.calls(path)
        #expect(calls.map(\.method) == ["startedRenderProject", "setFrameRenderFraction", "setFrameError"])
        #expect(calls.allSatisfy { $0.client == "127.0.0.1" }, "\(calls)")
        // The double 1.0 is kept a double; the job id the client sent as a string stays one.
        #expect(calls[1].params == [.string("bob/rec"), .int(1), .double(1)])
        #expect(calls[0].params[3] == .string("9"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#""params":["bob/rec",1,1.0]"#), "\(text)")
    }

    @Test("reads are recorded only with recordReads, and never system.* methods")
    func readsOnlyWhenAsked() async throws {
        let path = Self.temporaryLog()
        try await RunningServer.with(configuration: RenderTrackerConfiguration(recordPath: path, recordReads: true)) { server in
            _ = try await server.result("getAllProjects")
            _ = try await server.result("system.listMethods")
            _ = try await server.result("getFrameLog", .string("no/such"), .int(1))
        }
        #expect(try Self.calls(path).map(\.method) == ["getAllProjects", "getFrameLog"])
    }

    @Test("each call's time is the tracker clock's, to the millisecond, so a recording in virtual time carries virtual times")
    func virtualTimes() throws {
        let path = Self.temporaryLog()
        let clock = ManualClock(Timestamp(secondsSince1970: 1_800_000_000.1234))
        let recorder = try RenderLogRecorder(path: path, recordReads: false, source: "scenario test.lua")
        let core = TrackerCore(configuration: RenderTrackerConfiguration(), logger: .silent, clock: clock, recorder: recorder)
        _ = core.dispatcher.call("startedRenderProject", [.string("a/b"), .array([.int(1)]), .bool(true), .int(7)], client: "render-017")
        clock.advance(bySeconds: 3600)
        _ = core.dispatcher.call("setFrameRenderFraction", [.string("a/b"), .int(1), .double(0.5)], client: "render-017")
        recorder.flush()
        let entries = try Self.entries(path)
        #expect(entries.count == 3)
        if case .header(let header)? = entries.first {
            #expect(header.source == "scenario test.lua")
        } else {
            Issue.record("no header: \(entries)")
        }
        guard case .call(let first, let start)? = entries.dropFirst().first, case .call(_, let later)? = entries.last else {
            Issue.record("\(entries)"); return
        }
        #expect(first.client == "render-017")
        #expect(start.secondsSince1970 == 1_800_000_000.123)
        #expect(later.seconds(since: start) == 3600)
    }

    @Test("the line format: fields in order, doubles as doubles, opaque values tagged, and back")
    func lineFormat() throws {
        let call = RecordedCall(
            method: "m", params: [.int(1), .double(2), .double(1e20), .null, .string("a\"\n"), .base64([1, 2, 3]), .dateTime("20260101T00:00:00")],
            client: nil)
        let line = RenderLog.line(.call(call, time: Timestamp(secondsSince1970: 1.5)))
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"time":1.500,"client":null,"method":"m","params":[1,2.0,1e+20,null,"a\"\n","#), "\(text)")
        #expect(text.hasSuffix("}\n"))
        let decoded = try line.dropLast().withUnsafeBytes { bytes in try RenderLog.decode(bytes) }
        #expect(decoded == .call(call, time: Timestamp(secondsSince1970: 1.5)))
    }
}
