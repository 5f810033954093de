public import Logging
public import LuaPlugins
public import RenderLog
public import RenderTracker
public import RPC

/// The tracker with its RPC methods, plugins and observers: everything the daemon serves, without
/// the network. The server's `buildApplication` puts HTTP in front of it; replays and scenarios
/// call its dispatcher directly, in virtual time, so they exercise the same code the farm reaches.
///
/// It assembles the two pipelines every call goes through:
/// - writes: `SharedTracker.apply` → the change feed, plugin hooks, the render log, the store
///   (inside the lock), then `observers` given here, then logging (after the lock);
/// - calls: `RPCDispatcher` → fault logging and recorded reads; the server adds its metrics.
public struct TrackerCore: Sendable {
    public let tracker: SharedTracker
    /// The plugins loaded from the configuration's folder; nil without a folder.
    public let plugins: PluginEngine?
    public let dispatcher: RPCDispatcher
    /// The estimate seam: every summary and time-left read goes through it.
    public let timeLeft: TimeLeft
    /// Every write's changes, for the live event stream.
    public let feed: ChangeFeed
    /// Where calls are recorded; nil records nothing.
    public let recorder: RenderLogRecorder?
    /// Stalled-frame checks on the tracker's clock (`checkForStalls`).
    public let stalls: StallScheduler
    /// Where state and past renders are kept; the write pipeline's stage after the render log.
    public let store: any TrackerStore

    /// - Parameters:
    ///   - clock: the tracker's clock; a `ManualClock` runs it in virtual time.
    ///   - pluginEffects: where plugin notifications go; nil delivers them for real.
    ///   - recorder: the render log every successful write (and read, if it says so) is appended
    ///     to, stamped with `clock`'s time.
    ///   - observers: told of every write after the built-in stages (scenarios keep the events).
    ///   - stallCheckSeconds: how often, in seconds of `clock`, `checkForStalls` looks.
    ///   - store: where state and past renders are kept; memory by default.
    ///   - restored: what `store.restore` gave back: the tracker starts from it.
    public init(
        configuration: TrackerConfiguration, logger: Logger, clock: any TrackerClock = SystemClock(),
        pluginEffects: (any PluginEffects)? = nil, recorder: RenderLogRecorder? = nil, observers: [any TrackerObserver] = [],
        stallCheckSeconds: Double = 60, store: any TrackerStore = MemoryStore(), restored: RestoredState = RestoredState()
    ) {
        let plugins = configuration.pluginFolder.map { folder in
            PluginEngine(
                folder: PluginFolder(path: folder), options: configuration.pluginOptions,
                effects: pluginEffects
                    ?? LivePluginEffects(logger: logger, destinations: PostDestinations(refusedNetworks: configuration.pluginOptions.refusedPostNetworks)),
                clock: clock, logger: logger
            )
        }
        // A folder that does not load leaves the built-in behaviour running; fixing a file reloads it.
        plugins?.reload()
        let feed = ChangeFeed()
        let recording = recorder.map { RenderLogObserver(recorder: $0, clock: clock) }
        var stages: [any TrackerObserver] = [feed]
        if let plugins { stages.append(PluginHookObserver(plugins: plugins)) }
        if let recording { stages.append(recording) }
        stages.append(store)
        let tracker = SharedTracker(
            Tracker(
                restoring: restored.projects, lastEventID: restored.lastEventID, histories: restored.histories, clock: clock, limits: configuration.trackerLimits),
            observers: stages + observers + [TrackerEventLog(logger: logger)], sequencer: store.sequencer)
        let timeLeft = TimeLeft(plugins: plugins)
        let methods = RenderTrackerMethods.all(
            tracker: tracker, nameFormula: plugins ?? BuiltInProjectNameFormula(), timeLeft: timeLeft, store: store)
        var callObservers: [any RPCCallObserver] = [CallLog(logger: logger)]
        if let recording { callObservers.append(recording) }
        self.tracker = tracker
        self.plugins = plugins
        self.dispatcher = RPCDispatcher(methods: methods, observers: callObservers)
        self.timeLeft = timeLeft
        self.recorder = recorder
        self.feed = feed
        self.store = store
        self.stalls = StallScheduler(stallSeconds: configuration.pluginOptions.stallSeconds, interval: stallCheckSeconds, start: clock.now())
        // A shared store's daemon may take the lease from one that died before reporting a stall:
        // it reports what is stalled when it first looks (at least once, never lost).
        if !restored.projects.isEmpty, store.sequencer == nil {
            stalls.takeCurrentStallsAsReported(in: tracker)
        }
    }

    /// Frames that stalled since the last look, when a look is due by the tracker's clock; handed
    /// to the plugins that hook frame_stalled. The daemon calls it as wall time passes, scenarios
    /// as virtual time does.
    /// With a store shared by several daemons, only the daemon holding the store's lease looks,
    /// so each stall is reported once; when the lease moves, the new holder reports the stalls
    /// present then again (at least once, never lost).
    @discardableResult
    public func checkForStalls() -> [PluginEvent] {
        guard store.leadsSharedWork else { return [] }
        return stalls.checkIfDue(in: tracker, plugins: plugins)
    }
}
