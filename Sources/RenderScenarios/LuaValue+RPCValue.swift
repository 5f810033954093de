import LuaPlugins
import RPC
import LuaHost

extension LuaValue {
    /// An RPC answer as scripts see it: structs become tables with string keys, arrays sequences.
    init(rpc value: RPCValue) {
        switch value {
        case .int(let number): self = .integer(Int64(number))
        case .bool(let flag): self = .bool(flag)
        case .string(let text), .dateTime(let text): self = .string(text)
        case .double(let number): self = .number(number)
        case .base64(let bytes): self = .string(String(decoding: bytes, as: UTF8.self))
        case .array(let items): self = .array(items.map(LuaValue.init(rpc:)))
        case .structure(let fields):
            var table: [LuaValue: LuaValue] = [:]
            for (key, field) in fields { table[.string(key)] = LuaValue(rpc: field) }
            self = .table(table)
        case .null: self = .null
        }
    }
}

extension RPCValue {
    /// A script's argument as a client would send it: integers stay ints, a sequence (or an
    /// empty table) is an array, any other table a struct with its keys as text.
    init(lua value: LuaValue) {
        switch value {
        case .null, .opaque: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .int(Int(number))
        case .number(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .table(let table):
            if let elements = value.arrayElements, elements.count == table.count {
                self = .array(elements.map(RPCValue.init(lua:)))
            } else {
                var fields: [String: RPCValue] = [:]
                for (key, field) in table {
                    let name: String = switch key {
                    case .string(let text): text
                    case .integer(let number): String(number)
                    case .number(let number): String(number)
                    default: key.typeName
                    }
                    fields[name] = RPCValue(lua: field)
                }
                self = .structure(fields)
            }
        }
    }
}

extension PluginNotification {
    /// A captured notification as scripts see it.
    var luaValue: LuaValue {
        switch self {
        case let .httpPost(plugin, url, body, headers, _):
            var headerTable: [LuaValue: LuaValue] = [:]
            for (name, value) in headers { headerTable[.string(name)] = .string(value) }
            return .record([
                "plugin": .string(plugin), "kind": .string("http_post"), "url": .string(url), "body": .string(body), "headers": .table(headerTable),
            ])
        case let .exec(plugin, arguments, input):
            return .record([
                "plugin": .string(plugin), "kind": .string("exec"), "argv": .array(arguments.map(LuaValue.string)), "input": .optional(input),
            ])
        }
    }
}
