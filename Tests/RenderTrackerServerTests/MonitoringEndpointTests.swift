import CoreMetrics
import RenderTrackerServer
import Testing
import XMLRPC
import RenderTrackerTesting

/// `GET /metrics` and `GET /healthz` on the real daemon.
@Suite("Metrics and health endpoints")
struct MonitoringEndpointTests {
    private static let calls = "rendertracker_rpc_calls_total"

    @Test("/metrics is Prometheus text, and its call counters move by method and outcome")
    func callCounters() async throws {
        try await RunningServer.with { server in
            let before = try await server.metrics()
            #expect(before.value(Self.calls, ["method": "startedRenderProject", "outcome": "ok"]) == 0)
            let requestsBefore = try #require(before.value("rendertracker_rpc_request_duration_seconds_count"))

            try await server.call("startedRenderProject", .string("m/p"), .array([.int(1), .int(2)]), .bool(false), .string("1"))
            try await server.call("startedFrameRender", .string("m/p"), .int(1), .string("2"), .string("/img/1.exr"))
            let fault = try await server.call("isProjectDone", .string("no/such"))
            #expect((try? fault.get()) == nil, "expected a fault: \(fault)")
            try await server.call("madeUpMethod_\(server.port)")
            try await server.call("setFrameRenderFraction", .string("m/p"), .string("not a frame"), .double(0.5))
            try await server.call(
                "system.multicall",
                .array([
                    .structure(["methodName": .string("isRunning"), "params": .array([])]),
                    .structure(["methodName": .string("isRunning"), "params": .array([])]),
                ]))
            _ = try await server.post(body: "{not json")
            _ = try await server.post(body: "<methodCall><methodName>isRunning</methodName>", contentType: "text/xml")

            let after = try await server.metrics()
            let expected: [(String, String, Double)] = [
                ("startedRenderProject", "ok", 1), ("startedFrameRender", "ok", 1), ("isProjectDone", "no_such_project", 1),
                ("unknown", "method_not_found", 1), ("setFrameRenderFraction", "invalid_params", 1),
                ("system.multicall", "ok", 1), ("isRunning", "ok", 2), ("none", "parse_error", 2),
            ]
            for (method, outcome, count) in expected {
                #expect(after.value(Self.calls, ["method": method, "outcome": outcome]) == count, "\(method) \(outcome)")
            }
            #expect(!after.series(Self.calls).contains { $0.labels["method"]?.hasPrefix("madeUpMethod") == true },
                    "a made-up method name must not become a label value")
            // Eight POSTs to the RPC endpoint, each timed once.
            #expect(after.value("rendertracker_rpc_request_duration_seconds_count") == requestsBefore + 8)
            #expect(after.types["rendertracker_rpc_request_duration_seconds"] == "histogram")
            #expect(after.value("rendertracker_rpc_request_duration_seconds_bucket", ["le": "+Inf"]) == requestsBefore + 8)
        }
    }

    @Test("/metrics counts projects by state and frames by status")
    func trackerTotals() async throws {
        try await RunningServer.with { server in
            try await server.call("startedRenderProject", .string("t/done"), .array([.int(1)]), .bool(false), .string("1"))
            try await server.call("setFrameRenderFraction", .string("t/done"), .int(1), .double(1.0))
            try await server.call("startedRenderProject", .string("t/failed"), .array([.int(1), .int(2)]), .bool(false), .string("2"))
            try await server.call("setProjectError", .string("t/failed"), .string("disk full"))
            try await server.call("startedRenderProject", .string("t/running"), .array([.int(1), .int(2), .int(3)]), .bool(true), .string("3"))
            try await server.call("startedGeneratingFrameIFD", .string("t/running"), .int(1))
            let metrics = try await server.metrics()
            for (state, count) in [("running", 1.0), ("done", 1), ("failed", 1)] {
                #expect(metrics.value("rendertracker_projects", ["state": state]) == count, "\(state)")
            }
            let frames: [(String, Double)] = [
                ("waiting", 2), ("generating_ifd", 1), ("ifd_ready", 0), ("rendering", 0), ("downloading", 0), ("done", 1), ("error", 2),
            ]
            for (status, count) in frames {
                #expect(metrics.value("rendertracker_frames", ["status": status]) == count, "\(status)")
            }
            #expect(metrics.types["rendertracker_frames"] == "gauge")
            #expect(try #require(metrics.value("rendertracker_last_event_id")) > 0)
        }
    }

    @Test("each daemon in a process reports only its own calls")
    func registryPerDaemon() async throws {
        try await RunningServer.with { first in
            try await RunningServer.with { second in
                for _ in 0..<3 {
                    try await first.call("isRunning")
                }
                #expect(try await first.metrics().value(Self.calls, ["method": "isRunning", "outcome": "ok"]) == 3)
                #expect(try await second.metrics().value(Self.calls, ["method": "isRunning", "outcome": "ok"]) == 0)
            }
        }
    }

    @Test("/metrics is served as Prometheus text 0.0.4")
    func contentType() async throws {
        try await RunningServer.with { server in
            let answer = try await server.get("/metrics")
            #expect(answer.contentType?.hasPrefix("text/plain; version=0.0.4") == true, "\(answer.contentType ?? "none")")
        }
    }

    @Test("/healthz answers 200 ok, to GET and to HEAD")
    func healthz() async throws {
        try await RunningServer.with { server in
            let answer = try await server.get("/healthz")
            #expect(answer.status == 200)
            #expect(answer.body == "ok\n")
            #expect(try await server.send("/healthz", method: "HEAD").status == 200)
            #expect(try await server.send("/metrics", method: "POST").status == 404, "only GET reads the metrics")
        }
    }

    @Test("metrics registered on ServerMetrics by another part appear in the scrape, and scrape hooks run first")
    func attachedMetrics() throws {
        let metrics = ServerMetrics()
        let failures = Counter(label: "rendertracker_plugin_failures_total", dimensions: [("plugin", "notify")], factory: metrics.factory)
        failures.increment(by: 2)
        let depth = metrics.registry.makeGauge(descriptor: .named("rendertracker_plugin_queue_depth", help: "Hook calls waiting."))
        metrics.beforeEachScrape { depth.set(Int64(7)) }
        let text = try PrometheusText(String(decoding: metrics.scrape(), as: UTF8.self))
        #expect(text.value("rendertracker_plugin_failures_total", ["plugin": "notify"]) == 2)
        #expect(text.value("rendertracker_plugin_queue_depth") == 7)
    }
}

@Suite("The strict Prometheus text reader used by these tests")
struct PrometheusTextTests {
    @Test("reads HELP, TYPE, labels with escapes, histograms and special values")
    func reads() throws {
        let text = try PrometheusText("""
            # HELP a_total Things.
            # TYPE a_total counter
            a_total{kind="x\\"y\\\\z\\n",b="2"} 3
            # TYPE h histogram
            h_bucket{le="0.5"} 1
            h_bucket{le="+Inf"} 2
            h_sum 0.75
            h_count 2
            # TYPE g gauge
            g -Inf

            """)
        #expect(text.value("a_total", ["kind": "x\"y\\z\n", "b": "2"]) == 3)
        #expect(text.value("h_count") == 2)
        #expect(text.value("g") == -.infinity)
    }

    @Test("refuses what Prometheus would refuse", arguments: [
        "a 1\n",  // no TYPE
        "# TYPE a gauge\na{b=\"\\x\"} 1\n",  // bad escape
        "# TYPE a gauge\na 1\na 2\n",  // the same series twice
        "# TYPE a gauge\na{b=\"1\" 1\n",  // unterminated labels
        "# TYPE a gauge\na one\n",  // not a number
        "# TYPE a gauge\na 1",  // no final line feed
        "# TYPE h histogram\nh_bucket 1\n",  // bucket without le
        "# TYPE a gauge\n# TYPE a counter\na 1\n",  // two TYPE lines
    ])
    func refuses(_ text: String) {
        #expect(throws: PrometheusText.ParseError.self) { try PrometheusText(text) }
    }
}
