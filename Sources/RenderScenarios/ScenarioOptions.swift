public import Logging
public import LuaPlugins
public import RenderTracker

/// How scenarios run: with which plugins, from which virtual moment, within which limits.
public struct ScenarioOptions: Sendable {
    /// Lua plugins loaded into the in-process tracker (naming, estimate, hooks); their
    /// notifications are captured for `farm:notifications()`, never delivered.
    public var pluginFolder: String?
    public var pluginOptions: PluginOptions
    /// The virtual moment scenarios begin (the tracker's clock reads it at second 0).
    public var start: Timestamp
    /// Wall-clock seconds a scenario may run before it is stopped.
    public var timeoutSeconds: Double
    /// Memory for the scenario's Lua state, in bytes.
    public var memoryBytes: Int
    /// Where the tracker's own log lines go (plugin warnings included).
    public var logger: Logger
    /// A render log of every call the scenario's farm made, which `replay` accepts.
    public var emitLog: String?
    /// Which set of seeds the scenario runs with: 0 runs each farm with the seed its script gives;
    /// set `k` adds `k * seedSetStride` to it, another night of the same farm (`--seeds N` runs sets 0 to N-1).
    public var seedSet: Int = 0
    public static let seedSetStride = 7_919

    public init(
        pluginFolder: String? = nil, pluginOptions: PluginOptions = .init(),
        start: Timestamp = Timestamp(secondsSince1970: 1_772_395_200),  // 2026-03-01T20:00:00Z, a night on the farm
        timeoutSeconds: Double = 600, memoryBytes: Int = 1 << 30, logger: Logger, emitLog: String? = nil
    ) {
        self.pluginFolder = pluginFolder
        self.pluginOptions = pluginOptions
        self.start = start
        self.timeoutSeconds = timeoutSeconds
        self.memoryBytes = memoryBytes
        self.logger = logger
        self.emitLog = emitLog
    }
}
