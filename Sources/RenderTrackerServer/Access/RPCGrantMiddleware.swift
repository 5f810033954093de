import Hummingbird

/// Decides what the RPC methods of a request may do (`context.grant`) from the client's address
/// (`allow-writes`) and its bearer token (`admin-token`); the endpoint then answers a refused
/// method with fault -32001 naming the rule, so a farm script sees why in its own traceback. The
/// decision is made here, once per request; it is enforced per method because which methods a
/// request calls is known only once its body is decoded, and a `system.multicall` holds several.
struct RPCGrantMiddleware: RouterMiddleware {
    let policy: AccessPolicy

    static let writesRefused =
        "refused by rule allow-writes: this client's network may read but not change state (ask the tracker's operator to add it to allow-writes)"
    static let adminRefused =
        "refused by rule admin-token: removeProject needs the tracker's admin token, sent as Authorization: Bearer TOKEN (rendertracker call --token, RENDERTRACKER_TOKEN)"

    /// Every grant this middleware can decide, for `RPCEndpoint` to prepare.
    static let grants: [RPCGrant] = [
        RPCGrant(writesRefused: writesRefused, adminRefused: nil),
        RPCGrant(writesRefused: nil, adminRefused: adminRefused),
        RPCGrant(writesRefused: writesRefused, adminRefused: adminRefused),
    ]

    func handle(
        _ request: Request, context: TrackerRequestContext, next: (Request, TrackerRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if !policy.allowWrites.isEmpty, !(context.client.map { client in policy.allowWrites.contains { $0.contains(address: client) } } ?? context.isLocal) {
            context.grant.writesRefused = Self.writesRefused
        }
        if let token = policy.adminToken, !AccessRefusal.matches(AccessRefusal.presentedToken(request), token) {
            context.grant.adminRefused = Self.adminRefused
        }
        return try await next(request, context)
    }
}
