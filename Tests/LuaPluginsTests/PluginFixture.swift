import Foundation
import Logging
@testable import LuaPlugins
import RenderTracker

/// A throw-away plugin folder and an engine over it, with notifications captured.
struct PluginFixture {
    let folder: URL
    let effects = CapturedPluginEffects()
    let clock = ManualClock(Timestamp(secondsSince1970: 1_700_000_000))
    let engine: PluginEngine

    init(_ plugins: [String: String], options: PluginOptions = PluginOptions(), environment: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in plugins {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        engine = PluginEngine(
            folder: PluginFolder(path: folder.path, environment: environment), options: options, effects: effects, clock: clock,
            logger: Logger(label: "plugins-test") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Loads every plugin into one fresh state, as a reload would, and returns it.
    func load() throws -> PluginSet {
        try PluginSet(files: try PluginFolder(path: folder.path, environment: [:]).read(), options: engine.options, host: host)
    }

    var host: PluginHost {
        PluginHost(effects: effects, clock: clock, logger: Logger(label: "plugins-test") { _ in SwiftLogNoOpLogHandler() }, environment: ["STUDIO": "north"])
    }
}
