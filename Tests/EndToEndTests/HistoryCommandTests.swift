import Foundation
import Testing
import RenderTrackerTesting

/// `rendertracker history`, `report` and `import`, through the binary.
@Suite("Past renders from the command line")
struct HistoryCommandTests {
    private func rendertracker(_ arguments: String...) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run([CommandLineTests.executable] + arguments, separateErrors: true)
    }

    /// A render log with known times: frames 1 and 2 render for 10 and 30 s, frame 2 after a failed
    /// attempt on another machine; then the project is rendered again.
    private static func renderLog() throws -> String {
        let path = RenderLogFiles.temporaryLog("import")
        let t0 = 1_767_225_600.0
        func call(_ time: Double, _ client: String, _ method: String, _ params: String) -> String {
            #"{"time":\#(t0 + time),"client":"\#(client)","method":"\#(method)","params":\#(params)}"#
        }
        let lines = [
            #"{"format":"rendertracker-log","version":1,"started":"2026-01-01T00:00:00.000Z","source":"serve"}"#,
            call(0, "10.0.0.1", "startedRenderProject", #"["anna/imported",[1,2],false,"501"]"#),
            call(1, "10.0.0.1", "startedFrameRender", #"["anna/imported",1,"502","/r/1.exr"]"#),
            call(11, "10.0.0.1", "setFrameRenderFraction", #"["anna/imported",1,1.0]"#),
            call(12, "10.0.0.7", "startedFrameRender", #"["anna/imported",2,"503","/r/2.exr"]"#),
            call(14, "10.0.0.7", "setFrameError", #"["anna/imported",2,"Error: cannot allocate 12.6 GB"]"#),
            call(20, "10.0.0.2", "startedFrameRender", #"["anna/imported",2,"504","/r/2.exr"]"#),
            call(50, "10.0.0.2", "setFrameRenderFraction", #"["anna/imported",2,1.0]"#),
            call(60, "10.0.0.1", "startedRenderProject", #"["anna/imported",[1],false,"505"]"#),
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("import keeps a log's renders with exact figures; history and report show them from the store")
    func importThenReport() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-import-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = "sqlite:\(folder)/t.db"
        let imported = try await rendertracker("import", "--store", store, try Self.renderLog())
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("imported 2 renders (3 frames) from 8 calls"), "\(imported.output)")

        let daemon = try ChildProcess.start([CommandLineTests.executable, "serve", "--store", store, "--host", "127.0.0.1", "--port", "0"])
        defer { daemon.process.terminate() }
        let listening = try #require(await daemon.line(containing: "rendertracker listening"))
        let url = "http://127.0.0.1:" + (try #require(listening.split(separator: ":").last.map(String.init))) + "/rpc"

        // A second import while the daemon holds the store is refused, naming the lock.
        let locked = try await rendertracker("import", "--store", store, try Self.renderLog())
        #expect(locked.status == 1 && locked.errors.contains("is in use by another rendertracker process"), "\(locked.errors)")

        let history = try await rendertracker("history", "--url", url, "anna/imported")
        #expect(history.status == 0, "\(history.errors)")
        let rows = history.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains("imported") }, "\(history.output)")
        // Newest first: the second render (1 frame, waiting), then the first (2 of 2 done).
        #expect(rows.first?.contains("0/1") == true && rows.last?.contains("2/2") == true, "\(history.output)")

        let oldest = try #require(rows.last?.first.map(String.init))
        let report = try await rendertracker("report", "--url", url, "anna/imported", "--render", oldest, "--json")
        #expect(report.status == 0, "\(report.errors)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let frames = try #require(json["frames"] as? [[String: Any]])
        #expect(frames.map { $0["render_seconds"] as? Double } == [10, 30])
        #expect(frames.map { $0["attempts"] as? Int } == [1, 2])
        #expect(frames.map { $0["machine"] as? String } == ["10.0.0.1", "10.0.0.2"])
        #expect(json["retries"] as? Int == 1)
        #expect((json["failures_by_machine"] as? [[String: Any]])?.first?["machine"] as? String == "10.0.0.7")
        #expect((json["machine_seconds"] as? Double) == 42)  // 10 + 2 (failed) + 30

        let text = try await rendertracker("report", "--url", url, "anna/imported", "--render", oldest, "--frames")
        #expect(text.output.contains("frame time: median 10s, 90% 30s, slowest 30s"), "\(text.output)")
        #expect(text.output.contains("10.0.0.7") && text.output.contains("1 retries"), "\(text.output)")
    }

    @Test("history and report name what is missing and exit 1")
    func missing() async throws {
        try await RunningServer.with { server in
            let url = server.url + "/rpc"
            let none = try await rendertracker("history", "--url", url, "no/such")
            #expect(none.status == 1 && none.errors.contains("no such project: \"no/such\""), "\(none.errors)")
            _ = try await rendertracker("call", "--url", url, "startedRenderProject", "bob/h", "[1]", "false", "1")
            let unknown = try await rendertracker("report", "--url", url, "bob/h", "--render", "999999")
            #expect(unknown.status == 1 && unknown.errors.contains("bob/h has no render 999999"), "\(unknown.errors)")
            let live = try await rendertracker("report", "--url", url, "bob/h")
            #expect(live.status == 0 && live.output.contains("bob/h  render 1  running (live)"), "\(live.output)\(live.errors)")
        }
    }

    @Test("import refuses a damaged log naming the line, and --skip-bad goes past it")
    func damagedLog() async throws {
        let path = try Self.renderLog()
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: #""method":"setFrameError""#, with: #""method":"setFrameError"#)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rt-import-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let refused = try await rendertracker("import", "--store", "sqlite:\(folder)/t.db", path)
        #expect(refused.status == 1 && refused.errors.contains("\(path):6"), "\(refused.errors)")
        #expect(refused.errors.contains("nothing was imported"), "\(refused.errors)")
        let skipped = try await rendertracker("import", "--store", "sqlite:\(folder)/t.db", "--skip-bad", path)
        #expect(skipped.status == 0 && skipped.errors.contains("skipped"), "\(skipped.errors)")
        #expect(skipped.output.contains("imported 2 renders"), "\(skipped.output)")
    }
}
