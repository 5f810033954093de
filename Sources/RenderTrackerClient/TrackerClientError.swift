/// Why a call got no answer from the tracker (a fault is an answer: `RPCFault`).
public struct TrackerClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The address is not an http(s) URL.
        case badURL
        /// No HTTP answer: refused, timed out, name not resolved.
        case unreachable
        /// An HTTP status other than the protocol's (200, or 204 for JSON-RPC notifications).
        case httpStatus(Int)
        /// An answer that is not the protocol's response.
        case malformed
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
