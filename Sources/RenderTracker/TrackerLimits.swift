/// Bounds on what the tracker keeps, so memory stays flat however chatty clients are.
public struct TrackerLimits: Sendable, Equatable {
    /// Newest log entries kept per frame.
    public var logEntriesPerFrame: Int
    /// Largest stored message, job id or image path, in UTF-8 bytes; longer ones keep this many bytes of
    /// head and tail around a short note of what was cut.
    public var messageBytes: Int

    /// Live projects kept in memory; past it, finished projects leave first (a store keeps them
    /// as past renders). A project of a few frames costs about 5 KB, so 10,000 is about 50 MB.
    public var maxLiveProjects: Int

    public init(logEntriesPerFrame: Int = 200, messageBytes: Int = 64 * 1024, maxLiveProjects: Int = 10_000) {
        self.logEntriesPerFrame = logEntriesPerFrame
        self.messageBytes = messageBytes
        self.maxLiveProjects = maxLiveProjects
    }
}
