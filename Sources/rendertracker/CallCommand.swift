import ArgumentParser
import RPC

struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call one method on a running tracker and print the result as JSON.",
        discussion: """
            Each ARG is a JSON value (12, 0.5, true, null, [1,2,3], {"a":1}); anything that is not valid JSON \
            is sent as a string, so project names need no quotes. Quote a number to send it as a string: '"12"'.
            Example: rendertracker call setFrameRenderFraction bob/shot 12 0.5
            """
    )

    @OptionGroup var tracker: TrackerURLOption

    @Argument(help: "The method, e.g. getAllProjects (system.listMethods lists them).")
    var method: String

    @Argument(parsing: .allUnrecognized, help: "The method's parameters.")
    var arguments: [String] = []

    func run() async throws {
        let params = arguments.map { argument in
            (try? JSONReader.parse(Array(argument.utf8))) ?? .string(argument)
        }
        try await reportingTrackerErrors("call") {
            do {
                print(JSONWriter.string(try await tracker.client.call(method, params)))
            } catch let fault as RPCFault {
                // The method's own answer, which the caller asked for: exit 1, not 2.
                printToStandardError("rendertracker call: \(method): \(fault)")
                throw ExitCode(1)
            }
        }
    }
}
