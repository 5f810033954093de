/// The byte encoding values cross the C boundary in (see CLuaShim.h): Swift never touches the Lua
/// stack, so a Lua error can never unwind through a Swift frame.
enum LuaValueCodec {
    private enum Tag: UInt8 {
        case null, falseValue, trueValue, integer, number, string, table, opaque
    }

    static func encode(_ values: [LuaValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values {
            append(value, to: &bytes)
        }
        return bytes
    }

    private static func append(_ value: LuaValue, to bytes: inout [UInt8]) {
        switch value {
        case .null:
            bytes.append(Tag.null.rawValue)
        case .bool(let bool):
            bytes.append(bool ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case .integer(let integer):
            bytes.append(Tag.integer.rawValue)
            withUnsafeBytes(of: integer) { bytes.append(contentsOf: $0) }
        case .number(let number):
            bytes.append(Tag.number.rawValue)
            withUnsafeBytes(of: number) { bytes.append(contentsOf: $0) }
        case .string(let string):
            appendCounted(.string, Array(string.utf8), to: &bytes)
        case .opaque(let typeName):
            appendCounted(.opaque, Array(typeName.utf8), to: &bytes)
        case .table(let table):
            bytes.append(Tag.table.rawValue)
            withUnsafeBytes(of: UInt32(table.count)) { bytes.append(contentsOf: $0) }
            for (key, element) in table {
                append(key, to: &bytes)
                append(element, to: &bytes)
            }
        }
    }

    private static func appendCounted(_ tag: Tag, _ content: [UInt8], to bytes: inout [UInt8]) {
        bytes.append(tag.rawValue)
        withUnsafeBytes(of: UInt32(content.count)) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: content)
    }

    struct Malformed: Error {}

    /// Every value in `bytes`, one after another.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(Malformed) -> [LuaValue] {
        var reader = Reader(bytes: bytes)
        var values: [LuaValue] = []
        while !reader.atEnd {
            values.append(try reader.value())
        }
        return values
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset >= bytes.count }

        mutating func take<Value>(_ type: Value.Type) throws(Malformed) -> Value {
            let size = MemoryLayout<Value>.size
            guard bytes.count - offset >= size else { throw Malformed() }
            defer { offset += size }
            return bytes.loadUnaligned(fromByteOffset: offset, as: type)
        }

        mutating func counted() throws(Malformed) -> String {
            let length = Int(try take(UInt32.self))
            guard bytes.count - offset >= length else { throw Malformed() }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
        }

        mutating func value() throws(Malformed) -> LuaValue {
            guard let tag = Tag(rawValue: try take(UInt8.self)) else { throw Malformed() }
            switch tag {
            case .null: return .null
            case .falseValue: return .bool(false)
            case .trueValue: return .bool(true)
            case .integer: return .integer(try take(Int64.self))
            case .number: return .number(try take(Double.self))
            case .string: return .string(try counted())
            case .opaque: return .opaque(typeName: try counted())
            case .table:
                let count = Int(try take(UInt32.self))
                var table: [LuaValue: LuaValue] = [:]
                for _ in 0..<count {
                    let key = try value()
                    table[key] = try value()
                }
                return .table(table)
            }
        }
    }
}
