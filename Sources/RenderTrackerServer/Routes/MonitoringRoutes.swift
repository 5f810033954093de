import Hummingbird
import NIOCore
import RenderTrackerService

extension Router {
    /// `GET /metrics` for Prometheus and `GET /healthz` for load balancers.
    func addMonitoringRoutes(metrics: ServerMetrics, tracker: SharedTracker) {
        get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.scrape())))
        }
        // Healthy means the HTTP server answers and the tracker's lock can be taken: a daemon whose
        // lock is stuck never answers here, and the load balancer's timeout takes it out.
        // HEAD too: some load balancers check with it.
        for method in [HTTPRequest.Method.get, .head] {
            on("/healthz", method: method) { _, _ in
                _ = tracker.read { $0.lastEventID }
                return "ok\n"
            }
        }
    }
}
