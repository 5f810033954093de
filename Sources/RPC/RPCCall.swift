/// One call being served: the method, its positional parameters, and typed access to them that
/// fails with an invalid-params fault naming the method, the parameter and what was wrong.
public struct RPCCall: Sendable {
    public let method: RPCMethod
    public let params: [RPCValue]
    /// The dispatcher serving the call, for methods that call others (`system.multicall`).
    public let dispatcher: RPCDispatcher
    /// The client's IP address (no port); nil for a call from inside the process.
    public let client: String?

    public init(method: RPCMethod, params: [RPCValue], dispatcher: RPCDispatcher, client: String? = nil) {
        self.method = method
        self.params = params
        self.dispatcher = dispatcher
        self.client = client
    }

    public func string(_ index: Int) throws(RPCFault) -> String {
        if case .string(let text) = params[index] { return text }
        throw mismatch(index, expected: "a string")
    }

    /// A job id: a string, though an integer is taken as its decimal text (`$JOBID` is a number).
    public func identifier(_ index: Int) throws(RPCFault) -> String {
        switch params[index] {
        case .string(let text): return text
        case .int(let number): return String(number)
        default: throw mismatch(index, expected: "a string")
        }
    }

    public func bool(_ index: Int) throws(RPCFault) -> Bool {
        switch params[index] {
        case .bool(let flag): return flag
        case .int(let number) where number == 0 || number == 1: return number == 1
        default: throw mismatch(index, expected: "a boolean")
        }
    }

    /// An integer; an integral double counts (`12.0` is frame 12).
    public func integer(_ index: Int) throws(RPCFault) -> Int {
        guard let number = Self.integer(params[index]) else {
            throw mismatch(index, expected: "an integer")
        }
        return number
    }

    /// A finite number, int or double.
    public func number(_ index: Int) throws(RPCFault) -> Double {
        switch params[index] {
        case .int(let number): return Double(number)
        case .double(let number) where number.isFinite: return number
        case .double: throw mismatch(index, expected: "a finite number")
        default: throw mismatch(index, expected: "a number")
        }
    }

    /// An array of integers.
    public func integers(_ index: Int) throws(RPCFault) -> [Int] {
        guard case .array(let items) = params[index] else {
            throw mismatch(index, expected: "an array of integers")
        }
        var numbers: [Int] = []
        numbers.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard let number = Self.integer(item) else {
                throw RPCFault.invalidParams(
                    "\(method.name): \(describe(index)) must be an array of integers; item \(position) is \(item.debugSummary)")
            }
            numbers.append(number)
        }
        return numbers
    }

    private static func integer(_ value: RPCValue) -> Int? {
        switch value {
        case .int(let number):
            return number
        case .double(let number) where number == number.rounded() && abs(number) < 9.0e15:
            return Int(number)
        default:
            return nil
        }
    }

    /// `parameter 2 (frame)`, as faults name a parameter.
    public func describe(_ index: Int) -> String {
        "parameter \(index + 1) (\(method.parameters[index].name))"
    }

    private func mismatch(_ index: Int, expected: String) -> RPCFault {
        let value = params[index]
        return .invalidParams("\(method.name): \(describe(index)) must be \(expected), got \(value.debugSummary)")
    }
}
