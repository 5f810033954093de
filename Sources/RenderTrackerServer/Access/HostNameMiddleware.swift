#if canImport(Glibc)
import Glibc
#endif
import HTTPTypes
import Hummingbird
import LuaPlugins

/// Refuses (403) a browser's request whose `Host` is not a name this daemon answers to: DNS
/// rebinding. A page at `http://rebind.evil.example:5002/` whose name the attacker's DNS then points
/// at the tracker's address is, to the browser, same-origin with the tracker: its requests carry
/// `Origin` and `Host` both `rebind.evil.example:5002`, so the same-origin check passes them, and
/// a `text/plain` body is taken as JSON-RPC. Only the `Host` header tells: the tracker is not called
/// that.
///
/// Only browsers' requests are checked (those with `Origin` or `Sec-Fetch-Site`, which every
/// current browser sends): rebinding is an attack through a victim's browser, and a program can
/// send any `Host` it likes anyway, so checking farm scripts' requests would protect nothing and
/// break scripts that reach the tracker by a DNS alias. The names answered to: IP literals,
/// `localhost`, this machine's host name (with and without its domain), and the configured
/// `host-names` (the aliases artists' browsers use, such as `tracker.studio.example`).
struct HostNameMiddleware: RouterMiddleware {
    private let names: Set<String>
    private let secFetchSite = HTTPField.Name("Sec-Fetch-Site")

    init(configured: [String]) {
        var names = Set(configured.map { $0.lowercased() })
        names.insert("localhost")
        if let own = Self.ownHostName() {
            names.insert(own)
            names.insert(String(own.prefix { $0 != "." }))
        }
        self.names = names
    }

    func handle(
        _ request: Request, context: TrackerRequestContext, next: (Request, TrackerRequestContext) async throws -> Response
    ) async throws -> Response {
        let fromBrowser = request.headers[.origin] != nil || secFetchSite.map { request.headers[$0] != nil } ?? false
        guard fromBrowser else { return try await next(request, context) }
        let name = Self.name(ofAuthority: request.head.authority ?? "")
        guard IPNetwork.isAddress(name) || names.contains(name) else {
            let reason = "Host \(name.isEmpty ? "(none)" : name) is not a name this tracker answers to; add it to host-names if it is one"
            throw AccessRefusal.refuse(request, context: context, rule: "host-names", reason: reason)
        }
        return try await next(request, context)
    }

    /// `tracker.example` of `Tracker.Example:5002`, `::1` of `[::1]:5002`; lower case.
    static func name(ofAuthority authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") {
            return String(lowered[lowered.index(after: lowered.startIndex)..<end])
        }
        return String(lowered.prefix { $0 != ":" })
    }

    private static func ownHostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()
        return name.isEmpty ? nil : name
    }
}
