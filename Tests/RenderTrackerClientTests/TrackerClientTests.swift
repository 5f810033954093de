import RenderTracker
import RenderTrackerClient
import RenderTrackerServer
import RenderTrackerTesting
import RPC
import Testing

/// `TrackerClient` against the real daemon, over both encodings.
@Suite("Tracker client")
struct TrackerClientTests {
    @Test("XML-RPC and JSON-RPC get the same answers, typed", arguments: [TrackerClient.Encoding.xmlRPC, .jsonRPC])
    func typedAnswers(encoding: TrackerClient.Encoding) async throws {
        try await RunningServer.with { server in
            let client = try server.client(encoding)
            #expect(try await client.call("startedRenderProject", [.string("c/shot"), .array([.int(2), .int(1)]), .bool(false), .string("7")]) == .bool(true))
            _ = try await client.call("setFrameRenderFraction", [.string("c/shot"), .int(1), .double(0.5)])
            #expect(try await client.allProjects() == ["c/shot"])
            let summary = try #require(try await client.projectSummary("c/shot"))
            #expect(summary.name == "c/shot" && summary.jobID == "7" && summary.frameCount == 2 && summary.state == .running)
            #expect(summary.statusCounts[.rendering] == 1 && summary.statusCounts[.waiting] == 1)
            #expect(try await client.projectSummary("nobody/none") == nil)
            #expect(try await client.allFramesInfo("c/shot") == [
                FrameSnapshot(number: 1, status: .rendering, fraction: 0.5), FrameSnapshot(number: 2, status: .waiting, fraction: 0),
            ])
            let changes = try await client.changedFrames("c/shot", since: 0)
            #expect(changes.reset && changes.frames.count == 2 && changes.eventID > 0)
        }
    }

    @Test("a fault is an answer: a value from `answer`, thrown by `call`; multicall keeps each call's own")
    func faults() async throws {
        try await RunningServer.with { server in
            let client = try server.client(.xmlRPC)
            let answer = try await client.answer("isProjectDone", [.string("ghost")])
            #expect(answer == .failure(RPCFault(code: 1, message: "no such project: \"ghost\"")))
            await #expect(throws: RPCFault.self) { try await client.call("noSuchMethod") }
            let results = try await client.multicall([("isRunning", []), ("isProjectDone", [.string("ghost")])])
            #expect(results.count == 2 && results[0] == .success(.bool(true)))
            guard case .failure(let fault) = results[1] else { Issue.record("expected a fault: \(results[1])"); return }
            #expect(fault.code == 1 && fault.message.hasPrefix("isProjectDone: "))
        }
    }

    @Test("no answer is a TrackerClientError naming why")
    func noAnswer() async throws {
        #expect(throws: TrackerClientError.self) { try TrackerClient(url: "ftp://tracker:5002") }
        // Port 9 (discard) on loopback: nothing listens in a test machine.
        let nobody = try TrackerClient(url: "http://127.0.0.1:9/RPC2", timeoutSeconds: 5)
        await #expect { try await nobody.call("isRunning") } throws: { error in
            (error as? TrackerClientError)?.kind == .unreachable
        }
        try await RunningServer.with { server in
            let wrongPath = try TrackerClient(url: server.url + "/no/such/path")
            await #expect { try await wrongPath.call("isRunning") } throws: { error in
                if case .httpStatus(let status)? = (error as? TrackerClientError)?.kind { status == 404 || status == 405 } else { false }
            }
        }
    }
}
