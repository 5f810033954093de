import Foundation
import Testing
import RenderTrackerTesting

/// Running the daemon as a studio service (docs/operations.md): the build it names, its
/// configuration's precedence, who may write, its logs. Each test runs the `rendertracker`
/// executable as a process of its own, and `Clients/operations.py` (Python's urllib) against it.
@Suite("Running as a service")
struct ServiceOperationsTests {
    /// This checkout, where `swift test` built the executable from.
    static let packageFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("--version names the commit it was built from; /healthz's Server header and /metrics name the same build", .timeLimit(.minutes(3)))
    func version() async throws {
        let printed = try await ChildProcess.run([CommandLineTests.executable, "--version"], separateErrors: true)
        #expect(printed.status == 0, "\(printed.errors)")
        let commit = try await ChildProcess.run(["git", "-C", Self.packageFolder, "rev-parse", "--short=12", "HEAD"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let match = try #require(printed.output.wholeMatch(of: /rendertracker (\S+) \(commit ([0-9a-f]{12})\)\n/), "\(printed.output)")
        #expect(String(match.2) == commit, "the commit is the checkout's HEAD (with swift test --skip-build, when the binary is current)")
        let version = String(match.1)
        #expect(version != "unknown", "built in a git checkout, the version comes from git describe")
        try await expectScenario("build", [version, String(match.2)])
    }

    @Test("settings: a flag wins over the environment, which wins over the file, which wins over the default; --print-config says which")
    func precedence() async throws {
        let file = try Self.configurationFile("""
            # a comment
            host: 127.0.0.1
            port: 5100
            max-depth: 20
            log-level: warning
            plugin-post-refuse:
              - 10.0.0.0/8
              - 192.168.0.0/16
            """)
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--config", file, "--max-depth", "40", "--print-config"],
            environment: ["RENDERTRACKER_PORT": "5200", "RENDERTRACKER_MAX_DEPTH": "30", "RENDERTRACKER_LOG_LEVEL": "notice", "PORT": "5300"],
            separateErrors: true)
        #expect(outcome.status == 0, "\(outcome.errors)")
        let settings = Dictionary(uniqueKeysWithValues: outcome.output.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (parts[0].trimmingCharacters(in: .whitespaces), parts[1].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        })
        #expect(settings["host"] == "127.0.0.1 (file \(file))")
        #expect(settings["port"] == "5200 (environment RENDERTRACKER_PORT)", "RENDERTRACKER_PORT is above PORT")
        #expect(settings["max-depth"] == "40 (flag --max-depth)")
        #expect(settings["log-level"] == "notice (environment RENDERTRACKER_LOG_LEVEL)")
        #expect(settings["plugin-post-refuse"] == "10.0.0.0/8,192.168.0.0/16 (file \(file))")
        #expect(settings["idle-timeout"] == "120 (default)")
        let portOnly = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--config", file, "--print-config"], environment: ["PORT": "5300"], separateErrors: true)
        #expect(portOnly.output.contains(/port += 5300 +\(environment PORT\)/), "\(portOnly.output)")
    }

    @Test("the daemon runs with the file's settings: the file's max-body-bytes refuses a larger body")
    func fileSettingsApply() async throws {
        let file = try Self.configurationFile("max-body-bytes: 2000\n")
        try await expectScenario("body_limit", ["2000"], serve: ["--config", file])
        try await expectScenario("body_limit", ["3000"], environment: ["RENDERTRACKER_CONFIG": file, "RENDERTRACKER_MAX_BODY_BYTES": "3000"])
    }

    @Test("under systemd the default store is in its state directory, and a store: line in the file wins over it")
    func storeUnderSystemd() async throws {
        let systemd = ["STATE_DIRECTORY": "/var/lib/rendertracker-test:/var/lib/other"]
        let byDefault = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--print-config"], environment: systemd, separateErrors: true)
        #expect(byDefault.output.contains("= sqlite:/var/lib/rendertracker-test/tracker.db "), "\(byDefault.output)\(byDefault.errors)")
        let file = try Self.configurationFile("store: postgres://rendertracker@db.studio.lan/rendertracker\n")
        let configured = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--config", file, "--print-config"], environment: systemd, separateErrors: true)
        #expect(configured.output.contains("= postgres://rendertracker@db.studio.lan:5432/rendertracker "), "\(configured.output)\(configured.errors)")
        // The shipped unit leaves the store to the file.
        let unit = try String(contentsOfFile: Self.packageFolder + "/packaging/rendertracker.service", encoding: .utf8)
        #expect(unit.contains("StateDirectory=rendertracker") && !unit.contains("RENDERTRACKER_STORE"))
    }

    @Test("a bad setting is refused naming where it came from", arguments: [
        ("alow-writes: 10.0.0.0/8\n", [:], "unknown setting alow-writes"),
        ("port: [1\n", [:], "did not find expected ','"),
        ("", ["RENDERTRACKER_PORT": "abc"], "environment RENDERTRACKER_PORT=abc: not a valid value for --port"),
        ("max-depth: deep\n", [:], "max-depth: deep is not a valid value for --max-depth"),
        ("port: 70000\n", [:], "--port must be between 0 and 65535"),
    ] as [(String, [String: String], String)])
    func badSettings(file text: String, environment: [String: String], message: String) async throws {
        let file = try Self.configurationFile(text)
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--config", file, "--print-config"], environment: environment, separateErrors: true)
        #expect(outcome.status == 64)
        #expect(outcome.errors.contains(message), "\(outcome.errors)")
    }

    @Test("call and status reach the tracker at $RENDERTRACKER_URL; --url wins over it")
    func trackerURLFromTheEnvironment() async throws {
        try await RunningServer.with { server in
            let environment = ["RENDERTRACKER_URL": server.url + "/RPC2"]
            let started = try await ChildProcess.run(
                [CommandLineTests.executable, "call", "startedRenderProject", "env/shot", "[1,2]", "false", "7"], environment: environment,
                separateErrors: true)
            #expect(started.status == 0 && started.output == "true\n", "\(started.errors)")
            let status = try await ChildProcess.run([CommandLineTests.executable, "status"], environment: environment, separateErrors: true)
            #expect(status.output.contains("env/shot"), "\(status.output)\(status.errors)")
            let elsewhere = try await ChildProcess.run(
                [CommandLineTests.executable, "call", "--url", "http://127.0.0.1:1/rpc", "isRunning"], environment: environment, separateErrors: true)
            #expect(elsewhere.status == 2 && elsewhere.errors.contains("cannot reach http://127.0.0.1:1/rpc"), "\(elsewhere.errors)")
        }
    }

    @Test("examples/rendertracker.yaml names every setting serve has, and only those; as shipped it sets none")
    func exampleConfiguration() async throws {
        let example = Self.packageFolder + "/examples/rendertracker.yaml"
        let text = try String(contentsOfFile: example, encoding: .utf8)
        let documented = Set(text.split(separator: "\n").compactMap { $0.wholeMatch(of: /# ([a-z-]+):.*/).map { String($0.1) } })
        let printed = try await ChildProcess.run([CommandLineTests.executable, "serve", "--config", example, "--print-config"], separateErrors: true)
        #expect(printed.status == 0, "\(printed.errors)")
        let settings = printed.output.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(documented == Set(settings), "only in the example: \(documented.subtracting(settings)); not in it: \(Set(settings).subtracting(documented))")
        #expect(!printed.output.contains("(file "), "every line is commented out: \(printed.output)")
    }

    @Test("a write from a network outside allow-writes is a fault naming the rule, logged with the client; reads work", .timeLimit(.minutes(3)))
    func writesFromOtherNetworks() async throws {
        let log = try await expectScenario("writes_refused", serve: ["--allow-writes", "10.99.0.0/16,192.168.7.0/24"])
        #expect(log.contains("refused call client=127.0.0.1 method=startedRenderProject reason=refused by rule allow-writes"), "\(log)")
        try await expectScenario("writes_allowed", environment: ["RENDERTRACKER_ALLOW_WRITES": "10.99.0.0/16,127.0.0.0/8"])
    }

    @Test("removeProject needs the admin token, from Python and from the command line", .timeLimit(.minutes(3)))
    func adminToken() async throws {
        try await expectScenario("admin_token", ["s3cret-token"], environment: ["RENDERTRACKER_ADMIN_TOKEN": "s3cret-token"])
        try await withDaemon(serve: ["--admin-token", "cli-token"]) { url, _ in
            let call = { (arguments: [String], environment: [String: String]) in
                try await ChildProcess.run([CommandLineTests.executable, "call", "--url", url + "/rpc"] + arguments, environment: environment, separateErrors: true)
            }
            _ = try await call(["startedRenderProject", "p", "[1]", "false", "1"], [:])
            let refused = try await call(["removeProject", "p"], [:])
            #expect(refused.status == 1 && refused.errors.contains("fault -32001: refused by rule admin-token"), "\(refused.errors)")
            let viaFlag = try await call(["--token", "cli-token", "removeProject", "p"], [:])
            #expect(viaFlag.output == "true\n", "\(viaFlag.errors)")
            _ = try await call(["startedRenderProject", "p", "[1]", "false", "1"], [:])
            let viaEnvironment = try await call(["removeProject", "p"], ["RENDERTRACKER_TOKEN": "cli-token"])
            #expect(viaEnvironment.output == "true\n", "\(viaEnvironment.errors)")
        }
    }

    @Test("DNS rebinding: a browser's request whose Host is not the tracker's name is refused; scripts are not", .timeLimit(.minutes(3)))
    func dnsRebinding() async throws {
        let log = try await expectScenario("rebinding")
        let refusals = log.split(separator: "\n").filter { $0.contains("refused request") }
        #expect(refusals.count == 2, "\(log)")
        #expect(refusals.allSatisfy { $0.contains("client=127.0.0.1") && $0.contains("rule=host-names") && $0.contains("status=403") }, "\(refusals)")
    }

    @Test("a trusted proxy's X-Forwarded-For is believed, anyone else's is not", .timeLimit(.minutes(3)))
    func forwardedFor() async throws {
        let trusted = try await expectScenario("forwarded", ["trusted"], serve: ["--allow-writes", "10.1.0.0/16", "--trusted-proxies", "127.0.0.1"])
        #expect(trusted.contains("refused call client=203.0.113.9"), "the refused call names the proxied client: \(trusted)")
        let untrusted = try await expectScenario("forwarded", ["untrusted"], serve: ["--allow-writes", "10.1.0.0/16"])
        #expect(untrusted.contains("refused call client=127.0.0.1"), "\(untrusted)")
    }

    @Test("with a read token the monitor, /events and /metrics need it (bearer or basic); /healthz and RPC reads do not", .timeLimit(.minutes(3)))
    func readToken() async throws {
        try await expectScenario("read_token", ["r3ad"], serve: ["--read-token", "r3ad"])
    }

    @Test("HTTPS from a certificate and key: Python's xmlrpc.client verifies a self-signed certificate made by openssl", .timeLimit(.minutes(3)))
    func tls() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificate = try await SelfSignedCertificate.make(in: folder)
        let log = try await expectScenario(
            "tls", [certificate.certificateFile], serve: ["--tls-certificate", certificate.certificateFile],
            environment: ["RENDERTRACKER_TLS_KEY": certificate.keyFile], scheme: "https")
        #expect(log.contains("serving HTTPS certificate=\(certificate.certificateFile)"), "\(log)")
        let missing = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--store", "memory", "--port", "0", "--tls-certificate", folder + "/none.pem", "--tls-key", certificate.keyFile],
            separateErrors: true)
        #expect(missing.status == 1 && missing.errors.contains("cannot read the TLS certificate \(folder)/none.pem"), "\(missing.errors)")
        let half = try await ChildProcess.run([CommandLineTests.executable, "serve", "--tls-key", certificate.keyFile, "--print-config"], separateErrors: true)
        #expect(half.status == 64 && half.errors.contains("--tls-certificate and --tls-key go together"), "\(half.errors)")
    }

    @Test("--log-format json: every line is one JSON object; writes that remove or replace state name the client", .timeLimit(.minutes(3)))
    func jsonLogs() async throws {
        let log = try await expectScenario("log_traffic", serve: ["--log-format", "json", "--log-level", "debug"])
        let records = try log.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        #expect(records.count > 5)
        #expect(records.allSatisfy { $0["time"] is String && $0["level"] is String && $0["msg"] is String && $0["label"] as? String == "rendertracker" })
        func record(_ message: String, _ project: String? = nil) -> [String: Any]? {
            records.first { $0["msg"] as? String == message && (project == nil || $0["project"] as? String == project) && $0["replaced"] as? String != "false" }
        }
        let replaced = try #require(record("project started", "logs/shot"), "\(log)")
        #expect(replaced["replaced"] as? String == "true" && replaced["client"] as? String == "127.0.0.1")
        let failed = try #require(record("project error"), "\(log)")
        #expect(failed["client"] as? String == "127.0.0.1")
        #expect((failed["message"] as? String ?? "").hasPrefix("mantra died\nsecond line"), "\(failed)")
        #expect((failed["message"] as? String ?? "").utf8.count < 200, "the error's message is clipped in the log line")
        #expect(record("project removed")?["client"] as? String == "127.0.0.1", "\(log)")
        let refused = try #require(record("refused request"), "\(log)")
        #expect(refused["status"] as? String == "403" && (refused["reason"] as? String)?.contains("cross-site") == true, "\(refused)")
    }

    @Test("tokens never appear in --print-config")
    func tokensHidden() async throws {
        let outcome = try await ChildProcess.run(
            [CommandLineTests.executable, "serve", "--admin-token", "hush-1", "--print-config"], environment: ["RENDERTRACKER_READ_TOKEN": "hush-2"],
            separateErrors: true)
        #expect(outcome.output.contains(/admin-token += <set> +\(flag --admin-token\)/), "\(outcome.output)")
        #expect(outcome.output.contains(/read-token += <set> +\(environment RENDERTRACKER_READ_TOKEN\)/), "\(outcome.output)")
        #expect(!outcome.output.contains("hush"))
    }

    /// A configuration file with this text, in a fresh temporary folder.
    static func configurationFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `rendertracker serve` (memory store, a free port, `arguments` and `environment` added),
    /// then the scenario against it, and expects both to pass. Returns the daemon's output.
    @discardableResult
    func expectScenario(
        _ scenario: String, _ scenarioArguments: [String] = [], serve arguments: [String] = [], environment: [String: String] = [:],
        scheme: String = "http", sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await withDaemon(serve: arguments, environment: environment, scheme: scheme, sourceLocation: sourceLocation) { url, daemonOutput in
            let outcome = try await PythonScript.run("operations.py", [url, scenario] + scenarioArguments)
            #expect(outcome.status == 0, "\(scenario) failed:\n\(outcome.output)\ndaemon:\n\(daemonOutput().suffix(3000))", sourceLocation: sourceLocation)
        }
    }

    /// Runs `rendertracker serve` (memory store, a free port on 127.0.0.1, `arguments` and
    /// `environment` added) while `body` runs with its URL; returns the daemon's whole output.
    @discardableResult
    func withDaemon(
        serve arguments: [String], environment: [String: String] = [:], scheme: String = "http", sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (_ url: String, _ outputSoFar: @escaping @Sendable () -> String) async throws -> Void
    ) async throws -> String {
        let daemon = try ChildProcess.start(
            [CommandLineTests.executable, "serve", "--store", "memory", "--host", "127.0.0.1", "--port", "0"] + arguments,
            environment: environment)
        defer { if daemon.process.isRunning { daemon.process.terminate() } }  // when a #require below fails
        // The notice, in the text or the JSON format: `... listening address=127.0.0.1:PORT` or `"address":"127.0.0.1:PORT"`.
        let listening = try #require(await daemon.line(containing: "rendertracker listening"), sourceLocation: sourceLocation)
        let port = try #require(listening.firstMatch(of: /127\.0\.0\.1:(\d+)/).map { String($0.1) }, sourceLocation: sourceLocation)
        // Read the daemon's log as it comes: with the pipe full, its next log line would block it.
        let log = Task { await daemon.finish() }
        try await body("\(scheme)://127.0.0.1:\(port)", { daemon.outputSoFar })
        daemon.process.terminate()
        return await log.value.output
    }
}
