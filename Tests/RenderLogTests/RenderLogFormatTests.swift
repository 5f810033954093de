import Foundation
import RenderLog
import RenderTracker
import RPC
import Testing

/// The render-log format on its own: lines written and read back, headers, and the errors a
/// damaged line gets.
@Suite("Render-log format")
struct RenderLogFormatTests {
    /// A line without its newline, decoded.
    private static func decode(_ line: [UInt8]) throws -> RenderLogEntry {
        let text = Array(line.dropLast())
        return try text.withUnsafeBytes { bytes in try RenderLog.decode(bytes) }
    }

    @Test("a call keeps its method, client, time and parameters as sent (ints, doubles, base64, nil)")
    func callRoundTrip() throws {
        let call = RecordedCall(
            method: "setFrameError", params: [.string("a/b"), .int(12), .double(0.5), .base64([0, 255, 7]), .null, .array([.bool(true)])],
            client: "10.1.2.3")
        let entry = RenderLogEntry.call(call, time: Timestamp(secondsSince1970: 1_800_000_000.25))
        let line = RenderLog.line(entry)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")), "one line per entry")
        #expect(try Self.decode(line) == entry)
    }

    @Test("a header names the format and version and reads back")
    func headerRoundTrip() throws {
        let entry = RenderLogEntry.header(RenderLogHeader(started: "2026-12-03T10:00:00Z", source: "serve"))
        let text = String(decoding: RenderLog.line(entry), as: UTF8.self)
        #expect(text.contains(#""format":"rendertracker-log""#) && text.contains(#""version":1"#))
        #expect(try Self.decode(Array(text.utf8)) == entry)
    }

    @Test("damaged lines are refused with a reason", arguments: [
        "not json at all", "[1, 2]", #"{"time": "2026-12-03T10:00:00Z"}"#,
    ])
    func damaged(line: String) {
        #expect(throws: RenderLog.LineError.self) { try Self.decode(Array((line + "\n").utf8)) }
    }

    @Test("a recorder's file reads back through the reader: header, then the calls in order")
    func recorderToReader() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-format-\(UUID().uuidString).jsonl").path
        let recorder = try RenderLogRecorder(path: path, recordReads: false, source: "test", logger: .init(label: "test"))
        for frame in 1...3 {
            recorder.append(RecordedCall(method: "startedFrameRender", params: [.string("p"), .int(frame)]), at: Timestamp(secondsSince1970: Double(frame)))
        }
        recorder.flush()
        var methods: [String] = []
        var headers = 0
        for entry in try RenderLogReader.entries(path: path) {
            switch entry {
            case .header: headers += 1
            case .call(let call, _): methods.append("\(call.method) \(call.params[1])")
            }
        }
        #expect(headers == 1)
        #expect(methods == ["startedFrameRender int(1)", "startedFrameRender int(2)", "startedFrameRender int(3)"])
    }
}
