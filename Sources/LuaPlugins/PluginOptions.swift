public import LuaHost
/// How plugins are run: every limit has a default a studio rarely needs to change.
public struct PluginOptions: Sendable, Equatable {
    /// Naming and estimate calls, made while an RPC waits for the answer: kept short.
    public var requestCallLimits: LuaCallLimits
    /// Event hooks, run on their own thread: more room for building a message.
    public var hookCallLimits: LuaCallLimits
    /// Bytes each Lua state may hold (the daemon keeps two: one for requests, one for hooks).
    public var memoryLimitBytes: Int
    /// Events waiting for hooks; beyond this, new events are dropped and counted.
    public var hookQueueCapacity: Int
    /// A Rendering frame with no progress for this long fires frame_stalled (once per stall).
    public var stallSeconds: Double
    /// Failures in a row after which a plugin is disabled until the next reload.
    public var failuresBeforeDisabling: Int
    /// Estimators get every frame up to this many; larger projects send only the frames in flight.
    public var snapshotFrameLimit: Int
    /// Networks `tracker.http_post` may not post to (the daemon itself is always refused).
    public var refusedPostNetworks: [IPNetwork]

    public init(
        requestCallLimits: LuaCallLimits = LuaCallLimits(instructions: 1_000_000, seconds: 0.05),
        hookCallLimits: LuaCallLimits = LuaCallLimits(instructions: 10_000_000, seconds: 1),
        memoryLimitBytes: Int = 64 << 20,
        hookQueueCapacity: Int = 10_000,
        stallSeconds: Double = 15 * 60,
        failuresBeforeDisabling: Int = 5,
        snapshotFrameLimit: Int = 20_000,
        refusedPostNetworks: [IPNetwork] = IPNetwork.linkLocal
    ) {
        self.refusedPostNetworks = refusedPostNetworks
        self.requestCallLimits = requestCallLimits
        self.hookCallLimits = hookCallLimits
        self.memoryLimitBytes = memoryLimitBytes
        self.hookQueueCapacity = hookQueueCapacity
        self.stallSeconds = stallSeconds
        self.failuresBeforeDisabling = failuresBeforeDisabling
        self.snapshotFrameLimit = snapshotFrameLimit
    }
}
