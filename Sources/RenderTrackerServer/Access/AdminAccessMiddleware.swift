import HTTPTypes
import Hummingbird

/// Who may use the plugin admin routes (`/admin/plugins`). With an admin token: whoever sends it
/// (`Authorization: Bearer`), from anywhere. Without one: clients on this machine only, and not
/// through a proxy: a local peer whose request carries `X-Forwarded-For` or `Forwarded` but is not
/// a trusted proxy (whose header `ClientAddressMiddleware` already believed) is forwarding someone
/// else's request, and a proxy on the same machine must not make every client local.
struct AdminAccessMiddleware: RouterMiddleware {
    let what: String
    let token: String?
    private let forwardingHeaders = ["X-Forwarded-For", "Forwarded"].compactMap { HTTPField.Name($0) }

    func handle(
        _ request: Request, context: TrackerRequestContext, next: (Request, TrackerRequestContext) async throws -> Response
    ) async throws -> Response {
        if let token {
            guard AccessRefusal.matches(AccessRefusal.presentedToken(request), token) else {
                throw AccessRefusal.refuse(
                    request, context: context, rule: "admin-token",
                    reason: "\(what) needs the tracker's admin token, sent as Authorization: Bearer TOKEN")
            }
            return try await next(request, context)
        }
        let forwarded = context.client == context.remoteAddress?.ipAddress && forwardingHeaders.contains { request.headers[$0] != nil }
        guard context.isLocal, !forwarded else {
            throw AccessRefusal.refuse(
                request, context: context, rule: "local-only",
                reason: "\(what) is answered only on this machine (connect to 127.0.0.1), or to clients with the admin token (admin-token)")
        }
        return try await next(request, context)
    }
}
