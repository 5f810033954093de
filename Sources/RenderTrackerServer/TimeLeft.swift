public import LuaPlugins
public import RenderTracker

/// The estimate of time left that RPC answers carry: the model's built-in one, or a plugin's
/// when one is loaded. The plugin runs after the tracker's lock is released, on a snapshot taken
/// under it, so a slow estimator never holds up writes. Finished projects keep the built-in
/// answer (0 when done, nil when failed).
public struct TimeLeft: Sendable {
    public let plugins: PluginEngine?

    public init(plugins: PluginEngine? = nil) {
        self.plugins = plugins
    }

    public func secondsLeft(for name: String, in tracker: SharedTracker) -> Double? {
        guard let plugins, case let estimator = plugins.estimator, estimator.inUse else { return tracker.read { $0.estimatedSecondsLeft(for: name) } }
        let taken = tracker.read { tracker -> (builtIn: Double?, snapshot: LuaEncoder?) in
            let builtIn = tracker.estimatedSecondsLeft(for: name)
            return (builtIn, snapshot(of: name, in: tracker, builtIn: builtIn, allFrames: estimator.wantsFrames, plugins: plugins))
        }
        guard let snapshot = taken.snapshot else { return taken.builtIn }
        return plugins.secondsLeft(snapshot: snapshot, builtIn: taken.builtIn)
    }

    public func summary(of name: String, in tracker: SharedTracker) -> ProjectSummary? {
        guard let plugins, case let estimator = plugins.estimator, estimator.inUse else { return tracker.read { $0.summary(of: name) } }
        let taken = tracker.read { tracker -> (summary: ProjectSummary?, snapshot: LuaEncoder?) in
            guard let summary = tracker.summary(of: name) else { return (nil, nil) }
            return (summary, snapshot(of: name, in: tracker, builtIn: summary.secondsLeft, allFrames: estimator.wantsFrames, plugins: plugins))
        }
        guard var summary = taken.summary, let snapshot = taken.snapshot else { return taken.summary }
        summary.secondsLeft = plugins.secondsLeft(snapshot: snapshot, builtIn: summary.secondsLeft)
        return summary
    }

    private func snapshot(of name: String, in tracker: Tracker, builtIn: Double?, allFrames: Bool, plugins: PluginEngine) -> LuaEncoder? {
        guard let project = tracker.project(named: name), project.state == .running else { return nil }
        return ProjectSnapshot.encoded(
            of: project, now: tracker.clock.now(), builtInSecondsLeft: builtIn, allFrames: allFrames, frameLimit: plugins.options.snapshotFrameLimit)
    }
}
