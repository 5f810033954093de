import BuildInfo
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
    private let webhooks: WebhookSessions
    private let destinations: PostDestinations
    private let inFlight = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let warnedOfNoWrapper = Atomic<Bool>(false)
    private let maximumInFlight: Int
    private let timeoutSeconds: Double

    /// - Parameter destinations: where webhooks may not go (`PluginOptions.refusedPostNetworks`,
    ///   and the daemon itself once it says where it listens).
    public init(logger: Logger, destinations: PostDestinations, maximumInFlight: Int = 32, timeoutSeconds: Double = 30) {
        self.logger = logger
        self.destinations = destinations
        self.maximumInFlight = maximumInFlight
        self.timeoutSeconds = timeoutSeconds
        webhooks = WebhookSessions(timeoutSeconds: timeoutSeconds, destinations: destinations, logger: logger)
    }

    public func daemonIsListening(port: Int) {
        destinations.daemonIsListening(port: port)
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
        // A thread of its own for each: the post looks its host name up and the program is waited
        // for, both blocking, and Dispatch's global threads are the ones Swift concurrency (and so
        // every RPC) runs on: a few blocked ones stall the daemon.
        let thread = Thread { [self] in
            switch notification {
            case let .httpPost(plugin, url, body, headers, followRedirects):
                post(plugin: plugin, url: url, body: body, headers: headers, followRedirects: followRedirects)
            case let .exec(plugin, arguments, input):
                run(plugin: plugin, arguments: arguments, input: input)
                inFlight.subtract(1, ordering: .relaxed)
            }
        }
        thread.name = "rendertracker-plugin-effect"
        thread.start()
    }

    /// Checks the destination, then hands the post to its session; the slot is given back when
    /// the post ends.
    private func post(plugin: String, url: String, body: String, headers: [String: String], followRedirects: Bool) {
        guard let address = URL(string: url), let host = address.host else {
            inFlight.subtract(1, ordering: .relaxed)
            return
        }
        if let refusal = destinations.refusal(host: host, port: address.port ?? (address.scheme?.lowercased() == "https" ? 443 : 80)) {
            inFlight.subtract(1, ordering: .relaxed)
            logger.warning("webhook not sent: destination refused", metadata: ["plugin": "\(plugin)", "host": "\(host)", "reason": "\(refusal)"])
            return
        }
        var request = URLRequest(url: address)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        if headers.keys.contains(where: { $0.lowercased() == "content-type" }) == false {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        // Who sent it, with the build, unless the plugin names itself; URLSession's default
        // ("rendertracker (unknown version) CFNetwork/...") says neither.
        request.setValue(BuildInfo.userAgent, forHTTPHeaderField: "User-Agent")
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        webhooks.post(request, plugin: plugin, followRedirects: followRedirects) { [self] in
            inFlight.subtract(1, ordering: .relaxed)
        }
    }

    private func run(plugin: String, arguments: [String], input: String?) {
        guard let executable = Self.resolve(arguments[0]) else {
            logger.warning("plugin program not found", metadata: ["plugin": "\(plugin)", "program": "\(arguments[0])"])
            return
        }
        let process = Process()
        if let wrapper = Self.deathSignalWrapper {
            process.executableURL = URL(fileURLWithPath: wrapper)
            process.arguments = ["--pdeathsig", "TERM", "--", executable] + arguments.dropFirst()
        } else {
            if !warnedOfNoWrapper.exchange(true, ordering: .relaxed) {
                logger.warning("\(Self.wrapperPath) not found: programs plugins run may outlive the daemon", metadata: ["plugin": "\(plugin)"])
            }
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(arguments.dropFirst())
        }
        let standardInput = Pipe()
        let output = Pipe()
        process.standardInput = standardInput
        process.standardOutput = output
        process.standardError = output
        // This thread was started from one of Dispatch's threads, which block nearly every signal,
        // and a program inherits the mask of the thread that starts it, across exec: measured in a
        // program's /proc/PID/status, SigBlk fffffffe3bfbea27, SIGTERM included, so neither the
        // timeout's terminate() nor the parent-death signal could stop it. The thread does nothing
        // but wait for the program, so it takes signals as a fresh process would.
        var nothingBlocked = sigset_t()
        sigemptyset(&nothingBlocked)
        pthread_sigmask(SIG_SETMASK, &nothingBlocked, nil)
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

    /// util-linux's `setpriv` (on every Debian and Ubuntu: util-linux is Essential) sets the
    /// parent-death signal, then becomes the program (exec, same process): the program gets SIGTERM
    /// when the thread that started it ends, and that thread waits for it, so it ends only with the
    /// daemon's process, by SIGTERM or SIGKILL alike. Measured with `sh -c 'exec sleep 300'` as the
    /// program: without it, the program outlived the daemon's SIGTERM and SIGKILL; with it (and
    /// SIGTERM unblocked, see `run`), it was gone 36 ms after the daemon's SIGTERM, 30 ms after its
    /// SIGKILL. Foundation's `Process` cannot set the signal itself: it offers no
    /// hook between fork and exec. A program's own children are not covered.
    static let wrapperPath = "/usr/bin/setpriv"
    static let deathSignalWrapper: String? = FileManager.default.isExecutableFile(atPath: wrapperPath) ? wrapperPath : nil

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
        case .httpPost(let plugin, _, _, _, _), .exec(let plugin, _, _): plugin
        }
    }
}
