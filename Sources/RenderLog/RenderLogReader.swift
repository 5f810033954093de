#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem in a render log, as `FILE:LINE: what is wrong` (or `FILE: what is wrong` for the
/// file as a whole).
public struct RenderLogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// Counting from 1; nil for the file as a whole (cannot be opened or read).
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int?, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)"
    }
}

/// Reads a render log line by line, in large chunks, parsing each line with `JSONReader`.
/// A damaged line comes back as `.bad` (the caller stops or skips it); what makes the rest of
/// the file unreadable (not a render log, a newer version, calls before any header) is thrown.
public final class RenderLogReader {
    public enum Item: Sendable, Equatable {
        case entry(RenderLogEntry, line: Int)
        /// `truncated`: the last line, with no newline after it: the writer was killed mid-line.
        case bad(RenderLogError, truncated: Bool)
    }

    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8]
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEndOfFile = false
    private var lineNumber = 0
    private var sawHeader = false
    private static let chunkBytes = 1 << 20
    /// A line longer than this is refused rather than read into memory (the daemon's largest
    /// request body is 32 MiB; a line holds at most one request's parameters).
    private static let maxLineBytes = 256 << 20

    public init(path: String) throws(RenderLogError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RenderLogError(path: path, line: nil, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
    }

    deinit {
        close(descriptor)
    }

    /// The next entry or damaged line; nil at the end of the file. Blank lines are skipped.
    /// Every entry of the log at `path`, in order; the first bad line throws. For tools and
    /// tests that want a whole, intact log (a replay reads item by item and may skip bad lines).
    public static func entries(path: String) throws(RenderLogError) -> [RenderLogEntry] {
        let reader = try RenderLogReader(path: path)
        var entries: [RenderLogEntry] = []
        while let item = try reader.next() {
            switch item {
            case .entry(let entry, _): entries.append(entry)
            case .bad(let error, _): throw error
            }
        }
        return entries
    }

    public func next() throws(RenderLogError) -> Item? {
        while true {
            guard let (lineStart, lineEnd, terminated) = try nextLine() else { return nil }
            lineNumber += 1
            let decoded = buffer.withUnsafeBytes { bytes -> Result<RenderLogEntry, RenderLog.LineError>? in
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
                return Result { () throws(RenderLog.LineError) in try RenderLog.decode(line) }
            }
            guard let decoded else { continue }  // a blank line
            switch decoded {
            case .success(.header(let header)):
                sawHeader = true
                return .entry(.header(header), line: lineNumber)
            case .success(let entry):
                guard sawHeader else {
                    throw error("calls before any render-log header: not a render log (the first line must be "
                        + "{\"format\":\"\(RenderLog.format)\",\"version\":\(RenderLog.version),...})")
                }
                return .entry(entry, line: lineNumber)
            case .failure(let failure):
                if failure.isFatal { throw error(failure.reason) }
                if !terminated {
                    return .bad(error("the last line is cut short (the writer stopped mid-line): \(failure.reason)"), truncated: true)
                }
                return .bad(error(failure.reason), truncated: false)
            }
        }
    }

    private func error(_ reason: String) -> RenderLogError {
        RenderLogError(path: path, line: lineNumber, reason: reason)
    }

    /// The next line's bounds in `buffer` (without its newline), and whether a newline ended it.
    private func nextLine() throws(RenderLogError) -> (Int, Int, Bool)? {
        var searchFrom = start
        while true {
            let found = buffer.withUnsafeBytes { bytes -> Int? in
                guard end > searchFrom, let base = bytes.baseAddress,
                    let hit = memchr(base + searchFrom, 0x0A, end - searchFrom)
                else { return nil }
                return base.distance(to: UnsafeRawPointer(hit))
            }
            if let newline = found {
                defer { start = newline + 1 }
                return (start, newline, true)
            }
            if atEndOfFile {
                guard end > start else { return nil }
                defer { start = end }
                return (start, end, false)
            }
            searchFrom = end
            try readMore(shiftingBy: &searchFrom)
        }
    }

    /// Moves the unread bytes to the front, grows the buffer when a line fills it, and reads.
    private func readMore(shiftingBy searchFrom: inout Int) throws(RenderLogError) {
        if start > 0 {
            let unread = end - start
            buffer.withUnsafeMutableBytes { bytes in
                guard let base = bytes.baseAddress else { return }
                memmove(base, base + start, unread)
            }
            searchFrom -= start
            start = 0
            end = unread
        }
        if end == buffer.count {
            guard buffer.count < Self.maxLineBytes else {
                lineNumber += 1
                throw error("a line longer than \(Self.maxLineBytes >> 20) MiB: not a render log?")
            }
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                read(descriptor, bytes.baseAddress.map { $0 + end }, bytes.count - end)
            }
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                atEndOfFile = true
                return
            }
            if errno != EINTR {
                throw RenderLogError(path: path, line: nil, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
        }
    }
}
