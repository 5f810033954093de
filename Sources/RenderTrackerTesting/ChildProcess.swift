public import Foundation
import Synchronization

/// Runs a program to completion and returns its exit status and output, waiting on a thread of
/// its own: blocking the few cooperative threads would starve the servers under test, which run on
/// them too, and so would blocking Dispatch's global queue, whose few threads (on Linux) are the
/// ones Swift concurrency runs on. At most three children run at once: a 2-core machine running
/// twenty interpreters at once starves the servers they talk to.
public enum ChildProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        /// Standard output and standard error, in one stream (`separateErrors: false`) or apart.
        public var output: String
        public var errors: String
    }

    private static let slots = Slots(count: 3)

    /// - Parameter command: the program (looked up on PATH by `/usr/bin/env`) and its arguments.
    public static func run(
        _ command: [String], environment: [String: String] = [:], separateErrors: Bool = false
    ) async throws -> Outcome {
        await slots.acquire()
        defer { Task { await slots.release() } }
        return try await onThreadOfItsOwn {
            Result { try runBlocking(command, environment: environment, separateErrors: separateErrors) }
        }.get()
    }

    /// Starts a program and returns it running, for tests that talk to it or signal it.
    /// - Parameter environment: variables set (added to this process's) for the program.
    public static func start(_ command: [String], environment: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return Running(process: process, output: pipe.fileHandleForReading)
    }

    /// A started program; its output (standard output and standard error together) is read as it
    /// comes, on threads of their own.
    public final class Running: Sendable {
        public let process: Process
        private let output: FileHandle
        private let received = Mutex("")

        fileprivate init(process: Process, output: FileHandle) {
            self.process = process
            self.output = output
        }

        /// Waits until the output so far contains `text` (`times` times); false if the output ended first.
        public func waitForOutput(containing text: String, times: Int = 1) async -> Bool {
            await offCooperativeThreads { [self] in
                while received.withLock({ $0.components(separatedBy: text).count - 1 < times }) {
                    guard readMore() else { return false }
                }
                return true
            }
        }

        /// Waits for a complete line containing `text` and returns it; nil if the output ended first.
        public func line(containing text: String) async -> String? {
            await offCooperativeThreads { [self] in
                while true {
                    // Complete lines only: the last piece may still be growing.
                    let lines = received.withLock { $0 }.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    if let line = lines.first(where: { $0.contains(text) }) { return String(line) }
                    guard readMore() else { return nil }
                }
            }
        }

        /// What the program has printed so far.
        public var outputSoFar: String { received.withLock { $0 } }

        /// Waits for the program to exit and returns its whole output.
        public func finish() async -> Outcome {
            await offCooperativeThreads { [self] in
                while readMore() {}
                process.waitUntilExit()
                return Outcome(status: process.terminationStatus, output: received.withLock { $0 }, errors: "")
            }
        }

        /// Blocks for the next chunk of output; false at its end.
        private func readMore() -> Bool {
            let data = output.availableData
            received.withLock { $0 += String(decoding: data, as: UTF8.self) }
            return !data.isEmpty
        }

        private func offCooperativeThreads<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
            await onThreadOfItsOwn(work)
        }
    }

    /// Runs blocking `work` on a new thread and waits for it without blocking the caller's.
    public static func onThreadOfItsOwn<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
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
        // Starts at 0 and ends at 0: libdispatch traps on a semaphore freed below its start value.
        let errorsRead = DispatchSemaphore(value: 0)
        if separateErrors {
            Thread {
                let data = errors.fileHandleForReading.readDataToEndOfFile()
                errorData.withLock { $0 = data }
                errorsRead.signal()
            }.start()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        if separateErrors {
            errorsRead.wait()
        }
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

    public init(count: Int) {
        free = count
    }

    public func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
