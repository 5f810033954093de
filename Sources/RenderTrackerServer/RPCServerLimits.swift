/// What one HTTP request may cost the server.
public struct RPCServerLimits: Sendable, Equatable {
    /// Largest request body, before and after gzip inflation (HTTP 413 beyond).
    public var maxBodyBytes: Int
    /// Deepest nesting of elements (XML) or values (JSON) in a request.
    public var maxDepth: Int
    /// Responses at least this large are gzipped for clients that accept gzip.
    public var compressResponsesFromBytes: Int
    /// Bytes of request bodies held at once across all connections (`BodyBudget`; HTTP 503
    /// beyond). A 4,000-node farm's calls are a few hundred bytes each and read in one piece, so
    /// even all of its nodes calling at once hold about 2 MB; 256 MiB leaves room for six
    /// maximal bodies at once and keeps a 512 MiB machine out of reach.
    public var maxHeldBodyBytes: Int

    /// Of `maxHeldBodyBytes`, what the bytes beyond each body's first MiB may use: the last quarter
    /// is kept for ordinary calls, so that large bodies cannot lock them out.
    public var maxHeldLargeBodyBytes: Int { maxHeldBodyBytes - maxHeldBodyBytes / 4 }

    public init(
        maxBodyBytes: Int = 32 * 1024 * 1024, maxDepth: Int = 64, compressResponsesFromBytes: Int = 1024,
        maxHeldBodyBytes: Int = 256 * 1024 * 1024
    ) {
        self.maxHeldBodyBytes = maxHeldBodyBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
        self.compressResponsesFromBytes = compressResponsesFromBytes
    }
}
