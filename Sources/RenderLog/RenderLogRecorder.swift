#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
public import RenderTracker
import Synchronization

/// Appends calls to a render log (`serve --record FILE`). Appending only adds the line to a
/// buffer in memory, under a lock of its own, because it runs inside the tracker's lock;
/// `RenderLogService` writes the buffer out at least every 100 ms and on shutdown. A failed
/// write (disk full) is logged once and counted; the lines it held are lost, RPCs go on.
public final class RenderLogRecorder: Sendable {
    /// Why the log cannot be recorded to, naming the file.
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot record to \(path): \(reason)" }
    }

    public struct Statistics: Sendable, Equatable {
        public var linesWritten = 0
        public var bytesWritten = 0
        /// Writes that failed; their lines are lost.
        public var writeErrors = 0
        public var linesLost = 0
    }

    public let path: String
    /// Also record successful reads (`--record-reads`).
    public let recordReads: Bool
    private let source: String
    private let logger: Logger
    /// Lines not yet written, and how many.
    private let pending = Mutex<(bytes: [UInt8], lines: Int)>(([], 0))
    /// The file and the counters; held while writing, so flushes never interleave.
    private let file: Mutex<(descriptor: Int32, statistics: Statistics, errorLogged: Bool)>

    /// Opens (creating) `path` for appending and writes a session header.
    /// - Parameter source: the header's `source`: `serve`, or `scenario <file>`.
    public init(path: String, recordReads: Bool, source: String, logger: Logger) throws(OpenError) {
        self.path = path
        self.recordReads = recordReads
        self.source = source
        self.logger = logger
        let descriptor = try Self.openForAppending(path)
        var statistics = Statistics()
        let header = Self.header(source: source)
        if let failure = Self.writeAll(header, to: descriptor) {
            close(descriptor)
            throw OpenError(path: path, reason: failure)
        }
        statistics.linesWritten = 1
        statistics.bytesWritten = header.count
        file = Mutex((descriptor, statistics, false))
    }

    deinit {
        flush()
        file.withLock { _ = close($0.descriptor) }
    }

    /// Buffers one call's line. Cheap: called inside the tracker's lock, in the order writes apply.
    public func append(_ call: RecordedCall, at time: Timestamp) {
        pending.withLock { pending in
            RenderLog.append(.call(call, time: time), to: &pending.bytes)
            pending.lines += 1
        }
    }

    /// Writes out every buffered line now.
    public func flush() {
        file.withLock { file in
            // Taken under the file's lock, so two flushes cannot write their batches out of order.
            let (bytes, lines) = pending.withLock { pending in
                defer { pending = ([], 0) }
                return pending
            }
            guard !bytes.isEmpty else { return }
            if let failure = Self.writeAll(bytes, to: file.descriptor) {
                file.statistics.writeErrors += 1
                file.statistics.linesLost += lines
                if !file.errorLogged {
                    file.errorLogged = true
                    logger.error(
                        "cannot write the render log: calls are being lost (logged once; see writeErrors)",
                        metadata: ["file": "\(path)", "reason": "\(failure)"])
                }
            } else {
                file.statistics.linesWritten += lines
                file.statistics.bytesWritten += bytes.count
            }
        }
    }

    /// Opens the file again (SIGHUP, after logrotate moved it away). A new, empty file gets a
    /// header; the same file, still there, goes on without one (a header means a restart).
    public func reopen() {
        flush()
        file.withLock { file in
            let descriptor: Int32
            do {
                descriptor = try Self.openForAppending(path)
            } catch {
                logger.error("cannot reopen the render log: still writing to the old file", metadata: ["reason": "\(error)"])
                return
            }
            close(file.descriptor)
            file.descriptor = descriptor
            file.errorLogged = false
            if lseek(descriptor, 0, SEEK_END) == 0 {
                let header = Self.header(source: source)
                if Self.writeAll(header, to: descriptor) == nil {
                    file.statistics.linesWritten += 1
                    file.statistics.bytesWritten += header.count
                }
            }
        }
    }

    public var statistics: Statistics { file.withLock { $0.statistics } }

    private static func header(source: String) -> [UInt8] {
        RenderLog.line(.header(RenderLogHeader(started: SystemClock().now().iso8601, source: source)))
    }

    private static func openForAppending(_ path: String) throws(OpenError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        return descriptor
    }

    /// All of `bytes` with write(2); the reason it failed, or nil.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return written < 0 ? String(cString: strerror(errno)) : "nothing written"
                }
            }
            return nil
        }
    }
}
