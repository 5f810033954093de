import Foundation
@testable import RenderTrackerServer
import Testing

/// The live monitor page: its embedded files, and the page itself in headless Chromium
/// (`Clients/monitor_page.py`, Selenium with Debian's chromium and chromium-driver).
@Suite("The live monitor page")
struct MonitorPageTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/RenderTrackerServer/Monitor")

    @Test("MonitorAssets.swift holds exactly the files in Monitor/ (run `make monitor-assets` after editing them)")
    func embeddedFilesMatchSources() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { [".html", ".js", ".css"].contains(where: $0.hasSuffix) }.sorted()
        #expect(MonitorAssets.files.map(\.name) == names, "run `make monitor-assets`")
        for (name, text) in MonitorAssets.files {
            let onDisk = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text == onDisk, "\(name) differs from MonitorAssets.swift: run `make monitor-assets`")
        }
    }

    @Test("every embedded file is served with a content type the browser runs", arguments: MonitorAssets.files.map(\.name))
    func contentTypes(_ name: String) throws {
        let asset = try #require(MonitorPage.assets[name])
        #expect(asset.contentType.hasSuffix("; charset=utf-8") && !asset.contentType.hasPrefix("application/octet-stream"))
    }

    @Test(
        "in headless Chromium: projects listed, frame cells and their states, live changes, reconnection, a name with a space, 3,500 projects, the cause of a failure, a phone's width, charts and past renders",
        .serialized,
        arguments: ["projects_list", "project_view", "live_updates", "reconnect", "name_with_space", "many_projects", "failure_cause", "phone", "charts_and_history"])
    func inBrowser(_ scenario: String) async throws {
        try await PythonScript.expectScenario("monitor_page.py", scenario)
    }

    /// The folder `monitor_page.py previews` puts its images in (and one beside it, outside).
    static let previewRoot = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-monitor-previews")

    @Test("in headless Chromium: a Done frame's PNG under --preview-root shows in its panel; one outside gets the placeholder")
    func previews() async throws {
        try FileManager.default.createDirectory(at: Self.previewRoot, withIntermediateDirectories: true)
        var configuration = RenderTrackerConfiguration()
        configuration.previewRoots = [Self.previewRoot.path]
        try await PythonScript.expectScenario("monitor_page.py", "previews", configuration: configuration)
    }
}
