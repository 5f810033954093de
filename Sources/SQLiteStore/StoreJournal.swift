#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RenderTracker
import RenderTrackerService
import StoreCoding
import Synchronization

/// The store's write-ahead journal: every write's record reaches the kernel (`write(2)`) before
/// its call is answered, so a process crash (SIGKILL, the OOM killer) loses nothing that was
/// acknowledged; `fdatasync` every sync interval (or before every answer, at interval 0) bounds
/// what power loss can take. Checkpoints into SQLite happen every few seconds; each starts a new
/// segment file, and segments a checkpoint covers are deleted, so the journal holds seconds of
/// writes, not a history.
///
/// Records are buffered inside the tracker's lock (`append`, in event-id order) and written out
/// after it (`writeOut`): one `write(2)` carries every record queued meanwhile, so concurrent
/// clients share the system call (measured in docs/performance.md § Store).
///
/// A write that fails (disk full) breaks the segment: later records are not journaled until the
/// next checkpoint succeeds and opens a fresh segment. A replay stops at the first gap in the
/// sequence, so it never applies a write without those before it.
final class StoreJournal: Sendable {
    let directory: String
    /// fdatasync before every answer (`--sync-interval 0`).
    let syncEveryWrite: Bool

    private struct Buffer {
        var bytes: [UInt8] = []
        var sequence: UInt64 = 0
    }

    private struct File {
        var descriptor: Int32 = -1
        var segment = 0
        /// Why the current segment takes no more records; nil while it does.
        var problem: String?
    }

    private let buffer = Mutex(Buffer())
    private let file = Mutex(File())

    init(directory: String, syncEveryWrite: Bool) {
        self.directory = directory
        self.syncEveryWrite = syncEveryWrite
    }

    deinit {
        file.withLock { file in
            if file.descriptor >= 0 { close(file.descriptor) }
        }
    }

    /// The segment files present, oldest first.
    func segments() -> [(number: Int, path: String)] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var found: [(Int, String)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasSuffix(Self.suffix), let number = Int(name.dropLast(Self.suffix.count)) else { continue }
            found.append((number, "\(directory)/\(name)"))
        }
        return found.sorted { $0.0 < $1.0 }
    }

    static let suffix = ".writes"

    /// Starts journaling into a new segment after `segment`, numbering records after `sequence`.
    func start(after segment: Int, sequence: UInt64) throws(StoreError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw StoreError("cannot create the journal folder \(directory): \(String(cString: strerror(errno)))")
        }
        buffer.withLock { $0.sequence = sequence }
        try file.withLock { file throws(StoreError) in
            file.segment = segment
            if let problem = Self.openNext(&file, in: directory) {
                throw StoreError("cannot write the journal in \(directory): \(problem)")
            }
        }
    }

    /// Inside the tracker's lock: queues one write's record. Cheap: no system call.
    func append(time: Timestamp, client: String?, command: TrackerCommand) {
        buffer.withLock { buffer in
            buffer.sequence += 1
            JournalRecord(sequence: buffer.sequence, time: time, client: client, command: command).append(to: &buffer.bytes)
        }
    }

    /// After the tracker's lock, before the call is answered: every queued record to the kernel
    /// (and to the disk, at sync interval 0). A record another caller already wrote out costs
    /// nothing more.
    func writeOut() {
        file.withLock { file in
            writeQueued(&file, sync: syncEveryWrite)
        }
    }

    /// Flushes the current segment to the disk (the sync interval's tick). The lock is held only to
    /// duplicate the descriptor, so writers go on while the disk works.
    func sync() {
        let descriptor = file.withLock { $0.descriptor >= 0 ? dup($0.descriptor) : -1 }
        guard descriptor >= 0 else { return }
        _ = fdatasync(descriptor)
        close(descriptor)
    }

    /// Inside the tracker's lock, at a checkpoint's cut: writes out what is queued, closes the
    /// segment and opens the next. Returns the last sequence number in the closed segments and the
    /// segment number below which everything is covered by the cut.
    func rotate() -> (sequence: UInt64, firstKeptSegment: Int) {
        file.withLock { file in
            writeQueued(&file, sync: false)
            let sequence = buffer.withLock { $0.sequence }
            if file.descriptor >= 0 {
                // Durable before the checkpoint that replaces it is committed (a checkpoint is
                // synchronous=FULL), so the two never disagree after power loss.
                _ = fdatasync(file.descriptor)
                close(file.descriptor)
                file.descriptor = -1
            }
            file.problem = Self.openNext(&file, in: directory)
            return (sequence, file.segment)
        }
    }

    /// After a checkpoint committed: the segments it covers.
    func removeSegments(before segment: Int) {
        for (number, path) in segments() where number < segment {
            unlink(path)
        }
    }

    /// At a restore that stopped at a gap: the segments from `segment` on, whose records can never
    /// be replayed (the writes before them are gone). Left in place, they would stop every later
    /// replay before the records journaled after this restore.
    func removeSegments(from segment: Int) {
        for (number, path) in segments() where number >= segment {
            unlink(path)
        }
    }

    /// Why records are not being journaled; nil while they are.
    var problem: String? {
        file.withLock { $0.problem }
    }

    var sequence: UInt64 {
        buffer.withLock { $0.sequence }
    }

    private static func openNext(_ file: inout File, in directory: String) -> String? {
        file.segment += 1
        let path = "\(directory)/\(String(repeating: "0", count: max(0, 12 - String(file.segment).count)))\(file.segment)\(suffix)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return "cannot open \(path): \(String(cString: strerror(errno)))"
        }
        file.descriptor = descriptor
        return nil
    }

    private func writeQueued(_ file: inout File, sync: Bool) {
        let bytes = buffer.withLock { buffer in
            defer { buffer.bytes.removeAll(keepingCapacity: true) }
            return buffer.bytes
        }
        guard !bytes.isEmpty, file.problem == nil, file.descriptor >= 0 else { return }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                write(file.descriptor, raw.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                file.problem = "writing the journal failed: \(String(cString: strerror(errno)))"
                return
            }
            written += result
        }
        if sync, fdatasync(file.descriptor) != 0 {
            file.problem = "syncing the journal failed: \(String(cString: strerror(errno)))"
        }
    }

    /// Every record of the segments, oldest first, up to the first damaged or cut-short one.
    /// `segmentOf` gives the segment number of each record.
    static func readRecords(of segments: [(number: Int, path: String)]) -> (records: [JournalRecord], segmentOf: [Int], tornBytes: Int) {
        var records: [JournalRecord] = []
        var segmentOf: [Int] = []
        var torn = 0
        for segment in segments {
            let bytes = readFile(segment.path)
            let (found, valid) = JournalRecord.records(in: bytes)
            records += found
            segmentOf += Array(repeating: segment.number, count: found.count)
            torn += bytes.count - valid
        }
        return (records, segmentOf, torn)
    }

    private static func readFile(_ path: String) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return bytes
    }
}
