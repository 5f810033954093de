#if canImport(Glibc)
import Glibc
#endif
import Logging
import RenderTracker
import RenderTrackerService
import ServiceLifecycle
import Synchronization

/// Gives the memory of projects that left (removed, replaced, evicted) back to the system.
/// glibc keeps what the daemon frees for its own later use: removing 100,000 projects of 3 frames
/// (a debug build: 45 MiB idle, 289 MiB with them) gave back nothing, and `malloc_trim(0)` then
/// brought it to 111 MiB. So this stage counts what left (inside the lock: one atomic add) and,
/// at most every `interval`, trims once about `trimAfterBytes` worth has left since the last trim.
/// A trim takes glibc's arena locks for its length (logged), so it is not done on every removal.
final class MemoryReturnService: TrackerObserver, Service {
    static let interval: Duration = .seconds(10)
    /// What projects and frames that left are worth before a trim, estimated from the measured
    /// figures below; 32 MiB is a noticeable share of the memory budget and little CPU.
    static let trimAfterBytes = 32 << 20
    /// A live project of a few frames (100,000 of 3 frames took 244 MiB, about 2,500 bytes each
    /// with its frames) and a frame (1,000,000 waiting frames took 293 MiB, docs/performance.md).
    static let bytesPerProject = 2_500
    static let bytesPerFrame = 300

    private let logger: Logger
    private let departedBytes = Atomic<Int>(0)

    init(logger: Logger) {
        self.logger = logger
    }

    func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        guard !write.outcome.endedRenders.isEmpty else { return }
        let bytes = write.outcome.endedRenders.reduce(0) { $0 + Self.bytesPerProject + $1.project.frameCount * Self.bytesPerFrame }
        departedBytes.add(bytes, ordering: .relaxed)
    }

    func run() async throws {
        await PeriodicWork.run(every: Self.interval) {
        } tick: { [self] in
            trimIfDue()
        }
    }

    private func trimIfDue() {
        guard let trim = Self.mallocTrim, departedBytes.load(ordering: .relaxed) >= Self.trimAfterBytes else { return }
        let departed = departedBytes.exchange(0, ordering: .relaxed)
        let before = Self.residentBytes()
        let start = ContinuousClock.now
        _ = trim(0)
        let took = ContinuousClock.now - start
        logger.info("memory given back", metadata: [
            "departedEstimate": "\(departed >> 20) MiB", "residentBefore": "\(before >> 20) MiB",
            "residentAfter": "\(Self.residentBytes() >> 20) MiB", "took": "\(took)",
        ])
    }

    /// glibc's `malloc_trim`, looked up at run time: its header (`malloc.h`) is not in Swift's
    /// Glibc module, and another C library has none (the daemon then trims nothing).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// The process's resident memory, from `/proc/self/statm` (its second field, in pages).
    private static func residentBytes() -> Int {
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = read(descriptor, &bytes, bytes.count)
        guard count > 0 else { return 0 }
        let fields = String(decoding: bytes[..<count], as: UTF8.self).split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * sysconf(Int32(_SC_PAGESIZE)) : 0
    }
}
