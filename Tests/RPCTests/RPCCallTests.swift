import Testing
@testable import RPC

/// `RPCCall`'s typed parameter access: what each conversion accepts, what it refuses, and the
/// invalid-params message naming the method, the parameter and the value.
struct RPCCallTests {

    // MARK: - Helpers

    private static let method = RPCMethod(
        "setThing", [.init("project", "string"), .init("frame", "int"), .init("fraction", "double"), .init("frames", "array")],
        returns: "boolean", help: "For tests."
    ) { _ in .bool(true) }

    private static let dispatcher = RPCDispatcher(methods: [method])

    /// A call whose parameter at `index` (0...3) is `value`; the others are placeholders.
    private static func call(_ value: RPCValue, at index: Int = 0) -> RPCCall {
        var params: [RPCValue] = [.string("p"), .int(1), .double(0.5), .array([])]
        params[index] = value
        return RPCCall(method: method, params: params, dispatcher: dispatcher)
    }

    private static let parameterNames = ["project", "frame", "fraction", "frames"]

    /// The fault thrown by `body`, recording an issue (and returning nil) when it returns.
    private static func fault<T>(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(RPCFault) -> T
    ) -> RPCFault? {
        do {
            let value = try body()
            Issue.record("expected a fault, got \(value)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// `setThing: parameter N (name) must be <expected>, got <summary>`
    private static func message(_ index: Int, _ expected: String, _ summary: String) -> String {
        "setThing: parameter \(index + 1) (\(parameterNames[index])) must be \(expected), got \(summary)"
    }

    // MARK: - string

    @Test(arguments: ["", "ann/shot", "é 🎬"])
    func stringAcceptsStrings(text: String) throws {
        #expect(try Self.call(.string(text)).string(0) == text)
    }

    @Test(arguments: [
        (RPCValue.int(5), "int 5"),
        (.bool(true), "boolean true"),
        (.double(1.5), "double 1.5"),
        (.null, "nil"),
        (.array([.int(1), .int(2), .int(3)]), "array of 3"),
        (.structure(["b": .int(1), "a": .int(2)]), "struct {a, b}"),
        (.base64([1, 2]), "base64 of 2 bytes"),
        (.dateTime("20240305T14:30:15"), "dateTime.iso8601 20240305T14:30:15"),
    ])
    func stringRefusesEverythingElse(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value).string(0) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(0, "a string", summary))
    }

    @Test func aLongStringIsClippedInTheMessage() throws {
        let long = String(repeating: "x", count: 100)
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(.string(long), at: 1).integer(1) })
        #expect(fault.message == Self.message(1, "an integer", "string \"\(String(repeating: "x", count: 40))…\""))
    }

    // MARK: - identifier

    @Test(arguments: [
        (RPCValue.string("job-7"), "job-7"),
        (.string(""), ""),
        (.int(42), "42"),
        (.int(0), "0"),
        (.int(-7), "-7"),
        (.int(Int.max), "9223372036854775807"),
    ])
    func identifierTakesStringsAndIntsAsDecimalText(value: RPCValue, expected: String) throws {
        #expect(try Self.call(value).identifier(0) == expected)
    }

    @Test(arguments: [
        (RPCValue.double(42), "double 42.0"),
        (.bool(false), "boolean false"),
        (.null, "nil"),
        (.array([]), "array of 0"),
    ])
    func identifierRefusesOtherTypes(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value).identifier(0) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(0, "a string", summary))
    }

    // MARK: - bool

    @Test(arguments: [
        (RPCValue.bool(true), true),
        (.bool(false), false),
        (.int(1), true),
        (.int(0), false),
    ])
    func boolTakesBooleansAndZeroOrOne(value: RPCValue, expected: Bool) throws {
        #expect(try Self.call(value, at: 2).bool(2) == expected)
    }

    @Test(arguments: [
        (RPCValue.int(2), "int 2"),
        (.int(-1), "int -1"),
        (.double(1), "double 1.0"),
        (.string("true"), "string \"true\""),
        (.null, "nil"),
    ])
    func boolRefusesOtherValues(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value, at: 2).bool(2) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(2, "a boolean", summary))
    }

    // MARK: - integer

    @Test(arguments: [
        (RPCValue.int(12), 12),
        (.int(-3), -3),
        (.int(Int.min), Int.min),
        (.double(12), 12),
        (.double(-4), -4),
        (.double(0), 0),
        (.double(-0.0), 0),
        (.double(8.9e15), 8_900_000_000_000_000),
    ])
    func integerTakesIntsAndIntegralDoubles(value: RPCValue, expected: Int) throws {
        #expect(try Self.call(value, at: 1).integer(1) == expected)
    }

    @Test(arguments: [
        (RPCValue.double(1.5), "double 1.5"),
        (.double(-0.5), "double -0.5"),
        (.double(1e300), "double 1e+300"),
        (.double(-1e300), "double -1e+300"),
        (.double(1e16), "double 1e+16"),
        (.double(.infinity), "double inf"),
        (.double(.nan), "double nan"),
        (.string("12"), "string \"12\""),
        (.bool(true), "boolean true"),
        (.null, "nil"),
    ])
    func integerRefusesEverythingElse(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value, at: 1).integer(1) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(1, "an integer", summary))
    }

    // MARK: - number

    @Test(arguments: [
        (RPCValue.int(3), 3.0),
        (.int(-2), -2.0),
        (.double(0.25), 0.25),
        (.double(-1e300), -1e300),
        (.double(0), 0),
    ])
    func numberTakesIntsAndFiniteDoubles(value: RPCValue, expected: Double) throws {
        #expect(try Self.call(value, at: 2).number(2) == expected)
    }

    @Test(arguments: [
        (RPCValue.double(.infinity), "double inf"),
        (.double(-.infinity), "double -inf"),
        (.double(.nan), "double nan"),
    ])
    func numberRefusesNonFiniteDoubles(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value, at: 2).number(2) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(2, "a finite number", summary))
        #expect(fault.message.contains("finite"))
    }

    @Test(arguments: [
        (RPCValue.string("0.5"), "string \"0.5\""),
        (.bool(true), "boolean true"),
        (.null, "nil"),
    ])
    func numberRefusesNonNumbers(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value, at: 2).number(2) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(2, "a number", summary))
    }

    // MARK: - integers

    @Test(arguments: [
        (RPCValue.array([]), [Int]()),
        (.array([.int(1), .int(2), .int(3)]), [1, 2, 3]),
        (.array([.int(5), .double(6), .int(-1)]), [5, 6, -1]),
        (.array([.int(3), .int(1), .int(3)]), [3, 1, 3]),
    ])
    func integersTakesAnArrayOfIntegers(value: RPCValue, expected: [Int]) throws {
        #expect(try Self.call(value, at: 3).integers(3) == expected)
    }

    @Test(arguments: [
        (RPCValue.array([.int(1), .string("x")]), "item 1 is string \"x\""),
        (.array([.double(1.5)]), "item 0 is double 1.5"),
        (.array([.int(1), .int(2), .null]), "item 2 is nil"),
        (.array([.int(1), .array([.int(2)])]), "item 1 is array of 1"),
        (.array([.double(.nan)]), "item 0 is double nan"),
        (.array([.bool(true)]), "item 0 is boolean true"),
    ])
    func integersNamesTheBadItem(value: RPCValue, detail: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value, at: 3).integers(3) })
        #expect(fault.code == -32602)
        #expect(fault.message == "setThing: parameter 4 (frames) must be an array of integers; \(detail)")
    }

    @Test(arguments: [
        (RPCValue.int(5), "int 5"),
        (.string("1,2"), "string \"1,2\""),
        (.structure([:]), "struct {}"),
    ])
    func integersRefusesANonArray(value: RPCValue, summary: String) throws {
        let fault = try #require(Self.fault { () throws(RPCFault) in try Self.call(value, at: 3).integers(3) })
        #expect(fault.code == -32602)
        #expect(fault.message == Self.message(3, "an array of integers", summary))
    }

    // MARK: - Through the dispatcher

    @Test func aConversionFaultComesBackFromTheDispatcher() throws {
        let dispatcher = RPCDispatcher(methods: [
            RPCMethod("frameOf", [.init("project", "string"), .init("frame", "int")], returns: "int", help: "") {
                call throws(RPCFault) in
                _ = try call.string(0)
                return .int(try call.integer(1))
            }
        ])
        #expect(try dispatcher.call("frameOf", [.string("p"), .double(7)]).get() == .int(7))
        guard case .failure(let fault) = dispatcher.call("frameOf", [.string("p"), .double(7.25)]) else {
            Issue.record("7.25 was taken as a frame")
            return
        }
        #expect(fault == .invalidParams("frameOf: parameter 2 (frame) must be an integer, got double 7.25"))
    }
}
