public import RenderLog
import RenderTracker
public import RPC

extension RPCCall {
    /// Longest project name accepted, in UTF-8 bytes. Names are keys: unlike messages they cannot be
    /// clipped without merging different projects, so a longer one is refused.
    public static let maxProjectNameBytes = ProjectNameRules.maximumBytes

    /// A project name: a string of at most `maxProjectNameBytes`.
    public func project(_ index: Int) throws(RPCFault) -> String {
        let name = try string(index)
        guard name.utf8.count <= Self.maxProjectNameBytes else {
            throw RPCFault.invalidParams(
                "\(method.name): \(describe(index)) is \(name.utf8.count) bytes long; project names are limited to \(Self.maxProjectNameBytes)")
        }
        return name
    }

    /// The call as a render log records it.
    public var recorded: RecordedCall {
        RecordedCall(method: method.name, params: params, client: client)
    }
}
