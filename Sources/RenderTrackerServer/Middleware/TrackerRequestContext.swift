public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's basics, the peer's address, and what the
/// access middleware decided: the client's address (the peer's, or a trusted proxy's
/// `X-Forwarded-For`), which local-only admin routes check, event streams are counted by and logs
/// name; and what an RPC request may do.
public struct TrackerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client's IP address: the peer's, until `ClientAddressMiddleware` believes a trusted
    /// proxy's `X-Forwarded-For`. Nil for a Unix socket.
    public var client: String?
    /// What the RPC methods of this request may do (`RPCGrantMiddleware`); everything until a
    /// rule says otherwise.
    public var grant = RPCGrant.everything

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        client = remoteAddress?.ipAddress
    }

    /// True for a client on this machine (127.0.0.0/8, ::1, a Unix socket).
    public var isLocal: Bool {
        guard let client else { return remoteAddress != nil }
        return client == "::1" || client.hasPrefix("127.") || client.hasPrefix("::ffff:127.")
    }
}
