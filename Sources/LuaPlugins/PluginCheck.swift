import RenderTracker
public import LuaHost

/// One capability run on sample data by `plugins check`.
public struct PluginCheckResult: Sendable {
    public var plugin: String
    /// `name formula`, `estimator` or `hook frame_done`...
    public var capability: String
    /// What it answered (the name, the seconds, "ran"), or why it failed.
    public var outcome: Result<String, LuaCallFailure>
}

extension PluginEngine {
    /// Runs every capability of the loaded plugins once, as the daemon would: the formula and the
    /// estimator on sample input, each hook on a sample event of its kind from a real (in-memory)
    /// render. Use with captured effects so nothing is delivered.
    public func check() -> [PluginCheckResult] {
        guard let generation = generation else { return [] }
        var results: [PluginCheckResult] = []
        if let plugin = generation.requestSet.formulaPlugin {
            let outcome = generation.requestSet.projectName(user: "artist", localHipPath: Self.sampleHipPath, limits: options.requestCallLimits)
            results.append(PluginCheckResult(plugin: plugin, capability: "name formula", outcome: outcome))
        }
        if let plugin = generation.requestSet.estimatorPlugin {
            let outcome = generation.requestSet.secondsLeft(project: Self.sampleProject, limits: options.requestCallLimits)
                .map { $0.map { "\($0) s" } ?? "nil (unknown)" }
            results.append(PluginCheckResult(plugin: plugin, capability: "estimator", outcome: outcome))
        }
        let events = SampleRender.events()
        for name in PluginEvent.Name.allCases {
            guard let event = events.first(where: { $0.name == name }) else { continue }
            for plugin in generation.subscribers[name] ?? [] {
                let outcome = generation.hookSet.runHooks(plugin: plugin, event: event, limits: options.hookCallLimits).map { "ran" }
                results.append(PluginCheckResult(plugin: plugin, capability: "hook \(name.rawValue)", outcome: outcome))
            }
        }
        return results
    }
}

/// A small render played on an in-memory tracker, for one event of every kind built the way the
/// daemon builds them.
enum SampleRender {
    static func events() -> [PluginEvent] {
        let clock = ManualClock(Timestamp(secondsSince1970: 1_767_225_600))
        var tracker = Tracker(clock: clock)
        var events: [PluginEvent] = []
        let everything = Set(PluginEvent.Name.allCases)
        func apply(_ command: TrackerCommand) {
            for event in tracker.apply(command).events {
                events += PluginEvent.events(for: event, in: tracker, wanted: everything)
            }
        }
        let done = "artist/demo_sh010_lighting_v003", failed = "artist/demo_sh020_fx_v007"
        apply(.startedRenderProject(project: done, frames: [1, 2], generatesIFDs: false, jobID: "1201"))
        apply(.startedRenderProject(project: failed, frames: [1, 2], generatesIFDs: false, jobID: "1202"))
        for frame in [1, 2] {
            apply(.startedFrameRender(project: done, frame: frame, jobID: "120\(frame + 2)", imagePath: "/renders/sh010/beauty.\(frame).exr"))
            clock.advance(bySeconds: 95)
            apply(.setFrameRenderFraction(project: done, frame: frame, fraction: 1))
        }
        apply(.startedFrameRender(project: failed, frame: 1, jobID: "1205", imagePath: "/renders/sh020/fx.1.exr"))
        apply(.setFrameError(project: failed, frame: 1, message: "mantra: Unable to load texture /textures/missing.rat"))
        apply(.startedFrameRender(project: failed, frame: 2, jobID: "1206", imagePath: "/renders/sh020/fx.2.exr"))
        var stalls = StallWatch(stallSeconds: 900)
        clock.advance(bySeconds: 1000)
        events += stalls.newStalls(in: tracker)
        apply(.setFrameError(project: failed, frame: 2, message: "job 1206 lost its machine"))
        apply(.removeProject(project: failed))
        return events
    }
}
