/// An XML-RPC value; JSON-RPC maps onto the same model.
public enum RPCValue: Sendable, Hashable {
    /// `<int>`, `<i4>`, `<i8>`, `<ex:i8>`; encoded as `<int>` when it fits Int32, else `<i8>`.
    case int(Int)
    /// `<boolean>` with `0` or `1` only.
    case bool(Bool)
    /// `<string>`, and an untyped `<value>text</value>` (`<value/>` is `""`).
    case string(String)
    /// `<double>`; Python's `repr()` spellings (`1e-07`, `inf`, `nan`) are accepted.
    case double(Double)
    /// `<dateTime.iso8601>`: the raw text, validated only as non-empty.
    case dateTime(String)
    /// `<base64>`, decoded.
    case base64([UInt8])
    /// `<array><data>...</data></array>`.
    case array([RPCValue])
    /// `<struct>`; with duplicate member names the last one wins.
    case structure([String: RPCValue])
    /// `<nil/>`, `<ex:nil/>`.
    case null
}

extension RPCValue {
    /// The XML-RPC type name, as used in `system.methodSignature` and in error messages.
    public var typeName: String {
        switch self {
        case .int: "int"
        case .bool: "boolean"
        case .string: "string"
        case .double: "double"
        case .dateTime: "dateTime.iso8601"
        case .base64: "base64"
        case .array: "array"
        case .structure: "struct"
        case .null: "nil"
        }
    }

    /// The type name and a clipped rendering of the value, e.g. `string "abc"` or `array of 3`,
    /// for messages such as `expected int, got string "abc"`.
    public var debugSummary: String {
        switch self {
        case .int(let value): "int \(value)"
        case .bool(let value): "boolean \(value)"
        case .string(let value): "string \"\(value.clipped())\""
        case .double(let value): "double \(value)"
        case .dateTime(let value): "dateTime.iso8601 \(value.clipped())"
        case .base64(let bytes): "base64 of \(bytes.count) bytes"
        case .array(let elements): "array of \(elements.count)"
        case .structure(let members):
            // Sorted so the same struct always reads the same in logs.
            "struct {\(members.keys.sorted().joined(separator: ", ").clipped())}"
        case .null: "nil"
        }
    }
}

extension RPCValue {
    /// A double, or an integer read as one: clients differ on whether `2.0` comes back as `2.0`
    /// or `2`, so readers of numeric answers take either.
    public var number: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}
