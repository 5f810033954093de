import Foundation
import Testing
import RenderTrackerTesting

/// `serve --store` through the real binary and Python's xmlrpc.client: what survives SIGKILL and
/// SIGTERM, a damaged or unwritable store, a full disk, two daemons on one store.
@Suite("The durable store, through the binary")
struct StoreCommandTests {
    /// A `rendertracker serve` running on an ephemeral loopback port.
    struct Daemon {
        let running: ChildProcess.Running
        let port: String
        var url: String { "http://127.0.0.1:\(port)" }
        var pid: Int32 { running.process.processIdentifier }

        static func start(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Daemon {
            let running = try ChildProcess.start(
                [CommandLineTests.executable, "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "notice"] + arguments)
            guard let line = await running.line(containing: "rendertracker listening"), let port = line.split(separator: ":").last else {
                let outcome = await running.finish()
                Issue.record("the daemon did not start (exit \(outcome.status)):\n\(outcome.output)", sourceLocation: sourceLocation)
                throw DaemonDidNotStart()
            }
            return Daemon(running: running, port: String(port))
        }

        /// Sends `signal` and waits for the process to end.
        func stop(_ signal: Int32 = SIGTERM) async -> ChildProcess.Outcome {
            kill(pid, signal)
            return await running.finish()
        }

        /// For `defer`: a daemon a failed test left running goes.
        func killIfRunning() {
            if running.process.isRunning { kill(pid, SIGKILL) }
        }
    }

    struct DaemonDidNotStart: Error {}

    private func folder(_ name: String = #function) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-store-\(name.filter(\.isLetter))-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func client(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let outcome = try await PythonScript.run(script, arguments)
        #expect(outcome.status == 0, "\(script) \(arguments.dropFirst().joined(separator: " ")) failed:\n\(outcome.output)",
            sourceLocation: sourceLocation)
    }

    @Test("SIGKILL in the middle of a render driven by 32 concurrent clients loses no acknowledged write", .timeLimit(.minutes(2)))
    func sigkillUnderLoad() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = ["--store", "sqlite:\(folder)/t.db"]
        let acks = folder + "/acknowledged.jsonl"
        let daemon = try await Daemon.start(store)
        defer { daemon.killIfRunning() }
        let load = try ChildProcess.start(["python3", PythonScript.clientsFolder.appendingPathComponent("store_load.py").path, daemon.url, "load", acks])
        let ready = await load.waitForOutput(containing: "READY TO KILL")
        let killed = await daemon.stop(SIGKILL)
        #expect(ready, "the load never got going:\n\(load.outputSoFar)")
        #expect(killed.status == SIGKILL && daemon.running.process.terminationReason == .uncaughtSignal, "\(killed.output)")
        let loaded = await load.finish()
        #expect(loaded.status == 0, "\(loaded.output)")

        let restarted = try await Daemon.start(store)
        defer { restarted.killIfRunning() }
        try await client("store_load.py", [restarted.url, "verify", acks])
        let stopped = await restarted.stop()
        #expect(stopped.status == 0, "\(stopped.output)")
        #expect(stopped.output.contains("replayedWrites="), "\(stopped.output)")
        #expect(!stopped.output.contains("replayedWrites=0 "), "the journal was replayed: \(stopped.output)")
    }

    @Test("a monitor's cursor from before a restart gets exactly the changes after it", .timeLimit(.minutes(1)), arguments: [SIGTERM, SIGKILL])
    func cursorAcrossRestart(signal: Int32) async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = ["--store", "sqlite:\(folder)/t.db"]
        let state = folder + "/cursor.json"
        let daemon = try await Daemon.start(store)
        defer { daemon.killIfRunning() }
        try await client("store_cursor.py", [daemon.url, "before", state])
        let stopped = await daemon.stop(signal)
        if signal == SIGTERM {
            #expect(stopped.status == 0 && stopped.output.contains("store closed problem=none"), "\(stopped.output)")
        }

        let restarted = try await Daemon.start(store)
        defer { restarted.killIfRunning() }
        try await client("store_cursor.py", [restarted.url, "after", state])
        #expect(await restarted.stop().status == 0)
    }

    @Test("a damaged store file: serve exits 1 naming it and the way out, and leaves it as it was")
    func damagedFile() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/damaged.db"
        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--store", "sqlite:\(path)", "--host", "127.0.0.1", "--port", "0"], separateErrors: true)
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("rendertracker serve: the store \(path) is damaged"), "\(outcome.errors)")
        #expect(outcome.errors.contains("mv \(path) \(path).damaged"), "\(outcome.errors)")
        #expect(!outcome.errors.contains("rendertracker listening"))
        #expect(FileManager.default.contents(atPath: path) == garbage, "the damaged file was changed")
    }

    @Test("a store path that cannot be created: serve exits 1 with a message naming it")
    func unwritablePath() async throws {
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--store", "sqlite:/proc/nope/t.db", "--host", "127.0.0.1", "--port", "0"],
            separateErrors: true)
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("rendertracker serve: cannot open /proc/nope/t.db.lock: No such file or directory"), "\(outcome.errors)")
        #expect(!outcome.errors.contains("Usage:"))
    }

    @Test("--store memory keeps nothing across a restart")
    func memoryStore() async throws {
        let daemon = try await Daemon.start(["--store", "memory"])
        defer { daemon.killIfRunning() }
        try await client("store_cursor.py", [daemon.url, "memory_write"])
        #expect(await daemon.stop().status == 0)
        let restarted = try await Daemon.start(["--store", "memory"])
        defer { restarted.killIfRunning() }
        try await client("store_cursor.py", [restarted.url, "memory_empty"])
        #expect(await restarted.stop().status == 0)
    }

    @Test("a second daemon on a store in use exits 1 saying so; the first serves on")
    func twoDaemonsOneStore() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.db"
        let first = try await Daemon.start(["--store", "sqlite:\(path)"])
        defer { first.killIfRunning() }
        let second = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--store", "sqlite:\(path)", "--host", "127.0.0.1", "--port", "0"], separateErrors: true)
        #expect(second.status == 1)
        #expect(second.errors.contains("rendertracker serve: the store \(path) is in use by another rendertracker process"), "\(second.errors)")
        try await client("store_cursor.py", [first.url, "memory_write"])
        #expect(await first.stop().status == 0)
    }

    /// Runs `command`, waiting for it on this thread (for `defer`, which cannot wait otherwise).
    private static func runNow(_ command: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("a full disk: every farm call succeeds, /healthz and /metrics say degraded, then ok once there is room; nothing lost",
        .timeLimit(.minutes(2)))
    func fullDisk() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let disk = folder + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        // The tests run as root in CI: a small tmpfs is the full disk. Not being able to mount one
        // fails the test rather than skipping what it checks.
        let mounted = try await ChildProcess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk], separateErrors: true)
        guard mounted.status == 0 else {
            Issue.record("cannot mount a tmpfs at \(disk) (this test needs root, as in CI): \(mounted.errors)")
            return
        }
        defer { _ = Self.runNow(["umount", "-l", disk]) }

        let store = ["--store", "sqlite:\(disk)/t.db"]
        let state = folder + "/full-disk.json"
        let daemon = try await Daemon.start(store)
        defer { daemon.killIfRunning() }
        let outcome = try await PythonScript.run("store_full_disk.py", [daemon.url, "degraded", disk + "/filler", state])
        #expect(outcome.status == 0, "\(outcome.output)")
        let stopped = await daemon.stop()
        #expect(stopped.status == 0, "\(stopped.output)")
        // Said in the log when it started (and when the reason changed), not once per call.
        let degradedLines = stopped.output.components(separatedBy: "the store is degraded").count - 1
        let degradedCalls = outcome.output.split(separator: "\n").first { $0.hasPrefix("calls while degraded: ") }
            .flatMap { Int($0.dropFirst("calls while degraded: ".count)) } ?? 0
        #expect(degradedLines >= 1, "\(stopped.output)")
        #expect(degradedLines * 10 < degradedCalls, "\(degradedLines) log lines for \(degradedCalls) calls:\n\(stopped.output)")
        #expect(stopped.output.contains("the store recovered"), "\(stopped.output)")
        #expect(stopped.output.contains("store closed problem=none"), "\(stopped.output)")

        let restarted = try await Daemon.start(store)
        defer { restarted.killIfRunning() }
        try await client("store_full_disk.py", [restarted.url, "verify", state])
        #expect(await restarted.stop().status == 0)
    }
}
