import LuaHost
public import LuaPlugins
public import RenderTracker

/// The estimate seam: every reader of a project's summary or time left (`getProjectSummary`,
/// `getEstimatedRenderSecondsLeft`, the event stream, replays, scenarios) goes through here, so
/// all of them show the same estimate: the model's built-in one, or a plugin's when one is loaded.
///
/// A read takes two steps, because a plugin estimator must not run under the tracker's lock (a
/// slow one would hold up every write): `take` runs inside the lock and copies what the estimate
/// needs (the summary and, for a plugin, a snapshot of the project); `PendingSummary.resolved()`
/// runs after the lock is released and asks the plugin. Finished projects keep the built-in
/// answer (0 when done, nil when failed).
public struct TimeLeft: Sendable {
    public let plugins: PluginEngine?

    public init(plugins: PluginEngine? = nil) {
        self.plugins = plugins
    }

    /// Inside the tracker's lock: a project's summary, still to be resolved; nil for an unknown project.
    public func take(_ name: String, in tracker: Tracker) -> PendingSummary? {
        guard let summary = tracker.summary(of: name) else { return nil }
        guard let plugins, case let estimator = plugins.estimator, estimator.inUse,
            let project = tracker.project(named: name), project.state == .running
        else { return PendingSummary(summary: summary, plugin: nil) }
        let snapshot = ProjectSnapshot.encoded(
            of: project, now: tracker.clock.now(), builtInSecondsLeft: summary.secondsLeft, allFrames: estimator.wantsFrames,
            frameLimit: plugins.options.snapshotFrameLimit)
        return PendingSummary(summary: summary, plugin: (plugins, snapshot))
    }

    /// A project's summary with the estimate applied; nil for an unknown project.
    public func summary(of name: String, in tracker: SharedTracker) -> ProjectSummary? {
        tracker.read { take(name, in: $0) }?.resolved()
    }

    /// Seconds until the project is likely done; nil without evidence or for an unknown project.
    public func secondsLeft(for name: String, in tracker: SharedTracker) -> Double? {
        summary(of: name, in: tracker)?.secondsLeft
    }
}

/// A summary taken under the tracker's lock whose estimate may still be a plugin's to give.
public struct PendingSummary: Sendable {
    public let summary: ProjectSummary
    fileprivate let plugin: (engine: PluginEngine, snapshot: LuaEncoder)?

    /// After the lock is released: the summary with the plugin's estimate, if one is loaded.
    public func resolved() -> ProjectSummary {
        guard let plugin else { return summary }
        var resolved = summary
        if let estimate = plugin.engine.estimate(snapshot: plugin.snapshot) { resolved.apply(estimate) }
        return resolved
    }
}
