import Logging
import Prometheus

extension ServerMetrics {
    /// The daemon's request-body budget, reporting the bytes held (at each scrape) and the
    /// requests refused for it.
    func makeBodyBudget(limits: RPCServerLimits) -> BodyBudget {
        let held = registry.makeGauge(
            descriptor: .named("rendertracker_request_body_bytes_held", help: "Bytes of request bodies held now, across all connections."))
        let budget = BodyBudget(
            limits: limits,
            refusals: registry.makeCounter(
                descriptor: .named(
                    "rendertracker_request_body_refusals_total",
                    help: "Requests refused with 503 because the bytes of request bodies held at once were at their limit.")))
        beforeEachScrape {
            held.set(Int64(budget.heldBytes))
        }
        return budget
    }

    /// The daemon's connection limit, reporting open connections (at each scrape), connections
    /// closed to make room and connections refused.
    func makeConnectionLimit(maximum: Int, logger: Logger) -> ConnectionLimit {
        let open = registry.makeGauge(descriptor: .named("rendertracker_connections", help: "Open HTTP connections."))
        let limit = ConnectionLimit(
            maximum: maximum, logger: logger,
            refusals: registry.makeCounter(
                descriptor: .named(
                    "rendertracker_connections_refused_total", help: "Connections closed at once because the connection limit was reached and none was idle.")),
            closedForRoom: registry.makeCounter(
                descriptor: .named(
                    "rendertracker_connections_closed_for_room_total", help: "Idle connections closed to make room for a new one at the connection limit.")))
        beforeEachScrape {
            open.set(Int64(limit.openCount))
        }
        return limit
    }
}
