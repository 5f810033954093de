import Foundation

/// Runs one of the Python client scripts in `Clients/` (the real `xmlrpc.client`, as HQueue's
/// farm jobs use it) and returns its exit status and combined output.
enum PythonScript {
    static let clientsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients")

    /// How to run Python 2.7 here (pyenv's 2.7.18), or nil when the machine has none.
    static let python27: [String]? = {
        let candidates: [[String]] = [["python2.7"], ["env", "PYENV_VERSION=2.7.18", "python2.7"]]
        return candidates.first { candidate in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = candidate + ["-c", "import sys; assert sys.version_info[:2] == (2, 7)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }()

    private static let slots = ScriptSlots(count: 3)

    struct Outcome {
        var status: Int32
        var output: String
    }

    /// - Parameter interpreter: the command that runs Python (`python3`, or Python 2.7 through pyenv).
    /// Waits on a Dispatch thread: blocking the few cooperative threads would starve the server
    /// under test, which runs on them too.
    static func run(
        _ script: String, _ arguments: [String], interpreter: [String] = ["python3"], environment: [String: String] = [:]
    ) async throws -> Outcome {
        // A 2-core machine running twenty interpreters at once starves the servers they talk to.
        await slots.acquire()
        defer { Task { await slots.release() } }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try runBlocking(script, arguments, interpreter: interpreter, environment: environment)
                })
            }
        }
    }

    private static func runBlocking(
        _ script: String, _ arguments: [String], interpreter: [String], environment: [String: String]
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = interpreter + [clientsFolder.appendingPathComponent(script).path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}

/// A counting semaphore for async code: at most `count` holders at once.
private actor ScriptSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = count
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
