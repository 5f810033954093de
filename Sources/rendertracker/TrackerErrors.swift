import ArgumentParser
import RenderTrackerClient
import RPC

/// A project the tracker does not know: never started, removed, or lost in a restart.
struct NoSuchProject: Error, CustomStringConvertible {
    var project: String
    var description: String { "no such project: \"\(project)\" (rendertracker status lists the projects)" }
}

/// Runs the body of a command that talks to a tracker; what goes wrong becomes one line on
/// standard error and the exit code the documentation promises: 1 for an unknown project, 2 when
/// there is no usable answer. A body that wants another code for a case throws its `ExitCode`.
func reportingTrackerErrors(_ command: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let unknown as NoSuchProject {
        printToStandardError("rendertracker \(command): \(unknown)")
        throw ExitCode(1)
    } catch let fault as RPCFault {
        printToStandardError("rendertracker \(command): the tracker refused: \(fault)")
        throw ExitCode(2)
    } catch {
        printToStandardError("rendertracker \(command): \(error)")
        throw ExitCode(2)
    }
}
