import Testing
import XMLRPC
import RPC

/// Encoder output decodes back to the same value, for every type and awkward content.
struct RoundTripTests {
    static let scalars: [RPCValue] = [
        .int(0), .int(42), .int(-7), .int(Int(Int32.max)), .int(Int(Int32.min)),
        .int(Int(Int32.max) + 1), .int(Int(Int32.min) - 1), .int(Int.max), .int(Int.min),
        .bool(true), .bool(false),
        .string("plain"), .string(""), .string("  padded\twith\nwhitespace  "),
        .string("a <b> & c > d \"quoted\" 'single' ]]> &amp;"),
        .string("héllo ✓ 日本語 😀 \u{10FFFF}"),
        .string("windows\r\nline endings\r"),
        .double(0), .double(1.5), .double(-2.25), .double(1e-07), .double(1e+100), .double(-0.0),
        .double(Double.greatestFiniteMagnitude), .double(Double.leastNonzeroMagnitude), .double(0.1),
        .dateTime("20240305T14:30:15"),
        .base64([]), .base64([0]), .base64([0, 1]), .base64([0, 1, 2]), .base64(Array(0...255)),
        .null,
    ]

    @Test(arguments: scalars)
    func scalarSurvivesRequestRoundTrip(_ value: RPCValue) throws {
        let request = XMLRPCRequest(methodName: "render.update", params: [value])
        #expect(try TestDocument.roundTripRequest(request) == request)
    }

    @Test(arguments: scalars)
    func scalarSurvivesResponseRoundTrip(_ value: RPCValue) throws {
        #expect(try TestDocument.roundTripResponse(.success(value)) == .success(value))
    }

    @Test func nestedContainersSurvive() throws {
        let value: RPCValue = .structure([
            "jobs": .array([
                .structure(["id": .int(1), "name": .string("shot_010 <comp>"), "progress": .double(0.5)]),
                .structure(["id": .int(2), "tags": .array([]), "meta": .structure([:]), "owner": .null]),
            ]),
            "matrix": .array([.array([.int(1), .int(2)]), .array([.array([.array([.bool(true)])])])]),
            "": .string("empty member name"),
            "ünïcödé & <key>": .base64([1, 2, 3]),
        ])
        let request = XMLRPCRequest(methodName: "deep", params: [value, .array([value, value])])
        #expect(try TestDocument.roundTripRequest(request) == request)
        #expect(try TestDocument.roundTripResponse(.success(value)) == .success(value))
    }

    @Test func emptyContainersAndNoParamsSurvive() throws {
        let empty = XMLRPCRequest(methodName: "system.listMethods", params: [])
        #expect(try TestDocument.roundTripRequest(empty) == empty)
        let request = XMLRPCRequest(methodName: "m", params: [.array([]), .structure([:]), .string("")])
        #expect(try TestDocument.roundTripRequest(request) == request)
    }

    @Test func faultSurvives() throws {
        let fault = XMLRPCResponse.fault(code: -32601, message: "method \"x\" not found <&>")
        #expect(try TestDocument.roundTripResponse(fault) == fault)
        let wide = XMLRPCResponse.fault(code: Int(Int32.max) + 10, message: "")
        #expect(try TestDocument.roundTripResponse(wide) == wide)
    }

    @Test func nonFiniteDoublesSurvive() throws {
        #expect(try TestDocument.roundTripResponse(.success(.double(.infinity))) == .success(.double(.infinity)))
        #expect(
            try TestDocument.roundTripResponse(.success(.double(-.infinity))) == .success(.double(-.infinity)))
        guard case .success(.double(let nan)) = try TestDocument.roundTripResponse(.success(.double(.nan))) else {
            Issue.record("nan did not decode as a double")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func methodNameIsEscapedAndRestored() throws {
        let request = XMLRPCRequest(methodName: "odd<&>name", params: [])
        #expect(try TestDocument.roundTripRequest(request).methodName == "odd<&>name")
    }
}
