public import RPC
/// A `<methodResponse>`: one result value, or a fault struct.
public enum XMLRPCResponse: Sendable, Equatable {
    case success(RPCValue)
    case fault(code: Int, message: String)
}
