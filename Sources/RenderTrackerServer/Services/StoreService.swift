public import Logging
public import RenderTrackerService
public import ServiceLifecycle

/// The store's background work while the daemon runs: `tick` every 100 ms (sync, checkpoint,
/// prune, as each falls due), and a last checkpoint on graceful shutdown. Added after the HTTP
/// server, so it is told to stop only once the server has answered its last call.
public struct StoreService: Service {
    public let core: TrackerCore
    public let logger: Logger

    public init(core: TrackerCore, logger: Logger) {
        self.core = core
        self.logger = logger
    }

    public func run() async throws {
        let store = core.store
        let tracker = core.tracker
        await PeriodicWork.run(every: .milliseconds(100)) {
        } tick: {
            store.tick(tracker)
        }
        store.close(tracker)
        logger.notice("store closed", metadata: ["store": "\(store.description)", "problem": "\(store.health.problem ?? "none")"])
    }
}
