import Hummingbird
import Prometheus

/// Times every request of a route group into a histogram, from receiving the head to the answer
/// (body reading, inflation and gzip included), refused requests too.
struct RequestTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    let histogram: DurationHistogram

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        defer { histogram.record(ContinuousClock.now - start) }
        return try await next(request, context)
    }
}
