import Testing
@testable import RPC

/// `JSONReader`: every JSON type, number typing, strings and escapes, errors with their byte
/// offsets, and the nesting limit.
struct JSONReaderTests {

    // MARK: - Helpers

    private static func parse(_ text: String, maxDepth: Int = 64) throws(JSONReader.ParseError) -> RPCValue {
        try JSONReader.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// The parse error for `bytes`, recording an issue (and returning nil) when they parse.
    private static func failure(
        _ bytes: [UInt8], maxDepth: Int = 64, sourceLocation: SourceLocation = #_sourceLocation
    ) -> JSONReader.ParseError? {
        do {
            let value = try JSONReader.parse(bytes, maxDepth: maxDepth)
            Issue.record("expected a parse error, got \(value)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    private static func failure(
        _ text: String, maxDepth: Int = 64, sourceLocation: SourceLocation = #_sourceLocation
    ) -> JSONReader.ParseError? {
        failure(Array(text.utf8), maxDepth: maxDepth, sourceLocation: sourceLocation)
    }

    // MARK: - Types

    @Test(arguments: [
        ("null", RPCValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("0", .int(0)),
        ("12", .int(12)),
        ("-7", .int(-7)),
        ("12.5", .double(12.5)),
        ("\"text\"", .string("text")),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .structure([:])),
        ("[1, \"a\", null, true, 2.5]", .array([.int(1), .string("a"), .null, .bool(true), .double(2.5)])),
        ("{\"a\": 1, \"b\": [false], \"c\": {\"d\": null}}",
         .structure(["a": .int(1), "b": .array([.bool(false)]), "c": .structure(["d": .null])])),
    ])
    func everyJSONType(text: String, expected: RPCValue) throws {
        #expect(try Self.parse(text) == expected)
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        #expect(try Self.parse(#"{"a": 1, "a": 2}"#) == .structure(["a": .int(2)]))
    }

    // MARK: - Numbers

    @Test(arguments: [
        ("12", RPCValue.int(12)),
        ("-0", .int(0)),
        ("0", .int(0)),
        ("12.0", .double(12.0)),
        ("1e3", .double(1000)),
        ("1E3", .double(1000)),
        ("1e+3", .double(1000)),
        ("25e-1", .double(2.5)),
        ("-1.5e2", .double(-150)),
        ("0.5", .double(0.5)),
        ("1e-400", .double(0)),
        ("9223372036854775807", .int(Int.max)),
        ("-9223372036854775808", .int(Int.min)),
    ])
    func numbersKeepTheirKind(text: String, expected: RPCValue) throws {
        let value = try Self.parse(text)
        #expect(value == expected)
        // RPCValue's == would not tell .int(12) from .double(12); the type name does.
        #expect(value.typeName == expected.typeName)
    }

    @Test func minusZeroIsAnIntButMinusZeroPointZeroIsANegativeDouble() throws {
        #expect(try Self.parse("-0") == .int(0))
        guard case .double(let number) = try Self.parse("-0.0") else {
            Issue.record("-0.0 is not a double")
            return
        }
        #expect(number == 0 && number.sign == .minus)
    }

    @Test(arguments: [
        ("9223372036854775808", 9_223_372_036_854_775_808.0),
        ("-9223372036854775809", -9_223_372_036_854_775_809.0),
        ("123456789012345678901234567890", 1.2345678901234568e29),
    ])
    func integersBeyondInt64BecomeDoubles(text: String, expected: Double) throws {
        #expect(try Self.parse(text) == .double(expected))
    }

    @Test func numbersBeyondDoubleAreAnError() throws {
        let error = try #require(Self.failure("1e400"))
        #expect(error.message == "number out of range: 1e400")
        #expect(error.offset == 5)
        let negative = try #require(Self.failure("[-1e400]"))
        #expect(negative.message == "number out of range: -1e400")
        #expect(negative.offset == 7)
    }

    @Test(arguments: [
        ("-", "invalid number", 1),
        ("-a", "invalid number", 1),
        ("1.", "invalid number: digits must follow '.'", 2),
        ("1.e5", "invalid number: digits must follow '.'", 2),
        (".5", "unexpected character '.'", 0),
        ("+1", "unexpected character '+'", 0),
        ("1e", "invalid number: digits must follow the exponent", 2),
        ("1e+", "invalid number: digits must follow the exponent", 3),
        ("1E-", "invalid number: digits must follow the exponent", 3),
        ("0x10", "unexpected text after the JSON value", 1),
    ])
    func malformedNumbers(text: String, message: String, offset: Int) throws {
        let error = try #require(Self.failure(text))
        #expect(error.message == message)
        #expect(error.offset == offset)
    }

    /// RFC 8259 forbids leading zeros (`01`), as Python's json does.
    @Test(arguments: ["01", "-01", "00", "01.5", "[007]"])
    func leadingZerosAreRejected(text: String) {
        #expect(throws: JSONReader.ParseError.self) { try Self.parse(text) }
    }

    @Test(arguments: ["0", "-0", "0.5", "0e3", "10", "[0,0]"])
    func aLoneZeroIsStillANumber(text: String) throws {
        _ = try Self.parse(text)
    }

    // MARK: - Strings

    @Test(arguments: [
        (#""\"""#, "\""),
        (#""\\""#, "\\"),
        (#""\/""#, "/"),
        (#""\b""#, "\u{08}"),
        (#""\f""#, "\u{0C}"),
        (#""\n""#, "\n"),
        (#""\r""#, "\r"),
        (#""\t""#, "\t"),
        (#""caf\u00e9""#, "café"),
        (#""\u00E9""#, "é"),
        (#""\u0041\u0000z""#, "A\u{0}z"),
        (#""\u20ac""#, "€"),
        (#""\ud83c\udfac""#, "🎬"),
        (#""\uD83C\uDFAC take 2""#, "🎬 take 2"),
        (#""a\"b\\c\/d\n""#, "a\"b\\c/d\n"),
        (#""plain, then \t an escape""#, "plain, then \t an escape"),
    ])
    func stringEscapes(json: String, expected: String) throws {
        #expect(try Self.parse(json) == .string(expected))
    }

    @Test(arguments: [
        ("\"café\"", "café"),
        ("\"日本語のテキスト\"", "日本語のテキスト"),
        ("\"🎬 render ✓\"", "🎬 render ✓"),
        (#""mixed é and \n escape""#, "mixed é and \n escape"),
    ])
    func rawUTF8TextPassesThrough(json: String, expected: String) throws {
        #expect(try Self.parse(json) == .string(expected))
        #expect(try Self.parse("{\(json): 1}") == .structure([expected: .int(1)]))
    }

    @Test func deleteCharacterIsNotAControlCharacter() throws {
        #expect(try JSONReader.parse([0x22, 0x7F, 0x22]) == .string("\u{7F}"))
    }

    @Test(arguments: [
        (#""\ud83c""#, "unpaired UTF-16 surrogate", 7),
        (#""\ud83cx""#, "unpaired UTF-16 surrogate", 7),
        (#""\ud83c\u0041""#, "unpaired UTF-16 surrogate", 13),
        (#""\ud83c\ud83c""#, "unpaired UTF-16 surrogate", 13),
        (#""\udfac""#, #"invalid \u escape"#, 7),
        (#""\u12""#, #"invalid \u escape"#, 3),
        (#""\uzzzz""#, #"invalid \u escape"#, 3),
        (#""\x""#, #"invalid escape '\x'"#, 3),
        (#""\'""#, #"invalid escape '\''"#, 3),
        (#""abc"#, "unterminated string", 4),
        (#""a\"#, "unterminated string", 3),
        (#""a\n"#, "unterminated string", 4),
        (#"""#, "unterminated string", 1),
    ])
    func badStrings(json: String, message: String, offset: Int) throws {
        let error = try #require(Self.failure(json))
        #expect(error.message == message)
        #expect(error.offset == offset)
    }

    /// JSON wants exactly four hex digits: no sign (which `UInt32(_:radix:)` would take).
    @Test(arguments: [#""\u+041""#, #""\u-000""#])
    func unicodeEscapesNeedFourHexDigits(json: String) {
        #expect(throws: JSONReader.ParseError.self) { try Self.parse(json) }
    }

    @Test(arguments: [
        ([0x22, 0x61, 0x01, 0x22], 2),  // fast path
        ([0x22, 0x0A, 0x22], 1),  // raw newline
        ([0x22, 0x61, 0x09, 0x62, 0x22], 2),  // raw tab
        ([0x22, 0x5C, 0x6E, 0x1F, 0x22], 3),  // after an escape
        ([0x22, 0x00, 0x22], 1),  // NUL
    ] as [([UInt8], Int)])
    func controlCharactersInStringsAreErrors(bytes: [UInt8], offset: Int) throws {
        let error = try #require(Self.failure(bytes))
        #expect(error.message == "control character in a string")
        #expect(error.offset == offset)
    }

    @Test(arguments: [
        [0x22, 0xC3, 0x28, 0x22],  // truncated two-byte sequence
        [0x22, 0xFF, 0x22],  // never valid in UTF-8
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // a surrogate encoded as UTF-8
        [0x22, 0x5C, 0x6E, 0xFF, 0x22],  // invalid after an escape
        [0x22, 0xE2, 0x82, 0x22],  // truncated three-byte sequence
    ] as [[UInt8]])
    func invalidUTF8InAStringIsAnError(bytes: [UInt8]) throws {
        let error = try #require(Self.failure(bytes))
        #expect(error.message == "string is not valid UTF-8")
        // The offset is where the reader stands once the string is consumed: past its closing quote.
        #expect(error.offset == bytes.count)
    }

    @Test func invalidUTF8InAKeyIsAnError() throws {
        let bytes: [UInt8] = [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]  // {"\xff":1}
        let error = try #require(Self.failure(bytes))
        #expect(error.message == "string is not valid UTF-8")
        #expect(error.offset == 4)
    }

    @Test func invalidUTF8OutsideAStringIsAnError() throws {
        let error = try #require(Self.failure([0xFF]))
        #expect(error.message.hasPrefix("unexpected character"))
        #expect(error.offset == 0)
    }

    // MARK: - White space and structure

    @Test(arguments: [" 1", "1 ", " \t\r\n1\n\t\r ", "\n[ 1 ,\t2 ]\n", " { \"a\" : 1 , \"b\" : [ ] } "])
    func whitespaceAroundValues(text: String) throws {
        let value = try Self.parse(text)
        #expect(value == .int(1) || value == .array([.int(1), .int(2)]) || value == .structure(["a": .int(1), "b": .array([])]))
    }

    @Test func whitespaceInsideContainersIsSkipped() throws {
        #expect(try Self.parse("[ ]") == .array([]))
        #expect(try Self.parse("{ }") == .structure([:]))
        #expect(try Self.parse("[\n1\n,\n2\n]") == .array([.int(1), .int(2)]))
    }

    @Test(arguments: [
        ("1 x", 2),
        ("true false", 5),
        ("{}}", 2),
        ("[1]]", 3),
        ("\"a\"\"b\"", 3),
        ("null\u{0}", 4),
        ("1 2", 2),
    ])
    func trailingTextIsAnError(text: String, offset: Int) throws {
        let error = try #require(Self.failure(text))
        #expect(error.message == "unexpected text after the JSON value")
        #expect(error.offset == offset)
    }

    @Test(arguments: [
        ("", "unexpected end of JSON", 0),
        ("   ", "unexpected end of JSON", 3),
        ("[", "unexpected end of JSON", 1),
        ("[1,", "unexpected end of JSON", 3),
        ("{", "expected a string key", 1),
        ("{\"a\"", "expected ':' after an object key", 4),
        ("{\"a\":", "unexpected end of JSON", 5),
        ("{\"a\" 1}", "expected ':' after an object key", 5),
        ("{\"a\":1,}", "expected a string key", 7),
        ("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object", 7),
        ("{1:2}", "expected a string key", 1),
        ("[1 2]", "expected ',' or ']' in an array", 3),
        ("[1,]", "unexpected character ']'", 3),
        ("[,1]", "unexpected character ','", 1),
        ("tru", "unexpected end of JSON", 0),
        ("nul", "unexpected end of JSON", 0),
        ("[nul]", "invalid literal", 1),
        ("trux", "invalid literal", 0),
        ("nulL", "invalid literal", 0),
        ("fals", "unexpected end of JSON", 0),
        ("True", "unexpected character 'T'", 0),
        ("'a'", "unexpected character '''", 0),
        ("\u{0C}1", "unexpected character '\u{0C}'", 0),
    ])
    func errorsHaveAMessageAndAByteOffset(text: String, message: String, offset: Int) throws {
        let error = try #require(Self.failure(text))
        #expect(error.message == message)
        #expect(error.offset == offset)
        #expect(error.description == "\(message) at byte \(offset)")
    }

    @Test func emptyInputIsAnError() throws {
        let error = try #require(Self.failure([UInt8]()))
        #expect(error.message == "unexpected end of JSON")
        #expect(error.offset == 0)
    }

    @Test func theRawBufferOverloadParsesTheSameBytes() throws {
        let bytes = Array(#"{"k": [1, 2.5, "é"]}"#.utf8)
        let value = try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONReader.ParseError) -> RPCValue in try JSONReader.parse(buffer) }
        }.get()
        #expect(value == .structure(["k": .array([.int(1), .double(2.5), .string("é")])]))
    }

    // MARK: - Depth

    @Test(arguments: ["[[[]]]", "{\"a\": {\"b\": {}}}", "[{\"a\": []}]", "[[1]]", "{\"a\": [2]}", "7"])
    func depthThreeIsAllowedWithMaxDepthThree(text: String) throws {
        _ = try Self.parse(text, maxDepth: 3)
    }

    @Test(arguments: [
        ("[[[[]]]]", 3),
        ("{\"a\": {\"b\": {\"c\": {}}}}", 17),
        ("[[[{}]]]", 3),
        // A scalar in the innermost container is a level of its own.
        ("[[[1]]]", 3),
        ("[[[[[[[[[[[[", 3),
    ])
    func depthFourFailsWithMaxDepthThree(text: String, offset: Int) throws {
        let error = try #require(Self.failure(text, maxDepth: 3))
        #expect(error.message == "nesting deeper than 3 levels")
        #expect(error.offset == offset)
    }

    @Test func aHundredThousandOpeningBracketsFailWithoutCrashing() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let error = try #require(Self.failure(bytes))
        #expect(error.message == "nesting deeper than 64 levels")
        #expect(error.offset == 64)

        let objects = Array(String(repeating: "{\"a\":", count: 100_000).utf8)
        let objectError = try #require(Self.failure(objects, maxDepth: 10))
        #expect(objectError.message == "nesting deeper than 10 levels")
    }

    @Test func theDefaultDepthIs64() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try Self.parse(deepest)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(Self.failure(tooDeep))
        #expect(error.message == "nesting deeper than 64 levels")
        #expect(error.offset == 64)
    }
}
