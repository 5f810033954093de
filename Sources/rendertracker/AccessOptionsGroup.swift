import ArgumentParser
import LuaPlugins
import RenderTrackerServer

/// `serve`'s access rules (docs/operations.md, Security), resolved like every setting: flag,
/// environment, configuration file, default. Tokens are better kept out of flags, which every
/// user of the machine can read in `ps`: set them in the environment (`RENDERTRACKER_ADMIN_TOKEN`,
/// e.g. from systemd's `EnvironmentFile=`) or in a configuration file only the service can read.
struct AccessOptionsGroup: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Networks (CIDR, comma-separated or repeated) whose clients may call methods that change state; others may only read. Default: every network.",
        valueName: "networks"))
    var allowWrites: [String] = []

    @Option(help: ArgumentHelp(
        "The token removeProject and the plugin admin routes need, as Authorization: Bearer. Default: none (removeProject open, admin routes on this machine only).",
        valueName: "token"))
    var adminToken: String?

    @Option(help: ArgumentHelp(
        "The token the monitor page, /events and /metrics need (Authorization: Bearer, or basic authentication with it as the password). Default: none (open).",
        valueName: "token"))
    var readToken: String?

    @Option(help: ArgumentHelp(
        "Host names browsers may reach the daemon by, besides IP addresses, localhost and this machine's name (comma-separated or repeated).",
        valueName: "names"))
    var hostNames: [String] = []

    @Option(help: ArgumentHelp(
        "Proxies (addresses or CIDR, comma-separated or repeated) whose X-Forwarded-For names the client; nobody else's is believed. Default: none.",
        valueName: "networks"))
    var trustedProxies: [String] = []

    @Option(help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM); needs --tls-key.", valueName: "file"))
    var tlsCertificate: String?

    @Option(help: ArgumentHelp("The private key (PEM, not encrypted) of --tls-certificate.", valueName: "file"))
    var tlsKey: String?

    /// Throws `ValidationError` naming the setting and the value that is not a network.
    func resolve(_ settings: inout ServeSettings) throws -> AccessPolicy {
        func commaSeparated(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",").map { String($0.filter { $0 != " " }) } }.filter { !$0.isEmpty }
        }
        func networks(_ key: String, _ flag: [String]) throws -> [IPNetwork] {
            try settings.list(key, flag: commaSeparated(flag), default: []).map { text in
                // A bare address is a network of one.
                let network = text.contains("/") ? text : text + (text.contains(":") ? "/128" : "/32")
                guard let parsed = IPNetwork(network) else {
                    throw ValidationError("--\(key) \(text): expected an address or a network such as 10.0.0.0/8 or fd00::/8")
                }
                return parsed
            }
        }
        func tls(_ settings: inout ServeSettings) throws -> TLSFiles? {
            let certificate = try settings.optional("tls-certificate", flag: tlsCertificate)
            let key = try settings.optional("tls-key", flag: tlsKey)
            switch (certificate, key) {
            case (nil, nil): return nil
            case (let certificate?, let key?): return TLSFiles(certificatePath: certificate, keyPath: key)
            default: throw ValidationError("--tls-certificate and --tls-key go together: give both, or neither for plain HTTP")
            }
        }
        return AccessPolicy(
            allowWrites: try networks("allow-writes", allowWrites),
            adminToken: try settings.optional("admin-token", flag: adminToken, secret: true),
            readToken: try settings.optional("read-token", flag: readToken, secret: true),
            hostNames: try settings.list("host-names", flag: commaSeparated(hostNames), default: []).map { $0.lowercased() },
            trustedProxies: try networks("trusted-proxies", trustedProxies),
            tls: try tls(&settings)
        )
    }
}
