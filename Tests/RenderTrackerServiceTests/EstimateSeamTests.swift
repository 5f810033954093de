import Foundation
import LuaPlugins
import RenderTracker
import RenderTrackerService
import RPC
import Testing

/// Every reader of the estimate goes through one seam (`TimeLeft`): with a plugin estimator
/// loaded, the event stream's batches carry the estimate `getProjectSummary` answers (they used
/// to carry the built-in one).
@Suite("Estimate seam")
struct EstimateSeamTests {
    /// An estimator no built-in rule would give: 4242 s for any running project.
    private static let estimator = "tracker.set_estimator(function(project) return 4242 end)"

    private static func core(plugin: String?) throws -> TrackerCore {
        var configuration = TrackerConfiguration()
        if let plugin {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-seam-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try plugin.write(to: folder.appendingPathComponent("constant.lua"), atomically: true, encoding: .utf8)
            configuration.pluginFolder = folder.path
        }
        let core = TrackerCore(configuration: configuration, logger: .silent, clock: ManualClock(), pluginEffects: CapturedPluginEffects())
        _ = core.dispatcher.call("startedRenderProject", [.string("seam/shot"), .array([.int(1), .int(2)]), .bool(false), .string("1")])
        _ = core.dispatcher.call("startedFrameRender", [.string("seam/shot"), .int(1), .string("1"), .string("/tmp/x.exr")])
        return core
    }

    private static func streamed(_ core: TrackerCore) -> [RPCValue] {
        core.tracker.read { tracker in
            ChangeBatch(tracker: tracker, since: 0, following: "seam/shot", sentNames: nil, projectExisted: nil, timeLeft: core.timeLeft)
        }.projects()
    }

    @Test("getProjectSummary, getEstimatedRenderSecondsLeft and the event stream agree on the plugin's estimate")
    func pluginEstimateEverywhere() throws {
        let core = try Self.core(plugin: Self.estimator)
        let summary = try core.dispatcher.call("getProjectSummary", [.string("seam/shot")]).get()
        guard case .structure(let fields) = summary else { Issue.record("no summary: \(summary)"); return }
        #expect(fields["seconds_left"] == .double(4242))
        #expect(try core.dispatcher.call("getEstimatedRenderSecondsLeft", [.string("seam/shot")]).get() == .double(4242))
        #expect(Self.streamed(core) == [summary], "the page must show what getProjectSummary answers")
    }

    @Test("without plugins the stream and getProjectSummary carry the same built-in estimate")
    func builtInEverywhere() throws {
        let core = try Self.core(plugin: nil)
        let summary = try core.dispatcher.call("getProjectSummary", [.string("seam/shot")]).get()
        #expect(Self.streamed(core) == [summary])
    }
}
