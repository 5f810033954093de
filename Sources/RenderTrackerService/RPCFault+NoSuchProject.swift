public import RPC

extension RPCFault {
    /// The tracker's own fault code (positive, apart from the protocol's negative ones): the one
    /// read that faults on an unknown project, `isProjectDone`, as the original tracker did.
    public static let noSuchProjectCode = 1

    public static func noSuchProject(_ name: String) -> RPCFault {
        RPCFault(code: noSuchProjectCode, message: "no such project: \"\(name)\"")
    }
}
