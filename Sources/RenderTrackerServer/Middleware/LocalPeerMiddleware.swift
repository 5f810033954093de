import Hummingbird

/// Answers only peers on this machine (127.0.0.0/8, ::1, a Unix socket): for the admin routes,
/// as there is no authentication.
struct LocalPeerMiddleware: RouterMiddleware {
    let what: String

    func handle(
        _ request: Request, context: TrackerRequestContext, next: (Request, TrackerRequestContext) async throws -> Response
    ) async throws -> Response {
        guard context.isLocal else {
            throw HTTPError(.forbidden, message: "\(what) is answered only on this machine (connect to 127.0.0.1)\n")
        }
        return try await next(request, context)
    }
}
