import ArgumentParser
import Foundation
import RenderTrackerServer
import XMLRPC

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct PluginsReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make a running daemon reload its plugin folder (answered on the daemon's machine only).",
        discussion: "Prints the daemon's answer. Exits 1 if the reload failed (the old plugins stay active), 2 if the daemon cannot be reached."
    )

    @Option(help: "The daemon's address.")
    var url = "http://127.0.0.1:5002"

    func run() async throws {
        let address = url.hasSuffix("/") ? String(url.dropLast()) : url
        guard let endpoint = URL(string: address + "/admin/plugins/reload") else {
            printToStandardError("rendertracker plugins reload: not a URL: \(url)")
            throw ExitCode(2)
        }
        var request = URLRequest(url: endpoint, timeoutInterval: 60)
        request.httpMethod = "POST"
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            printToStandardError("rendertracker plugins reload: cannot reach \(url): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let text = String(decoding: data, as: UTF8.self)
        switch status {
        case 200:
            print(text, terminator: "")
        case 422:
            print(text, terminator: "")
            let reason = (try? JSONReader.parse(Array(data)))?.field("error") ?? "see the answer above"
            printToStandardError("rendertracker plugins reload: not reloaded, the old plugins stay active: \(reason)")
            throw ExitCode.failure
        case 404:
            printToStandardError("rendertracker plugins reload: \(url) runs without plugins (start it with --plugins DIR)")
            throw ExitCode.failure
        default:
            printToStandardError("rendertracker plugins reload: \(url) answered HTTP \(status): \(text.prefix(300))")
            throw ExitCode(2)
        }
    }
}

extension RPCValue {
    fileprivate func field(_ name: String) -> String? {
        if case .structure(let fields) = self, case .string(let value)? = fields[name] { value } else { nil }
    }
}
