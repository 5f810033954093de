public import LuaPlugins

/// Who may do what, from `serve`'s settings (docs/operations.md, Security). Everything is open by
/// default, because HQueue's farm scripts send no credentials and connect from anywhere on the farm;
/// each rule is closed by a setting. The rules are applied by middleware on the route groups
/// (`buildApplication`), never inside a handler.
public struct AccessPolicy: Sendable {
    /// Networks whose clients may call methods that change state; empty allows every network.
    /// Reads stay open to all: render monitors on artists' machines only read.
    public var allowWrites: [IPNetwork]
    /// The bearer token `removeProject` and the plugin admin routes need; nil leaves
    /// `removeProject` open and the admin routes answering this machine only.
    public var adminToken: String?
    /// The token the monitor page, `/events` and `/metrics` need (`Authorization: Bearer`, or as
    /// the password of basic authentication, which browsers ask for); nil leaves them open.
    /// `/healthz` and RPC reads stay open: load balancers and farm monitors send no credentials.
    public var readToken: String?
    /// Host names (besides IP literals, `localhost` and this machine's own name) that a browser
    /// may reach the daemon by; see `HostNameMiddleware`.
    public var hostNames: [String]
    /// Proxies whose `X-Forwarded-For` names the client (`ClientAddressMiddleware`); a request
    /// from anyone else is taken to come from its peer address, whatever it says.
    public var trustedProxies: [IPNetwork]
    /// HTTPS with this certificate and key; nil serves plain HTTP.
    public var tls: TLSFiles?

    public init(
        allowWrites: [IPNetwork] = [], adminToken: String? = nil, readToken: String? = nil, hostNames: [String] = [],
        trustedProxies: [IPNetwork] = [], tls: TLSFiles? = nil
    ) {
        self.tls = tls
        self.allowWrites = allowWrites
        self.adminToken = adminToken
        self.readToken = readToken
        self.hostNames = hostNames
        self.trustedProxies = trustedProxies
    }
}
