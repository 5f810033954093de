import Foundation
import Testing
@testable import RPC

/// `JSONWriter`: every `RPCValue` case, key order, string escaping, round trips through
/// `JSONReader`, and Python's `json.loads` reading the output.
struct JSONWriterTests {

    @Test(arguments: [
        (RPCValue.null, "null"),
        (.bool(true), "true"),
        (.bool(false), "false"),
        (.int(0), "0"),
        (.int(42), "42"),
        (.int(-5_000_000_000), "-5000000000"),
        (.int(Int.max), "9223372036854775807"),
        (.int(Int.min), "-9223372036854775808"),
        (.double(1.5), "1.5"),
        (.double(12), "12.0"),
        (.double(-0.25), "-0.25"),
        (.double(1e20), "1e+20"),
        (.double(1e-7), "1e-07"),
        (.double(.infinity), "null"),
        (.double(-.infinity), "null"),
        (.double(.nan), "null"),
        (.string("abc"), "\"abc\""),
        (.string(""), "\"\""),
        (.dateTime("20240305T14:30:15"), "\"20240305T14:30:15\""),
        (.base64([]), "\"\""),
        (.base64([0, 1, 255]), "\"AAH/\""),
        (.base64(Array("hello".utf8)), "\"aGVsbG8=\""),
        (.array([]), "[]"),
        (.array([.int(1), .string("a"), .null]), "[1,\"a\",null]"),
        (.structure([:]), "{}"),
        (.structure(["a": .int(1)]), "{\"a\":1}"),
        (.array([.array([.structure(["x": .array([])])])]), "[[{\"x\":[]}]]"),
    ])
    func everyCase(value: RPCValue, expected: String) {
        #expect(JSONWriter.string(value) == expected)
        #expect(JSONWriter.write(value) == Array(expected.utf8))
    }

    @Test func objectKeysAreSorted() {
        let value = RPCValue.structure([
            "zeta": .int(1), "alpha": .int(2), "Beta": .int(3), "mid": .structure(["b": .int(1), "a": .int(2)]), "": .null,
        ])
        #expect(JSONWriter.string(value) == #"{"":null,"Beta":3,"alpha":2,"mid":{"a":2,"b":1},"zeta":1}"#)
    }

    @Test func writingIntoAppendsToWhatIsThere() {
        var output = Array("prefix:".utf8)
        JSONWriter.write(.array([.bool(true)]), into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "prefix:[true]")
    }

    @Test(arguments: [
        ("say \"hi\"", #""say \"hi\"""#),
        ("C:\\renders\\shot", #""C:\\renders\\shot""#),
        ("a\nb", #""a\nb""#),
        ("a\tb", #""a\tb""#),
        ("a\rb", #""a\rb""#),
        ("\u{01}", #""\u0001""#),
        ("\u{00}", #""\u0000""#),
        ("\u{08}", #""\u0008""#),
        ("\u{0C}", #""\u000c""#),
        ("\u{1F}", #""\u001f""#),
        ("\u{10}x", #""\u0010x""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("/", #""/""#),
        ("café ✓ 🎬 日本", "\"café ✓ 🎬 日本\""),
        ("\u{2028}", "\"\u{2028}\""),
    ])
    func stringEscaping(text: String, expected: String) {
        #expect(JSONWriter.string(.string(text)) == expected)
    }

    @Test func keysAreEscapedLikeStrings() {
        #expect(JSONWriter.string(.structure(["a\"b\n": .int(1)])) == #"{"a\"b\n":1}"#)
    }

    @Test func nonASCIIIsWrittenAsRawUTF8() {
        #expect(JSONWriter.write(.string("é")) == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test(arguments: [
        RPCValue.structure([
            "project": .string("ann/shot \"1\"\n\t\\ é 🎬 \u{01}\u{1F}"),
            "frames": .array([.int(1), .int(-2), .int(Int.max), .int(Int.min)]),
            "fractions": .array([.double(0.1), .double(1e-300), .double(1.7976931348623157e308), .double(-2.5), .double(100)]),
            "flags": .array([.bool(true), .bool(false), .null]),
            "nested": .structure(["a": .array([.structure(["b": .array([.array([])])])]), "": .structure([:])]),
        ]),
        .array([]),
        .string(""),
        .int(0),
        .double(0.5),
        .array([.array([.array([.array([.string("deep")])])])]),
    ])
    func roundTripThroughTheReader(value: RPCValue) throws {
        let text = JSONWriter.write(value)
        let back = try JSONReader.parse(text)
        #expect(back == value)
        // And the text is stable: writing what was read gives the same bytes.
        #expect(JSONWriter.write(back) == text)
    }

    @Test func roundTripKeepsIntsAndDoublesApart() throws {
        let back = try JSONReader.parse(JSONWriter.write(.array([.int(12), .double(12)])))
        guard case .array(let items) = back, items.count == 2 else {
            Issue.record("not a two-item array: \(back)")
            return
        }
        #expect(items[0].typeName == "int")
        #expect(items[1].typeName == "double")
    }

    @Test func typesJSONLacksComeBackAsTheirText() throws {
        let value = RPCValue.array([.base64([0, 1, 255]), .dateTime("2026-01-01T00:00:00Z"), .double(.nan)])
        let back = try JSONReader.parse(JSONWriter.write(value))
        #expect(back == .array([.string("AAH/"), .string("2026-01-01T00:00:00Z"), .null]))
    }

    // MARK: - Python

    private static let python3: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Python's `json.loads` reads the writer's output and finds exactly the value meant,
    /// ints as `int` and doubles as `float`.
    @Test func pythonJSONLoadsAcceptsTheOutput() throws {
        let python = try #require(Self.python3, "python3 not found")
        let value = RPCValue.structure([
            "text": .string("quote\" back\\ nl\n tab\t cr\r ctl\u{01}\u{1F} del\u{7F} é 🎬 / \u{2028}"),
            "int": .int(-5_000_000_000),
            "double": .double(1.5),
            "big": .double(1e20),
            "small": .double(1e-7),
            "whole": .double(12),
            "t": .bool(true),
            "f": .bool(false),
            "n": .null,
            "inf": .double(.infinity),
            "bytes": .base64([0, 1, 255]),
            "when": .dateTime("20240305T14:30:15"),
            "nested": .array([.int(1), .array([.int(2), .array([])]), .structure([:]), .structure(["k": .string("v")])]),
        ])
        let script = #"""
            import sys, json
            v = json.loads(sys.stdin.buffer.read().decode("utf-8"))
            expected = {
                "text": "quote\" back\\ nl\n tab\t cr\r ctl\x01\x1f del\x7f \u00e9 \U0001F3AC / \u2028",
                "int": -5000000000, "double": 1.5, "big": 1e20, "small": 1e-7, "whole": 12.0,
                "t": True, "f": False, "n": None, "inf": None,
                "bytes": "AAH/", "when": "20240305T14:30:15",
                "nested": [1, [2, []], {}, {"k": "v"}],
            }
            problems = []
            if v != expected: problems.append("value differs: %r" % (v,))
            if type(v["int"]) is not int: problems.append("int is %s" % type(v["int"]))
            for key in ("double", "big", "small", "whole"):
                if type(v[key]) is not float: problems.append("%s is %s" % (key, type(v[key])))
            print("ok" if not problems else "; ".join(problems))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(JSONWriter.write(value)))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }
}
