#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An IPv4 or IPv6 network written as `address/prefix` (`169.254.0.0/16`, `fe80::/10`).
public struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]
    let prefixLength: Int
    public let description: String

    /// Nil for text that is not `address/prefix` with a prefix the address family allows.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress.parse(String(parts[0])), let prefix = Int(parts[1]),
            (0...address.count * 8).contains(prefix)
        else { return nil }
        bytes = address
        prefixLength = prefix
        description = text
    }

    /// Link-local addresses: cloud metadata services (169.254.169.254) and neighbours that answer
    /// without any routing, which a studio's webhooks never need.
    public static let linkLocal: [IPNetwork] = ["169.254.0.0/16", "fe80::/10"].compactMap(IPNetwork.init)

    /// True for a literal IP address (`10.1.2.3`, `fe80::1`, `[::1]`).
    public static func isAddress(_ text: String) -> Bool {
        IPAddress.parse(text) != nil
    }

    /// True when `address` is a literal IP address (`10.1.2.3`, `::ffff:10.1.2.3`, `[::1]`) inside this network.
    public func contains(address: String) -> Bool {
        IPAddress.parse(address).map(contains) ?? false
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var bitsLeft = prefixLength
        for (mine, theirs) in zip(bytes, address) where bitsLeft > 0 {
            let mask: UInt8 = bitsLeft >= 8 ? 0xFF : ~(0xFF >> UInt8(bitsLeft))
            guard mine & mask == theirs & mask else { return false }
            bitsLeft -= 8
        }
        return true
    }
}

/// Addresses as bytes: 4 for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address is taken as IPv4).
enum IPAddress {
    /// A literal address (`10.0.0.1`, `fe80::1`, `[::1]`); nil for anything else.
    static func parse(_ text: String) -> [UInt8]? {
        let literal = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            return unmapped(withUnsafeBytes(of: &v6) { Array($0) })
        }
        return nil
    }

    /// Every address `host` resolves to (a literal resolves to itself); empty when it does not.
    /// Blocks while the name is looked up.
    static func resolve(_ host: String) -> [[UInt8]] {
        if let literal = parse(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        return addresses(from: list, address: \.ai_addr, next: \.ai_next)
    }

    /// Every address of this machine's interfaces.
    static func local() -> [[UInt8]] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        return addresses(from: list, address: \.ifa_addr, next: \.ifa_next)
    }

    /// The IP addresses in a C linked list (`addrinfo`, `ifaddrs`), in order.
    private static func addresses<Node>(
        from first: UnsafeMutablePointer<Node>?, address: (Node) -> UnsafeMutablePointer<sockaddr>?, next: (Node) -> UnsafeMutablePointer<Node>?
    ) -> [[UInt8]] {
        var addresses: [[UInt8]] = []
        var entry = first
        while let node = entry?.pointee {
            if let address = address(node).flatMap(bytes(of:)) { addresses.append(address) }
            entry = next(node)
        }
        return addresses
    }

    /// Loopback, unspecified (`0.0.0.0` and `::` connect to this machine), or an interface's own.
    static func isThisMachine(_ address: [UInt8], interfaces: [[UInt8]]) -> Bool {
        let loopback = address.count == 4 ? address[0] == 127 : address == Array(repeating: 0, count: 15) + [1]
        return loopback || address.allSatisfy { $0 == 0 } || interfaces.contains(address)
    }

    private static func bytes(of socketAddress: UnsafeMutablePointer<sockaddr>) -> [UInt8]? {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                withUnsafeBytes(of: address.pointee.sin_addr) { Array($0) }
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                unmapped(withUnsafeBytes(of: address.pointee.sin6_addr) { Array($0) })
            }
        default:
            return nil
        }
    }

    /// `::ffff:a.b.c.d` is the IPv4 address a.b.c.d: rules for IPv4 networks must see it as one.
    private static func unmapped(_ v6: [UInt8]) -> [UInt8] {
        v6.prefix(12) == Array(repeating: 0, count: 10) + [0xFF, 0xFF] ? Array(v6.suffix(4)) : v6
    }
}

/// Where `tracker.http_post` may deliver: never to a refused network (by default link-local, where
/// cloud metadata services answer), and never to this daemon itself, whose admin routes trust
/// this machine (a hook posting to `127.0.0.1:5002/admin/plugins/reload` would be local). The
/// host name is resolved just before the post and every address it has is checked; a name whose
/// addresses change between that look-up and the connection (DNS rebinding) is not caught: a
/// firewall rule is the hard guarantee.
public final class PostDestinations: Sendable {
    public let refusedNetworks: [IPNetwork]
    private let daemon = Mutex<(port: Int, interfaces: [[UInt8]])?>(nil)

    public init(refusedNetworks: [IPNetwork]) {
        self.refusedNetworks = refusedNetworks
    }

    /// Tells the rule the daemon's port once it is bound: any address of this machine on that port
    /// is the daemon (it may listen on all of them).
    public func daemonIsListening(port: Int) {
        let interfaces = IPAddress.local()
        daemon.withLock { $0 = (port, interfaces) }
    }

    /// Why a post to `host`:`port` is refused, or nil when it may go. Resolves `host`, so it blocks:
    /// call it off the request and hook threads.
    public func refusal(host: String, port: Int) -> String? {
        let daemon = daemon.withLock { $0 }
        for address in IPAddress.resolve(host) {
            if let network = refusedNetworks.first(where: { $0.contains(address) }) {
                return "\(host) is \(Self.text(address)), in \(network), where plugins may not post"
            }
            if let daemon, port == daemon.port, IPAddress.isThisMachine(address, interfaces: daemon.interfaces) {
                return "\(host):\(port) is this daemon (\(Self.text(address))), whose admin routes trust this machine"
            }
        }
        return nil
    }

    private static func text(_ address: [UInt8]) -> String {
        guard address.count == 16 else { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
