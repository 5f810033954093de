/// JSON-RPC over the same method table: 2.0 (with batches and notifications) and the 1.0 shape
/// `{"method", "params", "id"}` that SideFX's own JSON-RPC helper sends, answered in kind.
public struct JSONRPCHandler: Sendable {
    public let dispatcher: RPCDispatcher
    public let maxDepth: Int

    /// Requests refused before any method ran are reported to `dispatcher`'s observers.
    public init(dispatcher: RPCDispatcher, maxDepth: Int) {
        self.dispatcher = dispatcher
        self.maxDepth = maxDepth
    }

    /// The response body, or nil when every request was a notification (nothing to answer).
    /// - Parameter client: the caller's IP address, for the render log.
    public func respond(to body: UnsafeRawBufferPointer, client: String? = nil) -> [UInt8]? {
        let parsed: RPCValue
        do {
            parsed = try JSONReader.parse(body, maxDepth: maxDepth)
        } catch {
            return JSONWriter.write(refuse(.parseError("JSON parse error: \(error)"), id: .null, version2: true))
        }
        if case .array(let batch) = parsed {
            guard !batch.isEmpty else {
                return JSONWriter.write(refuse(.invalidRequest("empty batch"), id: .null, version2: true))
            }
            let responses = batch.compactMap { respond(toOne: $0, client: client) }
            return responses.isEmpty ? nil : JSONWriter.write(.array(responses))
        }
        return respond(toOne: parsed, client: client).map(JSONWriter.write)
    }

    private func respond(toOne request: RPCValue, client: String?) -> RPCValue? {
        guard case .structure(let fields) = request else {
            return refuse(.invalidRequest("a JSON-RPC request must be an object"), id: .null, version2: true)
        }
        let version2 = fields["jsonrpc"] != nil
        let id = fields["id"]
        let call: (method: String, params: RPCParams)
        switch Self.validate(fields, version2: version2) {
        case .success(let valid):
            call = valid
        case .failure(let fault):
            // An invalid request is answered even without an id: the client must learn it was refused.
            return refuse(fault, id: id ?? .null, version2: version2)
        }
        let result: Result<RPCValue, RPCFault>
        switch call.params {
        case .positional(let params):
            result = dispatcher.call(call.method, params, client: client)
        case .named(let named):
            result = dispatcher.positional(call.method, named).flatMap { dispatcher.call(call.method, $0, client: client) }
        }
        // 2.0 marks a notification by leaving out the id; 1.0 by a null id.
        let isNotification = version2 ? id == nil : (id == nil || id == .null)
        if isNotification { return nil }
        switch result {
        case .success(let value):
            var response: [String: RPCValue] = ["result": value, "id": id ?? .null]
            if version2 { response["jsonrpc"] = .string("2.0") } else { response["error"] = .null }
            return .structure(response)
        case .failure(let fault):
            return Self.errorResponse(fault, id: id ?? .null, version2: version2)
        }
    }

    private enum RPCParams {
        case positional([RPCValue])
        case named([String: RPCValue])
    }

    /// The method and parameters of a well-formed request, or why it is not one.
    private static func validate(_ fields: [String: RPCValue], version2: Bool) -> Result<(method: String, params: RPCParams), RPCFault> {
        if version2, fields["jsonrpc"] != .string("2.0") {
            return .failure(.invalidRequest("\"jsonrpc\" must be \"2.0\""))
        }
        guard case .string(let method)? = fields["method"] else {
            return .failure(.invalidRequest("a request needs a string \"method\""))
        }
        switch fields["params"] {
        case nil, .null?:
            return .success((method, .positional([])))
        case .array(let params)?:
            return .success((method, .positional(params)))
        case .structure(let named)?:
            return .success((method, .named(named)))
        case let other?:
            return .failure(.invalidRequest("\"params\" must be an array or an object, not \(other.typeName)"))
        }
    }

    /// The answer to a request refused before any method ran, reported to the dispatcher's
    /// observers (method faults are reported by the dispatcher itself).
    private func refuse(_ fault: RPCFault, id: RPCValue, version2: Bool) -> RPCValue {
        dispatcher.refused(fault)
        return Self.errorResponse(fault, id: id, version2: version2)
    }

    static func errorResponse(_ fault: RPCFault, id: RPCValue, version2: Bool) -> RPCValue {
        let error = RPCValue.structure(["code": .int(fault.code), "message": .string(fault.message)])
        return .structure(version2
            ? ["jsonrpc": .string("2.0"), "error": error, "id": id]
            : ["result": .null, "error": error, "id": id])
    }
}
