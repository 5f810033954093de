/// A Lua value as it crosses between Swift and a plugin: plain data only. Functions, userdata and
/// threads arrive as `.opaque` with their type name, so a wrong return type can be named.
public enum LuaValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case table([LuaValue: LuaValue])
    case opaque(typeName: String)

    /// A Lua sequence: keys 1...n.
    public static func array(_ elements: [LuaValue]) -> LuaValue {
        var table: [LuaValue: LuaValue] = [:]
        table.reserveCapacity(elements.count)
        for (offset, element) in elements.enumerated() {
            table[.integer(Int64(offset + 1))] = element
        }
        return .table(table)
    }

    public static func record(_ fields: KeyValuePairs<String, LuaValue>) -> LuaValue {
        var table: [LuaValue: LuaValue] = [:]
        for (key, value) in fields where value != .null {
            table[.string(key)] = value
        }
        return .table(table)
    }

    public static func optional(_ string: String?) -> LuaValue { string.map(LuaValue.string) ?? .null }
    public static func optional(_ number: Double?) -> LuaValue { number.map(LuaValue.number) ?? .null }

    /// Lua's name for the value's type, as `type()` gives it: what error messages say.
    public var typeName: String {
        switch self {
        case .null: "nil"
        case .bool: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .opaque(let typeName): typeName
        }
    }

    public var stringValue: String? {
        if case .string(let string) = self { string } else { nil }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    public subscript(key: String) -> LuaValue {
        if case .table(let table) = self { table[.string(key)] ?? .null } else { .null }
    }

    /// The sequence part (keys 1...n without holes), or nil when this is not a table.
    public var arrayElements: [LuaValue]? {
        guard case .table(let table) = self else { return nil }
        var elements: [LuaValue] = []
        while let element = table[.integer(Int64(elements.count + 1))] {
            elements.append(element)
        }
        return elements
    }
}
