import Foundation
import RenderTrackerServer
import RenderTrackerTesting
import RPC
import Testing

/// `GET /preview` (`serve --preview-root`): a Done frame's image under a root is served; nothing
/// outside the roots is, whether reached by `..` or by a symbolic link under a root.
@Suite("Frame previews")
struct PreviewRouteTests {
    /// A 1x1 PNG.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    /// root/shot.0001.png, outside/secret.png, root/escape.png -> outside/secret.png, root/notes.txt.
    static func folders() throws -> (root: String, outside: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-previews-test-\(UUID().uuidString)")
        let root = base.appendingPathComponent("renders"), outside = base.appendingPathComponent("outside")
        for folder in [root, outside] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data(png).write(to: root.appendingPathComponent("shot.0001.png"))
        try Data(png).write(to: outside.appendingPathComponent("secret.png"))
        try "not an image".write(to: root.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("escape.png").path, withDestinationPath: outside.appendingPathComponent("secret.png").path)
        return (root.path, outside.path)
    }

    /// Frame n Done with the image path paths[n - 1].
    static func done(_ server: RunningServer, _ paths: [String]) async throws {
        try await server.call("startedRenderProject", .string("p/shot"), .array((1...paths.count).map(RPCValue.int)), .bool(false), .string("1"))
        for (index, path) in paths.enumerated() {
            try await server.call("startedFrameRender", .string("p/shot"), .int(index + 1), .string("1"), .string(path))
            try await server.call("setFrameRenderFraction", .string("p/shot"), .int(index + 1), .double(1))
        }
    }

    @Test("a PNG under the root is served; outside it, by path, by .. or by a symbolic link, none is")
    func insideAndOutside() async throws {
        let (root, outside) = try Self.folders()
        var configuration = RenderTrackerConfiguration()
        configuration.previewRoots = [root]
        try await RunningServer.with(configuration: configuration) { server in
            try await Self.done(server, [
                root + "/shot.0001.png", outside + "/secret.png", root + "/../outside/secret.png", root + "/escape.png",
                root + "/notes.txt", root + "/missing.png",
            ])
            let served = try await server.get("/preview?project=p%2Fshot&frame=1")
            #expect(served.status == 200 && served.contentType == "image/png")
            #expect(served.body == String(decoding: Self.png, as: UTF8.self))
            for frame in 2...4 {
                let refused = try await server.get("/preview?project=p%2Fshot&frame=\(frame)")
                #expect(refused.status == 404 && refused.body.contains("not a file under a --preview-root"), "frame \(frame): \(refused.body)")
            }
            let text = try await server.get("/preview?project=p%2Fshot&frame=5")
            #expect(text.status == 404 && text.body.contains("PNG, JPEG and EXR"), "\(text.body)")
            #expect(try await server.get("/preview?project=p%2Fshot&frame=6").status == 404)
            // Not Done: no preview even under the root.
            try await server.call("startedFrameRender", .string("p/shot"), .int(1), .string("2"), .string(root + "/shot.0001.png"))
            let rendering = try await server.get("/preview?project=p%2Fshot&frame=1")
            #expect(rendering.status == 404 && rendering.body.contains("until the frame is Done"))
            #expect(try await server.get("/preview?project=p%2Fshot").status == 400)
        }
    }

    @Test("without --preview-root, previews are off")
    func off() async throws {
        let (root, _) = try Self.folders()
        try await RunningServer.with { server in
            try await Self.done(server, [root + "/shot.0001.png"])
            let answer = try await server.get("/preview?project=p%2Fshot&frame=1")
            #expect(answer.status == 404 && answer.body.hasPrefix("previews are off"))
        }
    }

    @Test("a root that is not a folder is refused, naming it")
    func badRoot() throws {
        #expect(throws: PreviewRoots.Invalid.self) { try PreviewRoots(["/nonexistent/renders"]) }
        #expect(throws: PreviewRoots.Invalid.self) { try PreviewRoots(["/etc/hostname"]) }
    }
}
