public import RPC

/// The members of a struct answer, read with errors that name the member.
public struct AnswerFields {
    private let fields: [String: RPCValue]
    private let what: String

    init(_ value: RPCValue, what: String) throws(UnexpectedAnswer) {
        guard case .structure(let fields) = value else {
            throw UnexpectedAnswer(description: "\(what) answered \(value.debugSummary), not a struct")
        }
        self.fields = fields
        self.what = what
    }

    public func value(_ name: String) throws(UnexpectedAnswer) -> RPCValue {
        guard let value = fields[name] else { throw UnexpectedAnswer(description: "\(what) has no member \"\(name)\"") }
        return value
    }

    public func string(_ name: String) throws(UnexpectedAnswer) -> String {
        guard case .string(let text) = try value(name) else { throw wrongType(name, "a string") }
        return text
    }

    public func integer(_ name: String) throws(UnexpectedAnswer) -> Int {
        guard case .int(let number) = try value(name) else { throw wrongType(name, "an integer") }
        return number
    }

    public func bool(_ name: String) throws(UnexpectedAnswer) -> Bool {
        guard case .bool(let flag) = try value(name) else { throw wrongType(name, "a boolean") }
        return flag
    }

    public func number(_ name: String) throws(UnexpectedAnswer) -> Double {
        guard let number = try value(name).number else { throw wrongType(name, "a number") }
        return number
    }

    public func optionalNumber(_ name: String) throws(UnexpectedAnswer) -> Double? {
        let value = try value(name)
        if value == .null { return nil }
        guard let number = value.number else { throw wrongType(name, "a number or nil") }
        return number
    }

    /// Whether the answer has the member at all (fields a newer tracker added are absent from an older one's).
    public func has(_ name: String) -> Bool {
        fields[name] != nil
    }

    public func optionalString(_ name: String) throws(UnexpectedAnswer) -> String? {
        switch try value(name) {
        case .null: return nil
        case .string(let text): return text
        default: throw wrongType(name, "a string or nil")
        }
    }

    /// A struct member that may be absent (a tracker older than the member) or nil.
    public func optionalFields(_ name: String) throws(UnexpectedAnswer) -> AnswerFields? {
        guard let value = fields[name], value != .null else { return nil }
        return try AnswerFields(value, what: "\(what)'s \(name)")
    }

    private func wrongType(_ name: String, _ expected: String) -> UnexpectedAnswer {
        UnexpectedAnswer(description: "\(what)'s \"\(name)\" is \(fields[name]?.debugSummary ?? "missing"), not \(expected)")
    }
}
