import ArgumentParser
import RenderTrackerClient

/// `--url`, the same for every command that talks to a running tracker.
struct TrackerURLOption: ParsableArguments {
    @Option(help: "The tracker's JSON-RPC endpoint.")
    var url = "http://127.0.0.1:5002/rpc"

    /// Throws `TrackerClientError` for an address that is not an http(s) URL.
    var client: TrackerClient {
        get throws { try TrackerClient(url: url, encoding: .jsonRPC) }
    }
}
