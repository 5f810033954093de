import Foundation
import Testing
import XMLRPC
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
