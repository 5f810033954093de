public import Logging
public import LuaPlugins
public import RenderTracker

/// The tracker with its RPC methods, plugins and observers: everything the daemon serves, without
/// the network. `buildApplication` puts HTTP in front of it; replays and scenarios call its
/// dispatcher directly, in virtual time, so they exercise the same code the farm reaches.
public struct TrackerCore: Sendable {
    public let tracker: SharedTracker
    /// The plugins loaded from the configuration's folder; nil without a folder.
    public let plugins: PluginEngine?
    public let dispatcher: RPCDispatcher
    /// Every write's changes, for the live event stream.
    public let feed: ChangeFeed
    public let metrics: ServerMetrics

    /// Where calls are recorded; nil records nothing.
    public let recorder: RenderLogRecorder?

    /// - Parameters:
    ///   - pluginEffects: where plugin notifications go; nil delivers them for real.
    ///   - recorder: the render log every successful write (and read, if it says so) is appended
    ///     to, stamped with `clock`'s time.
    ///   - observers: told of every write after the built-in ones (scenarios keep the events).
    public init(
        configuration: RenderTrackerConfiguration, logger: Logger, clock: any TrackerClock = SystemClock(),
        pluginEffects: (any PluginEffects)? = nil, recorder: RenderLogRecorder? = nil, observers: [any TrackerObserver] = []
    ) {
        let plugins = configuration.pluginFolder.map { folder in
            PluginEngine(
                folder: PluginFolder(path: folder), options: configuration.pluginOptions,
                effects: pluginEffects ?? LivePluginEffects(logger: logger), clock: clock, logger: logger
            )
        }
        // A folder that does not load leaves the built-in behaviour running; fixing a file reloads it.
        plugins?.reload()
        // This tracker's own metrics: parts that report numbers (plugins, ...) register them here.
        let metrics = ServerMetrics()
        // The live stream's feed and the plugins' hooks are told of every write.
        let feed = ChangeFeed()
        let tracker = SharedTracker(
            Tracker(clock: clock, limits: configuration.trackerLimits), logger: logger,
            observers: [feed] + (plugins.map { [PluginHookObserver(plugins: $0)] } ?? []) + observers, recorder: recorder
        )
        metrics.reportTotals(of: tracker)
        if let plugins {
            metrics.reportPlugins(of: plugins)
        }
        let methods = RenderTrackerMethods.all(
            tracker: tracker, nameFormula: plugins ?? BuiltInProjectNameFormula(), timeLeft: TimeLeft(plugins: plugins)
        )
        self.tracker = tracker
        self.plugins = plugins
        self.dispatcher = RPCDispatcher(methods: methods, logger: logger, metrics: metrics, recorder: recorder, clock: clock)
        self.recorder = recorder
        self.feed = feed
        self.metrics = metrics
    }
}
