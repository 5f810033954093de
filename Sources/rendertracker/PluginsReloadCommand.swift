import ArgumentParser
import RenderTrackerClient
import RPC

struct PluginsReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make a running daemon reload its plugin folder (answered on the daemon's machine only, or to its admin token).",
        discussion: "Prints the daemon's answer. Exits 1 if the reload failed (the old plugins stay active), 2 if the daemon cannot be reached."
    )

    @Option(help: "The daemon's address.")
    var url = "http://127.0.0.1:5002"

    @Option(help: "The daemon's admin token (default $RENDERTRACKER_TOKEN).")
    var token: String?

    func run() async throws {
        let answer: TrackerClient.HTTPAnswer
        do {
            answer = try await TrackerClient(url: url, timeoutSeconds: 60, token: TrackerURLOption.token(token)).http("POST", path: "/admin/plugins/reload")
        } catch {
            printToStandardError("rendertracker plugins reload: \(error)")
            throw ExitCode(2)
        }
        switch answer.status {
        case 200:
            print(answer.body, terminator: "")
        case 422:
            print(answer.body, terminator: "")
            let reason = (try? JSONReader.parse(Array(answer.body.utf8)))?.field("error") ?? "see the answer above"
            printToStandardError("rendertracker plugins reload: not reloaded, the old plugins stay active: \(reason)")
            throw ExitCode.failure
        case 404:
            printToStandardError("rendertracker plugins reload: \(url) runs without plugins (start it with --plugins DIR)")
            throw ExitCode.failure
        default:
            printToStandardError("rendertracker plugins reload: \(url) answered HTTP \(answer.status): \(answer.body.prefix(300))")
            throw ExitCode(2)
        }
    }
}

extension RPCValue {
    fileprivate func field(_ name: String) -> String? {
        if case .structure(let fields) = self, case .string(let value)? = fields[name] { value } else { nil }
    }
}
