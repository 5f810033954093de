import BuildInfo
import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
public import LuaPlugins
public import RenderLog
public import RenderTracker
public import RenderTrackerService

/// Everything `rendertracker serve` can be told: how the daemon is reached, and (`tracker`) what
/// the tracker itself is told.
public struct RenderTrackerConfiguration: Sendable {
    public var host: String
    /// 5002 sits next to HQueue's 5000 (server) and 5001 (clients); 0 picks a free port.
    public var port: Int
    public var limits: RPCServerLimits
    public var trackerLimits: TrackerLimits
    /// A connection with no request (or a stalled one) for this long is closed; nil never closes.
    /// Python's xmlrpc.client reconnects by itself when a kept-alive connection was closed.
    public var idleTimeoutSeconds: Int?
    /// A request not read in full this long after its head arrived has its connection closed
    /// (`RequestDeadlineHandler`); nil never. The largest body (32 MiB) needs 4.5 Mbit/s to
    /// arrive in 60 s; a farm call arrives in one read.
    public var requestSeconds: Int?
    /// Connections open at once (`ConnectionLimit`); nil derives it from the file limit when the
    /// daemon is built (`FileLimit.maxConnections(forFileLimit:)`).
    public var maxConnections: Int?
    /// The folder of Lua plugins; nil runs the built-in behaviour only.
    public var pluginFolder: String?
    public var pluginOptions: PluginOptions
    /// How often the plugin folder is looked at for changes, in seconds.
    public var pluginWatchSeconds: Double
    /// The render log every successful write is appended to (`--record`); nil records nothing.
    public var recordPath: String?
    /// Record successful reads too (`--record-reads`).
    public var recordReads: Bool
    /// Where state and past renders are kept. Memory here, so tests and embedders opt in to a
    /// file; `rendertracker serve` defaults to `StoreLocation.defaultSQLite`.
    public var store: StoreLocation
    public var storeOptions: StoreOptions
    /// Who may write, remove projects, administer plugins and read the monitor (`AccessPolicy`);
    /// open by default.
    public var access: AccessPolicy
    /// Folders whose Done frames' images the monitor shows as thumbnails (`--preview-root`);
    /// empty: no previews.
    public var previewRoots: [String] = []

    public init(
        host: String = "0.0.0.0", port: Int = 5002, limits: RPCServerLimits = .init(), trackerLimits: TrackerLimits = .init(),
        idleTimeoutSeconds: Int? = 120, requestSeconds: Int? = 60, maxConnections: Int? = nil, pluginFolder: String? = nil, pluginOptions: PluginOptions = .init(), pluginWatchSeconds: Double = 2,
        recordPath: String? = nil, recordReads: Bool = false, store: StoreLocation = .memory, storeOptions: StoreOptions = .init(),
        access: AccessPolicy = .init()
    ) {
        self.access = access
        self.store = store
        self.storeOptions = storeOptions
        self.recordPath = recordPath
        self.recordReads = recordReads
        self.host = host
        self.port = port
        self.limits = limits
        self.trackerLimits = trackerLimits
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestSeconds = requestSeconds
        self.maxConnections = maxConnections
        self.pluginFolder = pluginFolder
        self.pluginOptions = pluginOptions
        self.pluginWatchSeconds = pluginWatchSeconds
    }

    /// The part the tracker core is built from.
    public var tracker: TrackerConfiguration {
        TrackerConfiguration(trackerLimits: trackerLimits, pluginFolder: pluginFolder, pluginOptions: pluginOptions)
    }
}

/// Builds the daemon: the tracker core, HTTP in front of it, and the services that run beside
/// it. `rendertracker serve` and the tests both run exactly this.
///
/// Routes and the policy on each group (`Access/`, `Middleware/`):
/// - every route: the client's address (a trusted proxy's `X-Forwarded-For`), then a browser's
///   `Host` checked against the names the daemon answers to (DNS rebinding);
/// - `POST /`, `/RPC2`, `/rpc`: same origin, what the methods may do (`allow-writes`, the admin
///   token for `removeProject`), request timing, body limits and inflation;
/// - `/admin/plugins`: the admin token, or this machine only without one; same origin;
/// - `GET /`, `/monitor/*`, `/events`, `/preview`, `/metrics`: the read token when one is set
///   (`/preview` answers only images under the configured `--preview-root` folders);
/// - `GET /healthz`: open to all.
///
/// Every answer names the build in `Server: rendertracker/<version>` (`/healthz`'s body stays
/// `ok` for the checks that compare it).
/// - Throws: `TLSFiles.LoadError` when the TLS certificate or key cannot be read,
///   `RenderLogRecorder.OpenError` when the configuration's render log cannot be opened,
///   `StoreError` when the store cannot be opened or read (in use, damaged, unwritable).
/// - Parameters:
///   - pluginEffects: where plugin notifications go; nil delivers them for real.
///   - onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    configuration: RenderTrackerConfiguration,
    logger: Logger,
    clock: any TrackerClock = SystemClock(),
    pluginEffects: (any PluginEffects)? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let store = try configuration.store.open(options: configuration.storeOptions, logger: logger)
    let restored = try store.restore(limits: configuration.trackerLimits)
    if configuration.store != .memory {
        logger.notice("store opened", metadata: [
            "store": "\(store.description)", "projects": "\(restored.projects.count)", "lastEventID": "\(restored.lastEventID)",
            "replayedWrites": "\(restored.replayedWrites)",
        ])
    }
    let recorder = try configuration.recordPath.map { path throws(RenderLogRecorder.OpenError) in
        try RenderLogRecorder(path: path, recordReads: configuration.recordReads, source: "serve", logger: logger)
    }
    let memoryReturn = MemoryReturnService(logger: logger)
    let core = TrackerCore(
        configuration: configuration.tracker, logger: logger, clock: clock, pluginEffects: pluginEffects, recorder: recorder,
        observers: [memoryReturn],
        stallCheckSeconds: PluginService.stallCheckSeconds(watchSeconds: configuration.pluginWatchSeconds, options: configuration.pluginOptions),
        store: store, restored: restored
    )
    // This daemon's own metrics: parts that report numbers register them here.
    let metrics = ServerMetrics()
    metrics.reportTotals(of: core.tracker)
    metrics.reportStore(core.store)
    if let plugins = core.plugins {
        metrics.reportPlugins(of: plugins)
    }
    let bodyBudget = metrics.makeBodyBudget(limits: configuration.limits)
    let connections = metrics.makeConnectionLimit(
        maximum: configuration.maxConnections ?? FileLimit.maxConnections(forFileLimit: FileLimit.current ?? 1024), logger: logger)
    let callMetrics = RPCCallMetrics(registry: metrics.registry, methodNames: core.dispatcher.methods.keys)
    // A shared store's writes wait for the database: they run on threads that may block.
    let blockingCalls = core.store.sequencer == nil ? nil : BlockingCallService()
    let endpoint = RPCEndpoint(
        dispatcher: core.dispatcher.observed(by: callMetrics), limits: configuration.limits, grants: RPCGrantMiddleware.grants,
        blocking: blockingCalls?.pool)
    let access = configuration.access

    let router = Router(context: TrackerRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(trustedProxies: access.trustedProxies))
    router.add(middleware: HostNameMiddleware(configured: access.hostNames))
    let rpc = router.group()
        .add(middleware: SameOriginMiddleware())
        .add(middleware: RPCGrantMiddleware(policy: access))
        .add(middleware: RequestTimingMiddleware(histogram: callMetrics.requestDuration))
        .add(middleware: RequestBodyMiddleware(limit: configuration.limits.maxBodyBytes, budget: bodyBudget))
    for path in ["/", "/RPC2", "/rpc"] {
        rpc.post(RouterPath(path)) { request, context in
            try await endpoint.respond(to: request, context: context)
        }
    }
    if let plugins = core.plugins {
        let admin = router.group("/admin/plugins")
            .add(middleware: AdminAccessMiddleware(what: "plugin administration", token: access.adminToken))
            .add(middleware: SameOriginMiddleware())
        PluginAdminRoutes(plugins: plugins).add(to: admin)
    }
    let reads = router.group()
    if let token = access.readToken {
        reads.add(middleware: ReadAccessMiddleware(token: token))
    }
    MonitorPage.addRoutes(to: reads)
    let previews = configuration.previewRoots.isEmpty ? nil : PreviewImages(
        roots: try PreviewRoots(configuration.previewRoots),
        cacheFolder: FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-previews-\(ProcessInfo.processInfo.processIdentifier)"))
    let preview = PreviewRoute(images: previews, tracker: core.tracker)
    reads.get("/preview") { request, _ in try await preview.respond(to: request) }
    let events = EventStream(core: core, logger: logger, blocking: blockingCalls?.pool)
    reads.get("/events") { request, context in try events.respond(to: request, context: context) }
    reads.addMetricsRoute(metrics: metrics)
    router.addHealthRoute(tracker: core.tracker, store: core.store)
    let http1 = HTTPServerBuilder.http1(configuration: .init(
        additionalChannelHandlers: [ConnectionLimitHandler(limit: connections)]
            + (configuration.requestSeconds.map { [RequestDeadlineHandler(limit: .seconds(Int64($0)), logger: logger)] } ?? []),
        idleTimeout: configuration.idleTimeoutSeconds.map { .seconds(Int64($0)) }))
    var app = Application(
        router: router,
        server: try access.tls.map { files in try HTTPServerBuilder.tls(http1, tlsConfiguration: try files.serverConfiguration()) } ?? http1,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: BuildInfo.userAgent),
        onServerRunning: { [plugins = core.plugins] channel in
            let port = channel.localAddress?.port ?? configuration.port
            plugins?.daemonIsListening(port: port)
            await onServerRunning(port)
        },
        logger: logger
    )
    if let plugins = core.plugins {
        app.addServices(PluginService(plugins: plugins, core: core, watchSeconds: configuration.pluginWatchSeconds, logger: logger))
    }
    if let recorder {
        app.addServices(RenderLogService(recorder: recorder, logger: logger))
    }
    app.addServices(StoreService(core: core, logger: logger), memoryReturn)
    if let blockingCalls {
        app.addServices(blockingCalls)
    }
    return app
}
