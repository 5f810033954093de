import Foundation
import Testing
import XMLRPC
import RPC

/// Outside the suite type: its own `@Suite` trait cannot refer to the type's members.
private let python3Path: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// Python's `xmlrpc.client.loads`, the parser behind every HQueue client, reads what the
/// encoder writes. Skipped where no python3 is installed.
@Suite(.enabled(if: python3Path != nil, "python3 not found"))
struct PythonAcceptanceTests {

    /// Prints Python's view of the document: `repr` of what loads returns, or of the Fault.
    private static let script = """
        import sys, xmlrpc.client
        try:
            print(repr(xmlrpc.client.loads(sys.stdin.buffer.read(), use_builtin_types=True)))
        except xmlrpc.client.Fault as fault:
            print("Fault", fault.faultCode, repr(fault.faultString))
        """

    private static func pythonReading(_ document: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python3Path))
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(document))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: [
        (RPCValue.int(42), "((42,), None)"),
        (.int(-5_000_000_000), "((-5000000000,), None)"),
        (.bool(true), "((True,), None)"),
        (.string("a <b> & \"c\" 'd' ✓\r\n"), #"(('a <b> & "c" \'d\' ✓\r\n',), None)"#),
        (.double(1e-07), "((1e-07,), None)"),
        (.double(1e+100), "((1e+100,), None)"),
        (.double(-.infinity), "((-inf,), None)"),
        (.dateTime("20240305T14:30:15"), "((datetime.datetime(2024, 3, 5, 14, 30, 15),), None)"),
        (.base64([0, 1, 255]), #"((b'\x00\x01\xff',), None)"#),
        (.null, "((None,), None)"),
        (.array([.int(1), .array([]), .structure([:])]), "(([1, [], {}],), None)"),
        (.structure(["b": .int(1 << 40), "a": .null, "<&>": .string("")]), "(({'<&>': '', 'a': None, 'b': 1099511627776},), None)"),
    ])
    func successResponse(_ value: RPCValue, _ expected: String) throws {
        #expect(try Self.pythonReading(XMLRPCEncoder.encodeResponse(.success(value))) == expected)
    }

    @Test func faultResponse() throws {
        let document = XMLRPCEncoder.encodeResponse(.fault(code: -32601, message: "method \"x\" <not> found"))
        #expect(try Self.pythonReading(document) == #"Fault -32601 'method "x" <not> found'"#)
    }

    @Test func responseWithI8AndNil() throws {
        let document = XMLRPCEncoder.encodeResponse(.success(.array([.int(Int.max), .null, .int(Int.min)])))
        #expect(try Self.pythonReading(document) == "(([9223372036854775807, None, -9223372036854775808],), None)")
    }

    @Test func request() throws {
        let document = XMLRPCEncoder.encodeRequest(
            XMLRPCRequest(methodName: "job.progress", params: [.string("shot_010"), .int(42), .double(0.25)]))
        #expect(try Self.pythonReading(document) == "(('shot_010', 42, 0.25), 'job.progress')")
    }
}
