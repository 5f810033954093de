import Hummingbird

/// With a read token (`read-token`), the monitor page, `/events` and `/metrics` answer only
/// requests that carry it: as `Authorization: Bearer TOKEN` (Prometheus' `authorization`
/// setting, scripts) or as the password of basic authentication with any user name, which a
/// browser asks for once (the 401 names the realm) and then sends with the page's own requests.
struct ReadAccessMiddleware: RouterMiddleware {
    let token: String

    func handle(
        _ request: Request, context: TrackerRequestContext, next: (Request, TrackerRequestContext) async throws -> Response
    ) async throws -> Response {
        guard AccessRefusal.matches(AccessRefusal.presentedToken(request), token) else {
            throw AccessRefusal.refuse(
                request, context: context, rule: "read-token",
                reason: "this page needs the tracker's read token (basic authentication with it as the password, or Authorization: Bearer)",
                status: .unauthorized, headers: [.wwwAuthenticate: #"Basic realm="rendertracker", charset="UTF-8""#])
        }
        return try await next(request, context)
    }
}
