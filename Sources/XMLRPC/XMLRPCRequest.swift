public import RPC
/// A decoded `<methodCall>`.
public struct XMLRPCRequest: Sendable, Equatable {
    public var methodName: String
    public var params: [RPCValue]

    public init(methodName: String, params: [RPCValue]) {
        self.methodName = methodName
        self.params = params
    }
}
