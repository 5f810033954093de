import HTTPTypes
import Hummingbird
import LuaPlugins

/// Sets `context.client`: the peer's address, or, when the peer is a trusted proxy, the address
/// its `X-Forwarded-For` names. Only trusted proxies are believed, because anyone can send the
/// header: believed from everyone, it would let any client claim to be on an allowed network or on
/// this machine. The list is read from its right end, skipping trusted proxies (each proxy appends
/// the address it received from); the first address that is not one is the client. Runs first, on
/// every route, so that every rule and every log line sees the same address.
struct ClientAddressMiddleware: RouterMiddleware {
    let trustedProxies: [IPNetwork]
    private let forwardedFor = HTTPField.Name("X-Forwarded-For")

    init(trustedProxies: [IPNetwork]) {
        self.trustedProxies = trustedProxies
    }

    func handle(
        _ request: Request, context: TrackerRequestContext, next: (Request, TrackerRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let forwardedFor, let peer = context.client, isTrusted(peer) else {
            return try await next(request, context)
        }
        let hops: [String] = request.headers[values: forwardedFor].flatMap { $0.split(separator: ",") }.map { String($0.filter { $0 != " " }) }
        var context = context
        for hop in hops.reversed() {
            // What is not an address (`unknown`, an obfuscated name) ends the chain: the client
            // is the last address that is known.
            guard IPNetwork.isAddress(hop) else { break }
            context.client = hop
            if !isTrusted(hop) { break }
        }
        return try await next(request, context)
    }

    private func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address: address) }
    }
}
