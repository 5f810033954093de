import Foundation
import Testing
import XMLRPC
import RPC
import RenderTracker
import RenderTrackerTesting

/// `rendertracker status` and `watch`: the real executable against the real daemon, fed by calls.
@Suite("rendertracker status and watch")
struct MonitorCommandTests {
    private static let escape = "\u{1B}"

    private func rendertracker(_ arguments: String...) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run([CommandLineTests.executable] + arguments, separateErrors: true)
    }

    /// A project with frames 1...count, started over RPC.
    private func start(_ server: RunningServer, _ project: String, frames count: Int, job: String) async throws {
        try await server.call("startedRenderProject", .string(project), .array((1...count).map(RPCValue.int)), .bool(false), .string(job))
    }

    private func fraction(_ server: RunningServer, _ project: String, _ frame: Int, _ fraction: Double) async throws {
        try await server.call("setFrameRenderFraction", .string(project), .int(frame), .double(fraction))
    }

    /// `watch` with its output on a pipe, polling often so the test does not wait long.
    private func watchPiped(_ server: RunningServer, _ project: String) throws -> ChildProcess.Running {
        try ChildProcess.start([CommandLineTests.executable, "watch", project, "--interval", "0.05", "--url", server.url + "/rpc"])
    }

    /// The cells of each line, split on runs of two or more spaces (status names contain one).
    private func cells(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { line in
            line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test("status prints every project: state, done/total, errors, time left, start, elapsed, job")
    func statusTable() async throws {
        try await RunningServer.with { server in
            try await start(server, "a/p", frames: 3, job: "41")
            try await fraction(server, "a/p", 1, 1.0)
            try await server.call("setFrameError", .string("a/p"), .int(2), .string("out of memory"))
            try await start(server, "b/q", frames: 1, job: "42")
            try await server.call("setProjectError", .string("b/q"), .string("no hip file"))

            let outcome = try await rendertracker("status", "--url", server.url + "/rpc")
            #expect(outcome.status == 0, "\(outcome.errors)")
            #expect(!outcome.output.contains(Self.escape))
            let rows = cells(outcome.output)
            #expect(rows.count == 5, "\(outcome.output)")
            #expect(rows.first == ["PROJECT", "STATE", "DONE/TOTAL", "ERRORS", "LEFT", "STARTED", "ELAPSED", "JOB"])
            let running = try #require(rows.first { $0.first == "a/p" })
            #expect(running[1...4] == ["running", "1/3", "1", running[4]] && running[7] == "41", "\(running)")
            // Started today: the local clock time alone; a render started just before midnight and
            // listed just after it (seen in CI) shows its date.
            #expect(
                running[5].wholeMatch(of: /\d\d:\d\d/) != nil || running[5].wholeMatch(of: /\d{4}-\d\d-\d\d 23:59/) != nil,
                "started today: the local clock time alone: \(running[5])")
            let failed = try #require(rows.first { $0.first == "b/q" })
            #expect(Array(failed[1...4]) == ["failed", "0/1", "1", "-"] && failed[7] == "42", "\(failed)")
            // Under the table, each project's longest-standing error: frame and cause.
            #expect(outcome.output.hasSuffix("\n\na/p frame 2: out of memory\nb/q frame 1: no hip file\n"), "\(outcome.output)")
        }
    }

    @Test("status PROJECT prints the project's line and a table of its frames")
    func statusOneProject() async throws {
        try await RunningServer.with { server in
            try await start(server, "c/r", frames: 3, job: "7")
            try await server.call("startedGeneratingFrameIFD", .string("c/r"), .int(1))
            try await fraction(server, "c/r", 2, 0.25)
            try await fraction(server, "c/r", 3, 1.0)

            let outcome = try await rendertracker("status", "c/r", "--url", server.url + "/rpc")
            #expect(outcome.status == 0, "\(outcome.errors)")
            let rows = cells(outcome.output)
            #expect(rows.count == 6, "\(outcome.output)")
            #expect(rows[1].prefix(3) == ["c/r", "running", "1/3"])
            #expect(rows[2] == ["FRAME", "STATUS", "PROGRESS"])
            #expect(rows[3] == ["1", "Generating IFD", "0.0%"])
            #expect(rows[4] == ["2", "Rendering", "25.0%"])
            #expect(rows[5] == ["3", "Done", "100.0%"])
        }
    }

    @Test("status says so when there are no projects")
    func statusEmpty() async throws {
        try await RunningServer.with { server in
            let outcome = try await rendertracker("status", "--url", server.url + "/rpc")
            #expect(outcome.status == 0 && outcome.output == "no projects\n", "\(outcome.output)\(outcome.errors)")
        }
    }

    @Test("status and watch exit 1 for a project the tracker does not know", arguments: ["status", "watch"])
    func unknownProject(command: String) async throws {
        try await RunningServer.with { server in
            let outcome = try await ChildProcess.run(
                [CommandLineTests.executable, command, "no/such", "--url", server.url + "/rpc"], separateErrors: true)
            #expect(outcome.status == 1)
            #expect(outcome.errors.contains("rendertracker \(command): no such project: \"no/such\""), "\(outcome.errors)")
        }
    }

    @Test("status and watch exit 2 when no tracker answers, saying where they tried", arguments: [["status"], ["watch", "a/p"]])
    func unreachable(arguments: [String]) async throws {
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable] + arguments + ["--url", "http://127.0.0.1:1/rpc"], separateErrors: true)
        #expect(outcome.status == 2)
        #expect(outcome.errors.contains("cannot reach http://127.0.0.1:1/rpc"), "\(outcome.errors)")
    }

    @Test("watch through a pipe prints one plain line per change and exits 0 when the project is done", .timeLimit(.minutes(1)))
    func watchOnPipe() async throws {
        try await RunningServer.with { server in
            try await start(server, "w/p", frames: 2, job: "1")
            let watch = try watchPiped(server, "w/p")
            // Each step waits for the watcher to report the previous one, so every change is seen.
            #expect(await watch.waitForOutput(containing: "w/p running: Waiting 2; overall 0.0%, 0/2 done"))
            try await fraction(server, "w/p", 1, 0.5)
            #expect(await watch.waitForOutput(containing: "w/p running: Waiting 1, Rendering 1; overall 25.0%, 0/2 done"))
            try await fraction(server, "w/p", 1, 1.0)
            try await fraction(server, "w/p", 2, 1.0)
            let outcome = await watch.finish()

            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(!outcome.output.contains(Self.escape), "no escape codes in piped output")
            let lines = outcome.output.split(separator: "\n").map(String.init)
            #expect(lines.last?.hasPrefix("w/p: done, 2 frames in ") == true, "\(outcome.output)")
            // Each change line without the time in front and the estimate behind: no two in a row are the same.
            let changes = lines.dropLast().map { line in
                String(line.drop { $0 != " " }.dropFirst()).components(separatedBy: "; left ")[0]
            }
            #expect(changes.count >= 3, "\(outcome.output)")
            #expect(changes.allSatisfy { $0.hasPrefix("w/p ") }, "\(outcome.output)")
            #expect(changes.last == "w/p done: Done 2; overall 100.0%, 2/2 done", "\(outcome.output)")
            #expect(zip(changes, changes.dropFirst()).allSatisfy { $0 != $1 }, "\(outcome.output)")
        }
    }

    @Test("watch on a terminal redraws its progress bars in place and exits 0 when the project is done", .timeLimit(.minutes(1)))
    func watchOnTerminal() async throws {
        try await RunningServer.with { server in
            try await start(server, "t/p", frames: 2, job: "9")
            try await fraction(server, "t/p", 1, 0.5)
            // script(1) runs the command on a pseudo-terminal and copies what it draws; -e passes its exit code on.
            let command = "\(CommandLineTests.executable) watch t/p --interval 0.05 --url \(server.url)/rpc"
            let watch = try ChildProcess.start(["script", "-qec", command, "/dev/null"])
            #expect(await watch.waitForOutput(containing: "Overall"))
            try await fraction(server, "t/p", 1, 1.0)
            try await fraction(server, "t/p", 2, 1.0)
            let outcome = await watch.finish()

            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(outcome.output.contains("\(Self.escape)[2K"), "each line is cleared before it is drawn")
            #expect(outcome.output.contains("\(Self.escape)[9F"), "a redraw moves back up over the 9 lines drawn")
            #expect(outcome.output.contains("Rendering       [###############...............]  1"), "\(outcome.output)")
            #expect(outcome.output.contains("Overall         [##############################]  100.0%, 2/2 done"))
            #expect(outcome.output.contains("t/p: done, 2 frames in "))
        }
    }

    @Test("watch drops what it knew when the project is started again, and follows the new render", .timeLimit(.minutes(1)))
    func watchRestartedProject() async throws {
        try await RunningServer.with { server in
            try await start(server, "r/p", frames: 2, job: "1")
            try await fraction(server, "r/p", 1, 1.0)
            let watch = try watchPiped(server, "r/p")
            #expect(await watch.waitForOutput(containing: "r/p running: Waiting 1, Done 1; overall 50.0%, 1/2 done"))
            // Started again with other frames: the next answer is a reset, and frames 1 and 2 are gone.
            try await server.call("startedRenderProject", .string("r/p"), .array([3, 4, 5].map(RPCValue.int)), .bool(false), .string("2"))
            #expect(await watch.waitForOutput(containing: "r/p running: Waiting 3; overall 0.0%, 0/3 done"))
            for frame in 3...5 {
                try await fraction(server, "r/p", frame, 1.0)
            }
            let outcome = await watch.finish()
            #expect(outcome.status == 0, "\(outcome.output)")
            #expect(outcome.output.contains("r/p done: Done 3; overall 100.0%, 3/3 done"), "\(outcome.output)")
        }
    }

    @Test("watch exits 1 when the project fails, with the project's error", .timeLimit(.minutes(1)))
    func watchFailed() async throws {
        try await RunningServer.with { server in
            try await start(server, "f/p", frames: 2, job: "3")
            let watch = try watchPiped(server, "f/p")
            #expect(await watch.waitForOutput(containing: "f/p running"))
            try await server.call("setProjectError", .string("f/p"), .string("hip file missing"))
            let outcome = await watch.finish()
            #expect(outcome.status == 1, "\(outcome.output)")
            #expect(outcome.output.contains("f/p: failed, 2 of 2 frames in Error; frame 1: hip file missing"), "\(outcome.output)")
        }
    }

    @Test("watch's last line names the failed frame and the cause at the end of 16 KB of mantra output", .timeLimit(.minutes(1)))
    func watchNamesTheCause() async throws {
        try await RunningServer.with { server in
            try await start(server, "m/p", frames: 2, job: "4")
            try await fraction(server, "m/p", 1, 1.0)
            let watch = try watchPiped(server, "m/p")
            #expect(await watch.waitForOutput(containing: "m/p running"))
            let progress = (1...400).map { "ALF_PROGRESS \($0 / 4)%  [tile \($0) of 400, 0 errors]" }.joined(separator: "\n")
            let output = progress + "\nmantra: Error: cannot allocate 12.6 GB for texture cache\n"
            #expect(output.utf8.count > 16_000)
            try await server.call("setFrameError", .string("m/p"), .int(2), .string(output))
            let outcome = await watch.finish()
            #expect(outcome.status == 1, "\(outcome.output)")
            #expect(outcome.output.hasSuffix(
                "m/p: failed, 1 of 2 frames in Error; frame 2: mantra: Error: cannot allocate 12.6 GB for texture cache\n"), "\(outcome.output)")
        }
    }
}

/// Numbers no tracker of this version sends, as one of another version (or a clock gone wrong)
/// might: the commands print them instead of stopping (`Int(_:)` traps on a Double past 9.2e18).
@Suite("rendertracker status and watch with huge numbers")
struct MonitorHugeNumberTests {
    @Test("status and watch print an elapsed time of 1e300 seconds")
    func hugeElapsed() async throws {
        let clock = ManualClock()
        try await RunningServer.with(clock: clock) { server in
            try await server.call("startedRenderProject", .string("a/p"), .array([.int(1)]), .bool(false), .string("1"))
            clock.advance(bySeconds: 1e300)
            try await server.call("setFrameRenderFraction", .string("a/p"), .int(1), .double(1))
            let status = try await ChildProcess.run([CommandLineTests.executable, "status", "--url", server.url + "/rpc"], separateErrors: true)
            #expect(status.status == 0, "\(status.errors)")
            #expect(status.output.contains(">99999h 00m"), "\(status.output)")
            let watch = try await ChildProcess.run([CommandLineTests.executable, "watch", "a/p", "--url", server.url + "/rpc"], separateErrors: true)
            #expect(watch.status == 0, "\(watch.errors)")
            #expect(watch.output.contains("a/p: done, 1 frames in >99999h 00m"), "\(watch.output)")
        }
    }
}
