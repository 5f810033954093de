import Hummingbird

/// Refuses (403) a request whose `Origin` is another site. A web page on another site can make a
/// visitor's browser POST here without asking first (a `text/plain` body needs no preflight), which
/// would be taken as JSON-RPC: a write to the tracker, or a plugin reload, from any website.
/// Browsers name the page's site in `Origin`; farm scripts and the command line send none. So a
/// request whose `Origin` is not this daemon's own address is refused; the monitor page, served
/// from here, passes. Put on every route group that changes state.
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let origin = request.headers[.origin] {
            // `http://host:port` against the request's own `host:port`; "null" (a file, a sandbox) never matches.
            let originHost = origin.split(separator: "://", maxSplits: 1).last.map(String.init) ?? origin
            guard let authority = request.head.authority, originHost.lowercased() == authority.lowercased() else {
                context.logger.info("refused request", metadata: ["status": "403", "reason": "cross-site, Origin \(origin)"])
                throw HTTPError(
                    .forbidden,
                    message: "cross-site request refused: a page from \(origin) may not call this tracker (only pages it serves itself may)\n"
                )
            }
        }
        return try await next(request, context)
    }
}
