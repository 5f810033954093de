import Foundation
import RenderTracker
import RenderTrackerServer
import Testing
import RPC
import RenderTrackerTesting
import RenderTrackerService
import RenderLog

/// `serve --record`: what goes into a render log, and what does not.
@Suite("Recording render logs")
struct RenderLogRecordingTests {
    @Test("a multicall's inner writes are recorded with the client address; faulted calls, reads and system.* are not")
    func whatIsRecorded() async throws {
        let path = RenderLogFiles.temporaryLog()
        try await RunningServer.with(configuration: RenderTrackerConfiguration(recordPath: path)) { server in
            _ = try await server.result("startedRenderProject", .string("bob/rec"), .array([.int(2), .int(1)]), .bool(false), .string("9"))
            // A fault: bad fraction type. Changes nothing, recorded nothing.
            let faulted = try await server.call("setFrameRenderFraction", .string("bob/rec"), .int(1), .string("half"))
            #expect((try? faulted.get()) == nil, "expected a fault: \(faulted)")
            _ = try await server.result("getAllProjects")
            let batch: RPCValue = .array([
                .structure(["methodName": .string("setFrameRenderFraction"), "params": .array([.string("bob/rec"), .int(1), .double(1)])]),
                .structure(["methodName": .string("isRunning"), "params": .array([])]),
                .structure(["methodName": .string("setFrameError"), "params": .array([.string("bob/rec")])]),  // faults: too few
                .structure(["methodName": .string("setFrameError"), "params": .array([.string("bob/rec"), .int(2), .string("boom")])]),
            ])
            _ = try await server.result("system.multicall", batch)
        }
        let entries = try RenderLogFiles.entries(path)
        guard case .header(let header)? = entries.first else { Issue.record("no header: \(entries)"); return }
        #expect(header.version == 1 && header.source == "serve")
        let calls = try RenderLogFiles.calls(path)
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
        let path = RenderLogFiles.temporaryLog()
        try await RunningServer.with(configuration: RenderTrackerConfiguration(recordPath: path, recordReads: true)) { server in
            _ = try await server.result("getAllProjects")
            _ = try await server.result("system.listMethods")
            _ = try await server.result("getFrameLog", .string("no/such"), .int(1))
        }
        #expect(try RenderLogFiles.calls(path).map(\.method) == ["getAllProjects", "getFrameLog"])
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
