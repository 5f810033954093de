import Testing
@testable import LuaHost

/// The byte encoding across the C boundary, written value by value or field by field.
@Suite struct LuaValueCodecTests {
    private func decoded(_ encoder: LuaEncoder) throws -> [LuaValue] {
        try encoder.bytes.withUnsafeBytes { try LuaValueCodec.decode($0) }
    }

    @Test func valuesRoundTrip() throws {
        let values: [LuaValue] = [
            .null, .bool(true), .bool(false), .integer(-7), .integer(.max), .number(0.25), .string(""), .string("é \"x\"\n"),
            .opaque(typeName: "function"), .table([:]), .array([.integer(1), .string("two")]),
            .record(["nested": .record(["deep": .array([.number(1.5)])]), "flag": .bool(true)]),
        ]
        let bytes = LuaValueCodec.encode(values)
        #expect(try bytes.withUnsafeBytes { try LuaValueCodec.decode($0) } == values)
    }

    @Test func tablesWrittenFieldByFieldCountTheirPairs() throws {
        var encoder = LuaEncoder()
        encoder.beginTable()
        encoder.field("name", .string("p"))
        encoder.field("absent", .null)
        encoder.key("list")
        encoder.beginTable()
        for number in [1.5, 2.5] {
            encoder.nextElement()
            encoder.value(.number(number))
        }
        encoder.endTable()
        encoder.key("empty")
        encoder.beginTable()
        encoder.endTable()
        encoder.endTable()
        #expect(try decoded(encoder) == [.record(["name": .string("p"), "list": .array([.number(1.5), .number(2.5)]), "empty": .table([:])])])
    }

    @Test func truncatedBytesAreMalformed() {
        var bytes = LuaValueCodec.encode([.string("hello"), .array([.integer(1)])])
        bytes.removeLast(3)
        #expect(throws: LuaValueCodec.Malformed.self) { try bytes.withUnsafeBytes { try LuaValueCodec.decode($0) } }
    }
}
