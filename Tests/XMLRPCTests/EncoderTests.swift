import Testing
import XMLRPC
import RPC

/// The exact bytes the encoder writes.
struct EncoderTests {
    private static func valueText(_ value: RPCValue) -> String {
        var output: [UInt8] = []
        XMLRPCEncoder.encodeValue(value, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test(arguments: [
        (RPCValue.int(7), "<value><int>7</int></value>"),
        (.int(Int(Int32.min)), "<value><int>-2147483648</int></value>"),
        (.int(Int(Int32.max) + 1), "<value><i8>2147483648</i8></value>"),
        (.int(Int.min), "<value><i8>-9223372036854775808</i8></value>"),
        (.bool(true), "<value><boolean>1</boolean></value>"),
        (.bool(false), "<value><boolean>0</boolean></value>"),
        (.string(""), "<value><string></string></value>"),
        (.string("a<b>&c \"d\" 'e'"), "<value><string>a&lt;b&gt;&amp;c \"d\" 'e'</string></value>"),
        (.string("cr\r\nlf\ttab"), "<value><string>cr&#13;\nlf\ttab</string></value>"),
        (.string("nul\u{0}bell\u{7}nonchar\u{FFFE}\u{FFFF}ok\u{FFFD}"), "<value><string>nul\u{FFFD}bell\u{FFFD}nonchar\u{FFFD}\u{FFFD}ok\u{FFFD}</string></value>"),
        (.double(1e-07), "<value><double>1e-07</double></value>"),
        (.double(1e+100), "<value><double>1e+100</double></value>"),
        (.double(0.1), "<value><double>0.1</double></value>"),
        (.double(2), "<value><double>2.0</double></value>"),
        (.double(.infinity), "<value><double>inf</double></value>"),
        (.double(-.infinity), "<value><double>-inf</double></value>"),
        (.double(.nan), "<value><double>nan</double></value>"),
        (.double(-.nan), "<value><double>nan</double></value>"),
        (.dateTime("20240305T14:30:15"), "<value><dateTime.iso8601>20240305T14:30:15</dateTime.iso8601></value>"),
        (.base64(Array("hello".utf8)), "<value><base64>aGVsbG8=</base64></value>"),
        (.base64([0xFF, 0xFE]), "<value><base64>//4=</base64></value>"),
        (.base64([]), "<value><base64></base64></value>"),
        (.null, "<value><nil/></value>"),
        (.array([]), "<value><array><data></data></array></value>"),
        (.array([.int(1), .null]), "<value><array><data><value><int>1</int></value><value><nil/></value></data></array></value>"),
        (.structure([:]), "<value><struct></struct></value>"),
    ])
    func value(_ value: RPCValue, _ expected: String) {
        #expect(Self.valueText(value) == expected)
    }

    @Test func structMembersAreSortedAndEscaped() {
        let value = RPCValue.structure(["zeta": .int(1), "alpha": .int(2), "<&>": .int(3), "Beta": .int(4)])
        let expected = "<value><struct>"
            + "<member><name>&lt;&amp;&gt;</name><value><int>3</int></value></member>"
            + "<member><name>Beta</name><value><int>4</int></value></member>"
            + "<member><name>alpha</name><value><int>2</int></value></member>"
            + "<member><name>zeta</name><value><int>1</int></value></member>"
            + "</struct></value>"
        #expect(Self.valueText(value) == expected)
        // Deterministic: the same struct built in another order gives the same bytes.
        let reordered = RPCValue.structure(["Beta": .int(4), "<&>": .int(3), "zeta": .int(1), "alpha": .int(2)])
        #expect(Self.valueText(reordered) == Self.valueText(value))
    }

    @Test func encodeValueAppends() {
        var output = Array("prefix".utf8)
        XMLRPCEncoder.encodeValue(.int(1), into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "prefix<value><int>1</int></value>")
    }

    @Test func successResponseDocument() {
        let text = String(decoding: XMLRPCEncoder.encodeResponse(.success(.string("ok"))), as: UTF8.self)
        #expect(
            text
                == "<?xml version=\"1.0\"?>\n<methodResponse><params><param><value><string>ok</string></value></param></params></methodResponse>\n"
        )
    }

    @Test func faultResponseDocument() {
        let text = String(decoding: XMLRPCEncoder.encodeResponse(.fault(code: -32601, message: "no <such> method")), as: UTF8.self)
        let expected = "<?xml version=\"1.0\"?>\n<methodResponse><fault><value><struct>"
            + "<member><name>faultCode</name><value><int>-32601</int></value></member>"
            + "<member><name>faultString</name><value><string>no &lt;such&gt; method</string></value></member>"
            + "</struct></value></fault></methodResponse>\n"
        #expect(text == expected)
    }

    @Test func requestDocument() {
        let text = String(decoding: XMLRPCEncoder.encodeRequest(XMLRPCRequest(methodName: "job.update", params: [.int(1), .null])), as: UTF8.self)
        let expected = "<?xml version=\"1.0\"?>\n<methodCall><methodName>job.update</methodName><params>"
            + "<param><value><int>1</int></value></param><param><value><nil/></value></param>"
            + "</params></methodCall>\n"
        #expect(text == expected)
    }
}
