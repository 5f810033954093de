public import CoreMetrics
public import Prometheus
import Synchronization

/// One daemon's metrics, served at `GET /metrics` in Prometheus text format.
///
/// Each application gets its own registry instead of the process-wide `MetricsSystem`: the tests
/// run many daemons in one process, and each must report its own numbers.
///
/// Other parts of the daemon (plugins, the live stream) attach their metrics here:
/// - make counters, gauges and histograms on `registry`, with help text
///   (`metrics.registry.makeCounter(descriptor: .named("rendertracker_plugin_failures_total", help: "..."), labels: [("plugin", name)])`);
/// - or pass `factory` to swift-metrics' types (`Counter(label:dimensions:factory:)`, `Gauge`, `Timer`);
/// - for a value that is cheaper to read when scraped than to keep current, set a gauge in
///   `beforeEachScrape`.
///
/// Make each metric once, when the part is built, and keep it: making one takes the registry's
/// lock. Names start with `rendertracker_` and must be unique: swift-prometheus stops the process
/// when a name is made again as another type or with another help text.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: any MetricsFactory
    private let scrapeHooks = Mutex<[@Sendable () -> Void]>([])

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Runs `update` at the start of every scrape, before the registry is written out.
    public func beforeEachScrape(_ update: @escaping @Sendable () -> Void) {
        scrapeHooks.withLock { $0.append(update) }
    }

    /// The Prometheus text that `GET /metrics` answers.
    public func scrape() -> [UInt8] {
        for update in scrapeHooks.withLock({ $0 }) {
            update()
        }
        return registry.emitToBuffer()
    }
}

extension MetricNameDescriptor {
    /// A metric named in full (`rendertracker_rpc_calls_total`) with its help text, the
    /// `# HELP` line Prometheus shows.
    public static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
