import Foundation
import Synchronization

/// Runs a program to completion and returns its exit status and output, waiting on a Dispatch
/// thread: blocking the few cooperative threads would starve the servers under test, which run on
/// them too. At most three children run at once: a 2-core machine running twenty interpreters at
/// once starves the servers they talk to.
enum ChildProcess {
    struct Outcome {
        var status: Int32
        /// Standard output and standard error, in one stream (`separateErrors: false`) or apart.
        var output: String
        var errors: String
    }

    private static let slots = Slots(count: 3)

    /// - Parameter command: the program (looked up on PATH by `/usr/bin/env`) and its arguments.
    static func run(
        _ command: [String], environment: [String: String] = [:], separateErrors: Bool = false
    ) async throws -> Outcome {
        await slots.acquire()
        defer { Task { await slots.release() } }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try runBlocking(command, environment: environment, separateErrors: separateErrors)
                })
            }
        }
    }

    /// Starts a program and returns it running, for tests that signal it.
    static func start(_ command: [String]) throws -> (process: Process, output: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return (process, pipe)
    }

    /// Reads a started program's output until a line contains `text`, off the cooperative threads;
    /// nil if the output ends first. Returns that line.
    static func line(containing text: String, in output: Pipe) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var pending = Data()
                while true {
                    let data = output.fileHandleForReading.availableData
                    if data.isEmpty { return continuation.resume(returning: nil) }
                    pending.append(data)
                    // Complete lines only: the last piece may still be growing.
                    let lines = String(decoding: pending, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    if let line = lines.first(where: { $0.contains(text) }) {
                        return continuation.resume(returning: String(line))
                    }
                }
            }
        }
    }

    /// Waits for a started program to exit, off the cooperative threads.
    static func wait(for process: Process, output: Pipe) async -> Outcome {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Outcome(
                    status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), errors: ""))
            }
        }
    }

    private static func runBlocking(_ command: [String], environment: [String: String], separateErrors: Bool) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        let errors = separateErrors ? Pipe() : output
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain standard error on its own thread so a chatty child cannot fill the pipe and stall.
        let errorData = Mutex(Data())
        let errorsRead = DispatchGroup()
        if separateErrors {
            DispatchQueue.global().async(group: errorsRead) {
                let data = errors.fileHandleForReading.readDataToEndOfFile()
                errorData.withLock { $0 = data }
            }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: errorData.withLock { String(decoding: $0, as: UTF8.self) })
    }
}

/// A counting semaphore for async code: at most `count` holders at once.
private actor Slots {
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
