import Foundation
import Testing
import RenderTrackerTesting

/// Two `rendertracker serve` processes on one PostgreSQL database, driven by Python's
/// xmlrpc.client: one cursor across both under load, a daemon killed mid-render, the database
/// restarted under load.
@Suite("Several daemons on one PostgreSQL database, through the binary", .timeLimit(.minutes(3)))
struct SharedStoreCommandTests {
    typealias Daemon = StoreCommandTests.Daemon

    private func daemons(on url: String) async throws -> (Daemon, Daemon) {
        let a = try await Daemon.start(["--store", url])
        let b = try await Daemon.start(["--store", url])
        return (a, b)
    }

    @Test("16 clients per daemon, one monitor's cursor asking each in turn: every write seen exactly once")
    func oneCursorTwoDaemons() async throws {
        let url = try await PostgresServer.shared().makeDatabase(prefix: "cursor")
        let (a, b) = try await daemons(on: url)
        defer {
            a.killIfRunning()
            b.killIfRunning()
        }
        let outcome = try await PythonScript.run("shared_store.py", [a.url, "cursor", b.url])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("ok: no change was seen twice"), "\(outcome.output)")
        #expect(await a.stop().status == 0)
        #expect(await b.stop().status == 0)
    }

    @Test("rendertracker import refuses a PostgreSQL store, saying why")
    func importRefused() async throws {
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "import", "--store", "postgres://tracker@db.lan/renders", "night.jsonl"], separateErrors: true)
        #expect(outcome.status == 64, "\(outcome.errors)")
        #expect(outcome.errors.contains("a PostgreSQL store takes no import"), "\(outcome.errors)")
    }

    @Test("SIGKILL one daemon in the middle of a render: the other holds every acknowledged write")
    func killOneDaemon() async throws {
        let url = try await PostgresServer.shared().makeDatabase(prefix: "kill")
        let (a, b) = try await daemons(on: url)
        defer {
            a.killIfRunning()
            b.killIfRunning()
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-kill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let acks = folder + "/acknowledged.jsonl"
        let load = try ChildProcess.start(["python3", PythonScript.clientsFolder.appendingPathComponent("store_load.py").path, a.url, "load", acks])
        let ready = await load.waitForOutput(containing: "READY TO KILL")
        let killed = await a.stop(SIGKILL)
        #expect(ready, "the load never got going:\n\(load.outputSoFar)")
        #expect(killed.status == SIGKILL, "\(killed.output)")
        let loaded = await load.finish()
        #expect(loaded.status == 0, "\(loaded.output)")
        // The survivor applies the last writes as its poll or the notice brings them (within 0.5 s).
        try await Task.sleep(for: .seconds(1))
        let verified = try await PythonScript.run("store_load.py", [b.url, "verify", acks])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(await b.stop().status == 0)
    }

    @Test("the database restarted under load: every call succeeds, and both daemons end with every acknowledged write")
    func databaseRestart() async throws {
        // A cluster of its own: restarting the shared one would disturb the other tests.
        let server = try await PostgresServer.start()
        defer { Task { try? await server.stop() } }
        let url = try await server.makeDatabase(prefix: "outage")
        let (a, b) = try await daemons(on: url)
        defer {
            a.killIfRunning()
            b.killIfRunning()
        }
        let stopFile = FileManager.default.temporaryDirectory.appendingPathComponent("outage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: stopFile) }
        let load = try ChildProcess.start([
            "python3", PythonScript.clientsFolder.appendingPathComponent("shared_store.py").path, a.url, "outage", b.url, stopFile,
        ])
        #expect(await load.waitForOutput(containing: "LOAD RUNNING"), "\(load.outputSoFar)")
        try await server.restart()
        // The load goes on until the daemons are back on the database and have written through it.
        try await Task.sleep(for: .seconds(3))
        FileManager.default.createFile(atPath: stopFile, contents: Data())
        let outcome = await load.finish()
        #expect(outcome.status == 0, "\(outcome.output)")
        let stoppedA = await a.stop()
        let stoppedB = await b.stop()
        let logs = stoppedA.output + stoppedB.output
        #expect(logs.contains("the shared store is out of reach: this daemon serves alone"), "the restart was noticed:\n\(logs)")
        #expect(logs.contains("the shared store is back"), "and the daemons came back to it:\n\(logs)")
    }
}
