/// What one HTTP request may cost the server.
public struct RPCServerLimits: Sendable, Equatable {
    /// Largest request body, before and after gzip inflation (HTTP 413 beyond).
    public var maxBodyBytes: Int
    /// Deepest nesting of elements (XML) or values (JSON) in a request.
    public var maxDepth: Int
    /// Responses at least this large are gzipped for clients that accept gzip.
    public var compressResponsesFromBytes: Int

    public init(maxBodyBytes: Int = 32 * 1024 * 1024, maxDepth: Int = 64, compressResponsesFromBytes: Int = 1024) {
        self.maxBodyBytes = maxBodyBytes
        self.maxDepth = maxDepth
        self.compressResponsesFromBytes = compressResponsesFromBytes
    }
}
