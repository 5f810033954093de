import Prometheus
import RenderTrackerService
import RPC

/// Counts every RPC call by method and outcome (a dispatcher observer), and holds the histogram
/// the RPC routes' `RequestTimingMiddleware` times every request into.
struct RPCCallMetrics: RPCCallObserver {
    /// The method label of a name the tracker does not have, so that a client cannot create a
    /// time series per name it makes up.
    static let unknownMethod = "unknown"
    /// The method label of a request refused before a method name could be read (not XML-RPC or
    /// JSON-RPC at all).
    static let noMethod = "none"

    private let registry: PrometheusCollectorRegistry
    /// Every method's success counter, made up front: a successful call only increments an atomic,
    /// with no lookup in the registry (which takes a lock).
    private let succeeded: [String: Counter]
    let requestDuration: DurationHistogram

    init(registry: PrometheusCollectorRegistry, methodNames: some Sequence<String>) {
        self.registry = registry
        var succeeded: [String: Counter] = [:]
        for name in methodNames {
            succeeded[name] = Self.calls(in: registry, method: name, outcome: "ok")
        }
        self.succeeded = succeeded
        // RPC answers take well under a millisecond; the buckets start at 100 µs.
        let buckets: [Duration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1),
        ]
        requestDuration = registry.makeDurationHistogram(descriptor: .named("rendertracker_rpc_request_duration_seconds", help: "Time from receiving an RPC request to its answer, body reading and gzip included."), buckets: buckets)
    }

    func dispatcher(finished name: String, params: [RPCValue], client: String?, method: RPCMethod?, result: Result<RPCValue, RPCFault>) {
        switch result {
        case .success:
            (succeeded[name] ?? Self.calls(in: registry, method: name, outcome: "ok")).increment()
        case .failure(let fault):
            let label = succeeded[name] == nil ? Self.unknownMethod : name
            Self.calls(in: registry, method: label, outcome: Self.outcome(of: fault)).increment()
        }
    }

    /// A request refused before any method ran: malformed XML or JSON, not a method call.
    func dispatcher(refused fault: RPCFault) {
        Self.calls(in: registry, method: Self.noMethod, outcome: Self.outcome(of: fault)).increment()
    }

    private static func calls(in registry: PrometheusCollectorRegistry, method: String, outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: .named(
                "rendertracker_rpc_calls_total",
                help: "RPC calls by method and outcome (ok, or the fault's kind); each call inside system.multicall counts too."),
            labels: [("method", method), ("outcome", outcome)])
    }

    /// The fault's kind, a bounded set of label values.
    static func outcome(of fault: RPCFault) -> String {
        switch fault.code {
        case RPCFault.parseErrorCode: "parse_error"
        case RPCFault.invalidRequestCode: "invalid_request"
        case RPCFault.methodNotFoundCode: "method_not_found"
        case RPCFault.invalidParamsCode: "invalid_params"
        case RPCFault.internalErrorCode: "internal_error"
        case RPCFault.noSuchProjectCode: "no_such_project"
        default: "fault"
        }
    }
}
