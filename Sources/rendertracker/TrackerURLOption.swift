import ArgumentParser
import Foundation
import RenderTrackerClient

/// `--url`, the same for every command that talks to a running tracker: the flag, else
/// `$RENDERTRACKER_URL` (which the HQueue client module reads too, so one variable points both at
/// the tracker), else this machine's port 5002. Every path (`/`, `/RPC2`, `/rpc`) takes either
/// protocol, so an XML-RPC address such as `http://tracker:5002/RPC2` serves here as well.
struct TrackerURLOption: ParsableArguments {
    @Option(help: "The tracker's RPC endpoint (default: $RENDERTRACKER_URL, else \(Self.defaultURL)).")
    var url: String?

    static let defaultURL = "http://127.0.0.1:5002/rpc"

    /// `$RENDERTRACKER_URL` when set and not blank.
    static var environmentURL: String? {
        ProcessInfo.processInfo.environment["RENDERTRACKER_URL"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    @Option(help: "The tracker's admin token, sent as Authorization: Bearer (removeProject, plugins reload); default $RENDERTRACKER_TOKEN.")
    var token: String?

    /// `--token`, else `$RENDERTRACKER_TOKEN` (the variable the HQueue client module reads).
    static func token(_ flag: String?) -> String? {
        flag ?? ProcessInfo.processInfo.environment["RENDERTRACKER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The address the command talks to.
    var address: String { url ?? Self.environmentURL ?? Self.defaultURL }

    /// Throws `TrackerClientError` for an address that is not an http(s) URL.
    var client: TrackerClient {
        get throws { try TrackerClient(url: address, encoding: .jsonRPC, token: Self.token(token)) }
    }
}
