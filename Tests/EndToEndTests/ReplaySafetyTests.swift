import Foundation
import Testing
import RenderTrackerTesting

/// `rendertracker replay --url` into a live tracker is safe by default: it leaves the tracker's
/// own projects alone unless told, does not feed a log to the daemon recording it, and reports
/// only the log's projects.
@Suite("Replaying into a live tracker")
struct ReplaySafetyTests {
    static let log = ServiceOperationsTests.packageFolder + "/examples/logs/hip.jsonl"

    private func replay(_ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run([CommandLineTests.executable, "replay"] + arguments, separateErrors: true)
    }

    @Test("a project the log names that the tracker has is refused unless --replace; the summary lists only the log's projects", .timeLimit(.minutes(1)))
    func existingProjects() async throws {
        try await RunningServer.with { server in
            _ = try await server.result("startedRenderProject", .string("bob/city_v003"), .array([.int(1)]), .bool(false), .string("live"))
            _ = try await server.result("startedRenderProject", .string("anna/other_v001"), .array([.int(1)]), .bool(false), .string("live"))
            let refused = try await replay([Self.log, "--url", server.url + "/RPC2", "--fast"])
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.errors.contains("already has a project this log names (\"bob/city_v003\")"), "\(refused.errors)")
            #expect(refused.errors.contains("give --replace"), "\(refused.errors)")
            #expect(try await server.result("getFrameJobID", .string("bob/city_v003"), .int(1)) == .string("live"), "the live project is untouched")
            let replaced = try await replay([Self.log, "--url", server.url + "/RPC2", "--fast", "--replace"])
            #expect(replaced.status == 0, "\(replaced.errors)")
            #expect(replaced.output.contains("bob/city_v003"), "\(replaced.output)")
            #expect(!replaced.output.contains("anna/other_v001"), "the tracker's other projects are not the replay's: \(replaced.output)")
        }
    }

    @Test("a tracker that records to the log being replayed is refused after the first call, and the replay ends", .timeLimit(.minutes(1)))
    func recordsToTheSameLog() async throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-replay-\(UUID().uuidString).jsonl").path
        try FileManager.default.copyItem(atPath: Self.log, toPath: copy)
        let lines = try String(contentsOfFile: copy, encoding: .utf8).split(separator: "\n").count
        try await ServiceOperationsTests().withDaemon(serve: ["--record", copy]) { url, _ in
            let refused = try await replay([copy, "--url", url + "/RPC2", "--fast"])
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.errors.contains("records to \(copy), the log being replayed"), "\(refused.errors)")
            let grown = try String(contentsOfFile: copy, encoding: .utf8).split(separator: "\n").count
            #expect(grown == lines + 2, "the daemon's header and the one call sent: \(grown - lines) lines")
        }
    }
}
