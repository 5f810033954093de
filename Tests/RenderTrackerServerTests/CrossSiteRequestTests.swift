import Foundation
import Testing
import RPC
import RenderTrackerServer
import RenderTrackerTesting

/// A page on another site can make a browser POST a text/plain body without asking first; the
/// daemon must not take it as a call.
@Suite("Cross-site requests")
struct CrossSiteRequestTests {
    private static let write = #"{"jsonrpc": "2.0", "method": "startedRenderProject", "params": ["evil/shot", [1], false, "1"], "id": 1}"#

    @Test("a browser request from another site, or from no site, is refused and changes nothing", arguments: [
        "http://evil.example", "http://127.0.0.1.evil.example", "null",
    ])
    func refused(origin: String) async throws {
        try await RunningServer.with { server in
            let answer = try await server.post(body: Self.write, contentType: "text/plain", headers: ["Origin": origin])
            #expect(answer.status == 403)
            // Hummingbird writes the message in a JSON body, where "/" is escaped.
            let escapedOrigin = origin.replacingOccurrences(of: "/", with: #"\/"#)
            #expect(answer.body.contains("cross-site request refused: a page from \(escapedOrigin)"), "\(answer.body)")
            #expect(try await server.result("getAllProjects") == .array([]))
        }
    }

    @Test("the daemon's own page and clients that send no Origin are served")
    func sameSiteServed() async throws {
        try await RunningServer.with { server in
            let fromPage = try await server.post(body: Self.write, headers: ["Origin": server.url])
            #expect(fromPage.status == 200, "\(fromPage.body)")
            #expect(try await server.result("getAllProjects") == .array([.string("evil/shot")]))
            let script = try await server.post(body: #"{"jsonrpc": "2.0", "method": "isRunning", "id": 2}"#, contentType: "text/plain")
            #expect(script.status == 200 && script.body.contains("true"))
        }
    }
}

/// The admin routes change state too: the same-origin policy is on their route group, beside the
/// local-peer one.
@Suite("Cross-site admin requests")
struct CrossSiteAdminTests {
    @Test("a page from another site cannot make the daemon reload its plugins")
    func reloadRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await RunningServer.with(configuration: RenderTrackerConfiguration(pluginFolder: folder.path, pluginWatchSeconds: 3600)) { server in
            let refused = try await server.post("/admin/plugins/reload", body: "", contentType: "text/plain", headers: ["Origin": "http://evil.example"])
            #expect(refused.status == 403, "\(refused.body)")
            let status = try await server.get("/admin/plugins")
            #expect(status.status == 200 && status.body.contains(#""reloads":1"#), "only the start-up load: \(status.body)")
            let local = try await server.send("/admin/plugins/reload", method: "POST")
            #expect(local.status == 200, "\(local.body)")
        }
    }
}
