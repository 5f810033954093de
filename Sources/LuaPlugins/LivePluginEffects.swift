import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import Logging
import Synchronization

/// Delivers plugin notifications for real: webhooks over HTTP, programs run without a shell.
/// Each runs in the background; its outcome is logged with the plugin's name. At most
/// `maximumInFlight` run at once; beyond that, notifications are dropped and logged.
public final class LivePluginEffects: PluginEffects {
    private let logger: Logger
    private let session: URLSession
    private let inFlight = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let maximumInFlight: Int
    private let timeoutSeconds: Double

    public init(logger: Logger, maximumInFlight: Int = 32, timeoutSeconds: Double = 30) {
        self.logger = logger
        self.maximumInFlight = maximumInFlight
        self.timeoutSeconds = timeoutSeconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        session = URLSession(configuration: configuration)
    }

    public func send(_ notification: PluginNotification) {
        guard inFlight.add(1, ordering: .relaxed).newValue <= maximumInFlight else {
            inFlight.subtract(1, ordering: .relaxed)
            let count = dropped.add(1, ordering: .relaxed).newValue
            // The first and then every thousandth: a flood must not become a log flood.
            if count == 1 || count % 1000 == 0 {
                logger.warning("plugin notifications dropped: \(maximumInFlight) are already being delivered", metadata: [
                    "plugin": "\(notification.plugin)", "dropped": "\(count)",
                ])
            }
            return
        }
        switch notification {
        case let .httpPost(plugin, url, body, headers):
            post(plugin: plugin, url: url, body: body, headers: headers)
        case let .exec(plugin, arguments, input):
            // A thread of its own waits for the program: Dispatch's global threads are the ones
            // Swift concurrency (and so every RPC) runs on, and a few blocked ones stall the daemon.
            let thread = Thread { [self] in
                run(plugin: plugin, arguments: arguments, input: input)
                inFlight.subtract(1, ordering: .relaxed)
            }
            thread.name = "rendertracker-plugin-exec"
            thread.start()
        }
    }

    private func post(plugin: String, url: String, body: String, headers: [String: String]) {
        guard let address = URL(string: url) else {
            inFlight.subtract(1, ordering: .relaxed)
            return
        }
        var request = URLRequest(url: address)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        if headers.keys.contains(where: { $0.lowercased() == "content-type" }) == false {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let logger = logger
        let target = address.host ?? url
        session.dataTask(with: request) { [self] data, response, error in
            defer { inFlight.subtract(1, ordering: .relaxed) }
            if let error {
                logger.warning("webhook not delivered", metadata: ["plugin": "\(plugin)", "host": "\(target)", "error": "\(error.localizedDescription)"])
            } else if let status = (response as? HTTPURLResponse)?.statusCode, !(200..<300).contains(status) {
                let answer = data.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? ""
                logger.warning("webhook refused", metadata: ["plugin": "\(plugin)", "host": "\(target)", "status": "\(status)", "answer": "\(answer)"])
            } else {
                logger.debug("webhook delivered", metadata: ["plugin": "\(plugin)", "host": "\(target)"])
            }
        }.resume()
    }

    private func run(plugin: String, arguments: [String], input: String?) {
        guard let executable = Self.resolve(arguments[0]) else {
            logger.warning("plugin program not found", metadata: ["plugin": "\(plugin)", "program": "\(arguments[0])"])
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let standardInput = Pipe()
        let output = Pipe()
        process.standardInput = standardInput
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            logger.warning("plugin program did not start", metadata: ["plugin": "\(plugin)", "program": "\(executable)", "error": "\(error.localizedDescription)"])
            return
        }
        // A program that never reads its input or never ends must not hold a delivery slot forever.
        let timeout = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timeout)
        try? standardInput.fileHandleForWriting.write(contentsOf: Data((input ?? "").utf8))
        try? standardInput.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timeout.cancel()
        if process.terminationStatus != 0 || process.terminationReason != .exit {
            logger.warning("plugin program failed", metadata: [
                "plugin": "\(plugin)", "program": "\(executable)", "status": "\(process.terminationStatus)",
                "output": "\(String(decoding: printed.suffix(500), as: UTF8.self))",
            ])
        } else {
            logger.debug("plugin program ran", metadata: ["plugin": "\(plugin)", "program": "\(executable)"])
        }
    }

    /// `sendmail` → the first executable `sendmail` on PATH, as execvp would find it; paths stay.
    static func resolve(_ program: String) -> String? {
        if program.contains("/") { return program }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

extension PluginNotification {
    var plugin: String {
        switch self {
        case .httpPost(let plugin, _, _, _), .exec(let plugin, _, _): plugin
        }
    }
}
