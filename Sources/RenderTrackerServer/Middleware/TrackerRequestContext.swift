public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's basics plus the peer's address, which
/// local-only admin routes check and event streams are counted by.
public struct TrackerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// True for a peer on this machine (127.0.0.0/8, ::1, a Unix socket).
    public var isLocal: Bool {
        switch remoteAddress {
        case .v4(let address): address.address.sin_addr.s_addr.bigEndian >> 24 == 127
        case .v6: remoteAddress?.ipAddress == "::1" || remoteAddress?.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket: true
        case nil: false
        }
    }
}
