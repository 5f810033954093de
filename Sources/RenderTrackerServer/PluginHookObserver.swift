public import LuaPlugins
public import RenderTracker

/// Hands every write's events to the plugins' hook queue.
public struct PluginHookObserver: TrackerObserver {
    public let plugins: PluginEngine

    public init(plugins: PluginEngine) {
        self.plugins = plugins
    }

    public func trackerDidApply(_ command: TrackerCommand, outcome: TrackerOutcome, in tracker: Tracker) {
        guard !outcome.events.isEmpty else { return }
        plugins.enqueue(outcome.events, in: tracker)
    }
}
