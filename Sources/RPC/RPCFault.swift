/// An RPC error as both protocols carry it: XML-RPC `faultCode`/`faultString`, JSON-RPC `code`/`message`.
public struct RPCFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "fault \(code): \(message)" }

    // The interoperable codes shared by XML-RPC servers and JSON-RPC 2.0. Applications add their
    // own (positive) codes in extensions.
    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    /// An access rule of the server refused the call (in JSON-RPC's range for server errors).
    public static let refusedCode = -32001

    public static func parseError(_ message: String) -> RPCFault { RPCFault(code: parseErrorCode, message: message) }
    public static func invalidRequest(_ message: String) -> RPCFault { RPCFault(code: invalidRequestCode, message: message) }
    public static func invalidParams(_ message: String) -> RPCFault { RPCFault(code: invalidParamsCode, message: message) }
    public static func internalError(_ message: String) -> RPCFault { RPCFault(code: internalErrorCode, message: message) }
    /// The message names the rule and what would pass it.
    public static func refused(_ message: String) -> RPCFault { RPCFault(code: refusedCode, message: message) }

    public static func methodNotFound(_ name: String) -> RPCFault {
        RPCFault(code: methodNotFoundCode, message: "no method named \"\(name)\" (system.listMethods lists them)")
    }
}
