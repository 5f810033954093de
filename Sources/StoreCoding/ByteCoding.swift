/// Little-endian bytes for the journal's records and the store's blob columns (frame logs,
/// estimate evidence). Written by hand rather than through Codable and a Foundation encoder: it
/// runs for every write inside the tracker's lock, and for every frame of a restart.
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    package mutating func integer<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func double(_ value: Double) {
        integer(value.bitPattern)
    }

    package mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            integer(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func optional<Value>(_ value: Value?, _ write: (inout ByteWriter, Value) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    package mutating func doubles(_ values: [Double]) {
        integer(UInt32(values.count))
        for value in values { double(value) }
    }
}

/// Reads what `ByteWriter` wrote; every read checks the bounds and throws `Truncated` past them.
package struct ByteReader {
    package struct Truncated: Error {}

    private let bytes: [UInt8]
    package private(set) var offset: Int

    package init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    package var isAtEnd: Bool { offset >= bytes.count }

    package mutating func skip(_ count: Int) throws(Truncated) {
        guard count <= bytes.count - offset else { throw Truncated() }
        offset += count
    }

    package mutating func integer<Value: FixedWidthInteger>(_: Value.Type = Value.self) throws(Truncated) -> Value {
        let size = MemoryLayout<Value>.size
        guard offset + size <= bytes.count else { throw Truncated() }
        var value = Value.zero
        for index in 0..<size {
            value |= Value(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
        }
        offset += size
        return value
    }

    package mutating func double() throws(Truncated) -> Double {
        Double(bitPattern: try integer(UInt64.self))
    }

    package mutating func bool() throws(Truncated) -> Bool {
        try integer(UInt8.self) != 0
    }

    package mutating func string() throws(Truncated) -> String {
        let count = Int(try integer(UInt32.self))
        guard count <= bytes.count - offset else { throw Truncated() }
        defer { offset += count }
        return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
    }

    package mutating func optional<Value>(_ read: (inout ByteReader) throws(Truncated) -> Value) throws(Truncated) -> Value? {
        try bool() ? try read(&self) : nil
    }

    package mutating func doubles() throws(Truncated) -> [Double] {
        let count = Int(try integer(UInt32.self))
        guard count <= (bytes.count - offset) / 8 else { throw Truncated() }
        var values: [Double] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try double()) }
        return values
    }
}

/// CRC-32 (the IEEE polynomial, as zlib and PNG use), to tell a journal record cut short by a
/// power loss from a whole one.
package enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
