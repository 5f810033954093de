import Testing
@testable import LuaPlugins

/// Where `tracker.http_post` may deliver: the rule on its own, on real name look-ups.
@Suite("Webhook destinations")
struct PostDestinationsTests {
    @Test("networks parse and contain what they should", arguments: [
        ("169.254.0.0/16", "169.254.169.254", true), ("169.254.0.0/16", "169.255.0.1", false),
        ("fe80::/10", "fe80::1", true), ("fe80::/10", "febf::1", true), ("fe80::/10", "fec0::1", false),
        ("10.0.0.0/8", "::ffff:10.1.2.3", true), ("10.0.0.0/8", "10.0.0.0", true), ("0.0.0.0/0", "8.8.8.8", true),
        ("10.0.0.0/8", "fe80::1", false),
    ])
    func contains(_ network: String, _ address: String, _ inside: Bool) throws {
        let parsed = try #require(IPNetwork(network))
        #expect(parsed.contains(try #require(IPAddress.parse(address))) == inside)
    }

    @Test("malformed networks are refused", arguments: ["10.0.0.0", "10.0.0.0/33", "fe80::/129", "x/8", "10.0.0.0/-1", "10.0.0.0/8/8"])
    func malformed(_ text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test("by default link-local is refused, naming the network; other addresses may be posted to")
    func linkLocal() {
        let rule = PostDestinations(refusedNetworks: IPNetwork.linkLocal)
        #expect(rule.refusal(host: "169.254.169.254", port: 80)?.contains("in 169.254.0.0/16, where plugins may not post") == true)
        #expect(rule.refusal(host: "[fe80::1]", port: 80)?.contains("fe80::/10") == true)
        #expect(rule.refusal(host: "::ffff:169.254.1.1", port: 80) != nil, "an IPv4-mapped address is its IPv4 address")
        #expect(rule.refusal(host: "10.1.2.3", port: 80) == nil)
        #expect(rule.refusal(host: "127.0.0.1", port: 5002) == nil, "before the daemon says where it listens")
    }

    @Test("once the daemon listens, any address of this machine on its port is refused, names included")
    func daemonItself() {
        let rule = PostDestinations(refusedNetworks: [])
        rule.daemonIsListening(port: 5002)
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "0.0.0.0", "[::1]"] {
            #expect(rule.refusal(host: host, port: 5002)?.contains("is this daemon") == true, "\(host)")
        }
        #expect(rule.refusal(host: "127.0.0.1", port: 5003) == nil, "another port is another service")
        #expect(rule.refusal(host: "192.0.2.1", port: 5002) == nil, "another machine's tracker")
    }

    @Test("a studio's own rule replaces the default")
    func configured() throws {
        let rule = PostDestinations(refusedNetworks: [try #require(IPNetwork("10.0.0.0/8"))])
        #expect(rule.refusal(host: "10.20.30.40", port: 443)?.contains("10.0.0.0/8") == true)
        #expect(rule.refusal(host: "169.254.169.254", port: 80) == nil)
    }
}
