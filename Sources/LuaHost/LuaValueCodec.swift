/// The byte encoding values cross the C boundary in (see CLuaShim.h): Swift never touches the Lua
/// stack, so a Lua error can never unwind through a Swift frame.
enum LuaValueCodec {
    fileprivate enum Tag: UInt8 {
        case null, falseValue, trueValue, integer, number, string, table, opaque
    }

    static func encode(_ values: [LuaValue]) -> [UInt8] {
        var encoder = LuaEncoder()
        for value in values {
            encoder.value(value)
        }
        return encoder.bytes
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

/// Writes values in the boundary's encoding. Tables can be written field by field, straight from
/// Swift data, without building `LuaValue`s first: how the estimator's snapshot, made on every
/// question, stays cheap.
public struct LuaEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// For each table being written: where its pair count goes, and the count so far.
    private var open: [(countAt: Int, count: UInt32)] = []

    public init() {
        bytes.reserveCapacity(1024)
    }

    public mutating func value(_ value: LuaValue) {
        switch value {
        case .null:
            bytes.append(LuaValueCodec.Tag.null.rawValue)
        case .bool(let bool):
            bytes.append(bool ? LuaValueCodec.Tag.trueValue.rawValue : LuaValueCodec.Tag.falseValue.rawValue)
        case .integer(let integer):
            bytes.append(LuaValueCodec.Tag.integer.rawValue)
            withUnsafeBytes(of: integer) { bytes.append(contentsOf: $0) }
        case .number(let number):
            bytes.append(LuaValueCodec.Tag.number.rawValue)
            withUnsafeBytes(of: number) { bytes.append(contentsOf: $0) }
        case .string(let string):
            counted(.string, string)
        case .opaque(let typeName):
            counted(.opaque, typeName)
        case .table(let table):
            beginTable()
            for (key, element) in table {
                self.value(key)
                self.value(element)
            }
            open[open.count - 1].count = UInt32(table.count)
            endTable()
        }
    }

    /// Starts a table; write its pairs with `field`, `key` or `element`, then `endTable()`.
    public mutating func beginTable() {
        bytes.append(LuaValueCodec.Tag.table.rawValue)
        open.append((bytes.count, 0))
        withUnsafeBytes(of: UInt32(0)) { bytes.append(contentsOf: $0) }
    }

    public mutating func endTable() {
        let table = open.removeLast()
        withUnsafeBytes(of: table.count) { count in
            for (offset, byte) in count.enumerated() {
                bytes[table.countAt + offset] = byte
            }
        }
    }

    /// `table[name] = value`; nil fields are left out, as in Lua.
    public mutating func field(_ name: String, _ value: LuaValue) {
        guard value != .null else { return }
        key(name)
        self.value(value)
    }

    /// Writes the key `name`; the caller writes its value next (a nested table, say).
    public mutating func key(_ name: String) {
        open[open.count - 1].count += 1
        counted(.string, name)
    }

    /// Writes the next sequence key (1, 2, ...); the caller writes its value next.
    public mutating func nextElement() {
        open[open.count - 1].count += 1
        value(.integer(Int64(open[open.count - 1].count)))
    }

    private mutating func counted(_ tag: LuaValueCodec.Tag, _ string: String) {
        bytes.append(tag.rawValue)
        let utf8 = string.utf8
        withUnsafeBytes(of: UInt32(utf8.count)) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }
}
