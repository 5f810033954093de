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
}
