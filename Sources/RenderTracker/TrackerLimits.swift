/// Bounds on what the tracker keeps, so memory stays flat however chatty clients are.
public struct TrackerLimits: Sendable, Equatable {
    /// Newest log entries kept per frame.
    public var logEntriesPerFrame: Int
    /// Bytes a frame's log may hold (its entries and their messages); past it the oldest entries
    /// are dropped. 256 KiB keeps four maximal (64 KiB) error messages, or all 200 entries of a
    /// frame that failed 200 times with 1 KiB of mantra output each; a frame's worst case falls
    /// from 200 × 64 KiB (12.8 MB) to 256 KiB.
    public var logBytesPerFrame: Int
    /// Largest stored message, job id or image path, in UTF-8 bytes; longer ones keep this many bytes of
    /// head and tail around a short note of what was cut.
    public var messageBytes: Int

    /// Live projects kept in memory; past it, finished projects leave first (a store keeps them
    /// as past renders). A project of a few frames costs about 5 KB, so 10,000 is about 50 MB.
    public var maxLiveProjects: Int

    public init(
        logEntriesPerFrame: Int = 200, logBytesPerFrame: Int = 256 * 1024, messageBytes: Int = 64 * 1024, maxLiveProjects: Int = 10_000
    ) {
        self.logEntriesPerFrame = logEntriesPerFrame
        self.logBytesPerFrame = logBytesPerFrame
        self.messageBytes = messageBytes
        self.maxLiveProjects = maxLiveProjects
    }
}
