/// Routes a method name and parameters to a method, checking the parameter count, and serves the
/// `system.*` introspection and multicall methods over whatever table it is given. What happens
/// to each call besides its answer (metrics, fault logs, recorded reads) is its observers' work.
public struct RPCDispatcher: Sendable {
    public private(set) var methods: [String: RPCMethod]
    private var observers: [any RPCCallObserver]

    public init(methods: [RPCMethod], observers: [any RPCCallObserver] = []) {
        var table: [String: RPCMethod] = [:]
        for method in methods + Self.systemMethods {
            table[method.name] = method
        }
        self.methods = table
        self.observers = observers
    }

    /// The same table, also told to `observer` (after the observers it has).
    public func observed(by observer: any RPCCallObserver) -> RPCDispatcher {
        var copy = self
        copy.observers.append(observer)
        return copy
    }

    /// The same table and observers, where each method `refusal` gives a fault for answers that
    /// fault instead of running (introspection still lists it). For access rules decided per
    /// request: `system.multicall` calls through the dispatcher it was called on, so the calls
    /// inside it meet the same refusals.
    public func restricted(by refusal: (RPCMethod) -> RPCFault?) -> RPCDispatcher {
        var copy = self
        copy.methods = methods.mapValues { method in
            guard let fault = refusal(method) else { return method }
            var refused = method
            refused.handler = { _ throws(RPCFault) in throw fault }
            return refused
        }
        return copy
    }

    /// - Parameter client: the caller's IP address, for observers (the render log).
    public func call(_ name: String, _ params: [RPCValue], client: String? = nil) -> Result<RPCValue, RPCFault> {
        let method = methods[name]
        let result = Result { () throws(RPCFault) -> RPCValue in
            guard let method else {
                throw RPCFault.methodNotFound(name)
            }
            guard params.count == method.parameters.count else {
                let expected = method.parameters.count == 1 ? "1 parameter" : "\(method.parameters.count) parameters"
                throw RPCFault.invalidParams("\(method.synopsis) takes \(expected); got \(params.count)")
            }
            return try method.handler(RPCCall(method: method, params: params, dispatcher: self, client: client))
        }
        return finished(name, params, client: client, method: method, result)
    }

    /// Tells the observers of a request refused before it named a method (malformed XML or JSON,
    /// not a call): transports call this, so that every refusal is counted and logged once.
    public func refused(_ fault: RPCFault) {
        for observer in observers {
            observer.dispatcher(refused: fault)
        }
    }

    /// Every answer a caller gets passes through here once, to the observers.
    private func finished(
        _ name: String, _ params: [RPCValue], client: String?, method: RPCMethod?, _ result: Result<RPCValue, RPCFault>
    ) -> Result<RPCValue, RPCFault> {
        for observer in observers {
            observer.dispatcher(finished: name, params: params, client: client, method: method, result: result)
        }
        return result
    }

    /// Orders named parameters (JSON-RPC's `"params": {...}`) by the method's parameter names.
    public func positional(_ name: String, _ named: [String: RPCValue]) -> Result<[RPCValue], RPCFault> {
        let ordered = Result { () throws(RPCFault) -> [RPCValue] in
            guard let method = methods[name] else {
                throw RPCFault.methodNotFound(name)
            }
            let known = Set(method.parameters.map(\.name))
            if let unknown = named.keys.sorted().first(where: { !known.contains($0) }) {
                throw RPCFault.invalidParams("\(method.synopsis) has no parameter named \"\(unknown)\"")
            }
            return try method.parameters.map { parameter throws(RPCFault) in
                guard let value = named[parameter.name] else {
                    throw RPCFault.invalidParams("\(method.synopsis): missing parameter \"\(parameter.name)\"")
                }
                return value
            }
        }
        // Only a refusal is an answer; the reordered call is answered (and observed) by `call`.
        if case .failure(let fault) = ordered {
            _ = finished(name, [], client: nil, method: methods[name], .failure(fault))
        }
        return ordered
    }

    private func method(named call: RPCCall) throws(RPCFault) -> RPCMethod {
        let name = try call.string(0)
        guard let method = methods[name] else {
            throw RPCFault.invalidParams("\(call.method.name): no method named \"\(name)\"")
        }
        return method
    }

    /// `system.multicall`: each call's result as a one-element array, or its fault as a struct;
    /// one failing call does not fail the batch. Nested multicall is refused, as xmlrpc-c does.
    private func multicall(_ call: RPCCall) throws(RPCFault) -> RPCValue {
        guard case .array(let calls) = call.params[0] else {
            throw RPCFault.invalidParams("system.multicall: parameter 1 (calls) must be an array of {methodName, params} structs")
        }
        return .array(calls.enumerated().map { index, entry in
            let result: Result<RPCValue, RPCFault>
            switch Self.multicallEntry(entry, position: index + 1) {
            case .success(let (name, params)):
                result = self.call(name, params, client: call.client)  // observed on its own
            case .failure(let refusal):
                result = finished(call.method.name, [], client: call.client, method: call.method, .failure(refusal))
            }
            switch result {
            case .success(let value): return .array([value])
            case .failure(let fault): return .structure(["faultCode": .int(fault.code), "faultString": .string(fault.message)])
            }
        })
    }

    /// The method name and parameters of one `system.multicall` entry, or why it cannot run.
    /// `position` counts from 1, like parameters.
    private static func multicallEntry(_ entry: RPCValue, position: Int) -> Result<(String, [RPCValue]), RPCFault> {
        guard case .structure(let fields) = entry, case .string(let name)? = fields["methodName"] else {
            return .failure(.invalidParams("system.multicall: call \(position) is not a struct with a string methodName"))
        }
        guard name != "system.multicall" else {
            return .failure(.invalidRequest("system.multicall: call \(position) is a nested system.multicall, which is refused"))
        }
        guard case .array(let params)? = fields["params"] ?? .array([]) else {
            return .failure(.invalidParams("system.multicall: call \(position) (\(name)) has params that are not an array"))
        }
        return .success((name, params))
    }

    private static let systemMethods: [RPCMethod] = [
        RPCMethod("system.listMethods", returns: "array", help: "The names of every method this server offers, sorted.") { call in
            .array(call.dispatcher.methods.keys.sorted().map(RPCValue.string))
        },
        RPCMethod("system.methodHelp", [.init("method", "string")], returns: "string", help: "What a method does.") { call throws(RPCFault) in
            let method = try call.dispatcher.method(named: call)
            return .string("\(method.synopsis): \(method.help)")
        },
        RPCMethod(
            "system.methodSignature", [.init("method", "string")], returns: "array",
            help: "A method's signatures: an array of [return type, parameter types...]."
        ) { call throws(RPCFault) in
            let method = try call.dispatcher.method(named: call)
            return .array([.array(method.signature.map(RPCValue.string))])
        },
        RPCMethod(
            "system.multicall", [.init("calls", "array")], returns: "array",
            help: "Runs several calls in one request: [{methodName, params}, ...] -> [[result] or {faultCode, faultString}, ...]."
        ) { call throws(RPCFault) in
            try call.dispatcher.multicall(call)
        },
    ]
}
