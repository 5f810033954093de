import ArgumentParser

/// `--url`, the same for every command that talks to a running tracker.
struct TrackerURLOption: ParsableArguments {
    @Option(help: "The tracker's JSON-RPC endpoint.")
    var url = "http://127.0.0.1:5002/rpc"

    var client: JSONRPCClient { JSONRPCClient(url: url) }
}
