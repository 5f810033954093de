import Testing
@testable import RPC

struct RPCValueTests {
    @Test(arguments: [
        (RPCValue.int(1), "int"), (.bool(true), "boolean"), (.string(""), "string"), (.double(1), "double"),
        (.dateTime("x"), "dateTime.iso8601"), (.base64([]), "base64"), (.array([]), "array"),
        (.structure([:]), "struct"), (.null, "nil"),
    ])
    func typeName(_ value: RPCValue, _ expected: String) {
        #expect(value.typeName == expected)
    }

    @Test(arguments: [
        (RPCValue.int(-3), "int -3"),
        (.bool(false), "boolean false"),
        (.string("abc"), "string \"abc\""),
        (.double(0.5), "double 0.5"),
        (.dateTime("20240305T14:30:15"), "dateTime.iso8601 20240305T14:30:15"),
        (.base64([1, 2, 3]), "base64 of 3 bytes"),
        (.array([.null, .null]), "array of 2"),
        (.structure(["b": .null, "a": .null]), "struct {a, b}"),
        (.null, "nil"),
    ])
    func debugSummary(_ value: RPCValue, _ expected: String) {
        #expect(value.debugSummary == expected)
    }

    @Test func debugSummaryClipsLongText() {
        let summary = RPCValue.string(String(repeating: "x", count: 10_000)).debugSummary
        #expect(summary == "string \"" + String(repeating: "x", count: 40) + "…\"")
    }
}
