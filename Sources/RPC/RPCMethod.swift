/// One callable method: its name, documented parameters and result, and the code behind it.
public struct RPCMethod: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        /// The XML-RPC type name used in `system.methodSignature` ("string", "int", "double", ...).
        public var type: String

        public init(_ name: String, _ type: String) {
            self.name = name
            self.type = type
        }
    }

    public var name: String
    public var parameters: [Parameter]
    public var returns: String
    public var help: String
    /// True for a method that changes the tracker's state: a render log records every successful
    /// call of it; reads are recorded only with `--record-reads`.
    public var changesState: Bool
    public var handler: @Sendable (RPCCall) throws(RPCFault) -> RPCValue

    public init(
        _ name: String, _ parameters: [Parameter] = [], returns: String, help: String, changesState: Bool = false,
        handler: @escaping @Sendable (RPCCall) throws(RPCFault) -> RPCValue
    ) {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.help = help
        self.changesState = changesState
        self.handler = handler
    }

    /// `[return type, parameter types...]`, the shape `system.methodSignature` returns.
    public var signature: [String] { [returns] + parameters.map(\.type) }

    /// `setFrameRenderFraction(project, frame, fraction)`
    public var synopsis: String { "\(name)(\(parameters.map(\.name).joined(separator: ", ")))" }
}
