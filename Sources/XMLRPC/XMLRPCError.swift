/// Why a document could not be decoded.
public struct XMLRPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not well-formed XML, not in a supported encoding, empty, truncated.
        case malformed
        /// A DOCTYPE, entity or other DTD declaration: refused outright, never expanded.
        case forbiddenDeclaration
        /// Elements nested beyond `XMLRPCLimits.maxDepth`.
        case tooDeep
        /// Well-formed XML that is not a valid methodCall / methodResponse.
        case invalidStructure
    }

    public var kind: Kind
    /// Says what was wrong and where (line and column or element name).
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
