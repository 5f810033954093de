public import Hummingbird
public import Logging
public import RenderTracker

/// Everything `rendertracker serve` can be told.
public struct RenderTrackerConfiguration: Sendable {
    public var host: String
    /// 5002 sits next to HQueue's 5000 (server) and 5001 (clients); 0 picks a free port.
    public var port: Int
    public var limits: RPCServerLimits
    public var trackerLimits: TrackerLimits
    /// A connection with no request (or a stalled one) for this long is closed; nil never closes.
    /// Python's xmlrpc.client reconnects by itself when a kept-alive connection was closed.
    public var idleTimeoutSeconds: Int?

    public init(
        host: String = "0.0.0.0", port: Int = 5002, limits: RPCServerLimits = .init(), trackerLimits: TrackerLimits = .init(),
        idleTimeoutSeconds: Int? = 120
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.trackerLimits = trackerLimits
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}

/// Builds the daemon: the tracker, its RPC methods and the HTTP routes. `rendertracker serve` and
/// the tests both run exactly this.
/// - Parameter onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    configuration: RenderTrackerConfiguration,
    logger: Logger,
    clock: any TrackerClock = SystemClock(),
    nameFormula: any ProjectNameFormula = BuiltInProjectNameFormula(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let feed = ChangeFeed()
    let tracker = SharedTracker(Tracker(clock: clock, limits: configuration.trackerLimits), logger: logger, observers: [feed])
    let dispatcher = RPCDispatcher(methods: RenderTrackerMethods.all(tracker: tracker, nameFormula: nameFormula), logger: logger)
    let endpoint = RPCEndpoint(dispatcher: dispatcher, limits: configuration.limits, logger: logger)

    let router = Router()
    for path in ["/", "/RPC2", "/rpc"] {
        router.post(RouterPath(path)) { request, context in
            try await endpoint.respond(to: request, context: context)
        }
    }
    MonitorPage.addRoutes(to: router)
    let events = EventStream(tracker: tracker, feed: feed, logger: logger)
    router.get("/events") { request, _ in try events.respond(to: request) }
    return Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: configuration.idleTimeoutSeconds.map { .seconds(Int64($0)) })),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "rendertracker"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
