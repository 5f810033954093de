public import RPC

/// What the RPC methods of one request may do, decided by `RPCGrantMiddleware` from the client's
/// address and credentials, and enforced per method by the endpoint, so that each call inside a
/// `system.multicall` or a JSON-RPC batch is held to the same rules.
public struct RPCGrant: Sendable, Hashable {
    /// Why methods that change state are refused (the rule, for the fault); nil when allowed.
    public var writesRefused: String?
    /// Why `removeProject` is refused; nil when allowed.
    public var adminRefused: String?

    public static let everything = RPCGrant(writesRefused: nil, adminRefused: nil)

    /// The fault for a call of `method` under this grant, or nil when it may run.
    func refusal(of method: RPCMethod) -> RPCFault? {
        if method.name == "removeProject", let adminRefused {
            return .refused(adminRefused)
        }
        if method.changesState, let writesRefused {
            return .refused(writesRefused)
        }
        return nil
    }
}
