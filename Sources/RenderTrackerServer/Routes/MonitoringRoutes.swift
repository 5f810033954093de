import BuildInfo
import Hummingbird
import NIOCore
import RenderTrackerService

extension RouterMethods {
    /// `GET /metrics` for Prometheus.
    func addMetricsRoute(metrics: ServerMetrics) {
        // The build, as Prometheus' convention has it: a gauge of 1 whose labels are the facts, so
        // a dashboard can show which version each daemon runs and when it changed.
        metrics.registry.makeGauge(
            descriptor: .named("rendertracker_build_info", help: "The build this daemon runs: version and commit from git; the value is 1."),
            labels: [("version", BuildInfo.version), ("commit", BuildInfo.commit)]
        ).set(Int64(1))
        get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.scrape())))
        }
    }

    /// `GET /healthz` for load balancers, which send no credentials: never behind the read token.
    func addHealthRoute(tracker: SharedTracker, store: any TrackerStore) {
        // Healthy means the HTTP server answers and the tracker's lock can be taken: a daemon whose
        // lock is stuck never answers here, and the load balancer's timeout takes it out. A store
        // in trouble answers 200 too, "degraded: <why>": the daemon still serves every call from
        // memory, so a load balancer must not take it out, but a person or a check should look.
        // HEAD too: some load balancers check with it.
        for method in [HTTPRequest.Method.get, .head] {
            on("/healthz", method: method) { _, _ in
                _ = tracker.read { $0.lastEventID }
                if let problem = store.health.problem {
                    return "degraded: store \(store.description): \(problem)\n"
                }
                return "ok\n"
            }
        }
    }
}
