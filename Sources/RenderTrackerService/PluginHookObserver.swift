public import LuaPlugins
public import RenderTracker

/// Hands every write's events to the plugins' hook queue (inside the lock: the queue is bounded
/// and never blocks; the hooks run on their own thread).
public struct PluginHookObserver: TrackerObserver {
    public let plugins: PluginEngine

    public init(plugins: PluginEngine) {
        self.plugins = plugins
    }

    /// Hooks run on the daemon that took the write, so once across daemons sharing a store.
    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        guard !write.outcome.events.isEmpty, write.origin == .here else { return }
        plugins.enqueue(write.outcome.events, in: tracker)
    }
}
