public import LuaPlugins
public import RenderTracker

/// What the tracker itself is told, apart from how it is reached (the server's
/// `RenderTrackerConfiguration` adds host, port and HTTP limits).
public struct TrackerConfiguration: Sendable {
    public var trackerLimits: TrackerLimits
    /// The folder of Lua plugins; nil runs the built-in behaviour only.
    public var pluginFolder: String?
    public var pluginOptions: PluginOptions

    public init(trackerLimits: TrackerLimits = .init(), pluginFolder: String? = nil, pluginOptions: PluginOptions = .init()) {
        self.trackerLimits = trackerLimits
        self.pluginFolder = pluginFolder
        self.pluginOptions = pluginOptions
    }
}
