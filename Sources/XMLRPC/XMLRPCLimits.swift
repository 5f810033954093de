/// Bounds applied while decoding untrusted documents.
public struct XMLRPCLimits: Sendable {
    /// Element nesting depth of the whole document (`<methodCall>` is depth 1).
    /// 64 matches xmlrpc-c and still allows about 20 levels of nested arrays. Decoding itself
    /// never recurses, but encoding and comparing values does, so keep this modest.
    public var maxDepth: Int = 64

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }
}
