import Testing
import XMLRPC

/// Request bodies exactly as Python 3.11's `xmlrpc.client.dumps(params, methodname="m")` wrote them.
struct PythonFixtureTests {
    private static func decode(_ body: String) throws(XMLRPCError) -> XMLRPCRequest {
        try XMLRPCDecoder.decodeRequest(Array(body.utf8))
    }

    @Test func ints() throws {
        // dumps((42, -7, 2147483647, -2147483648), methodname="m")
        let body = """
            <?xml version='1.0'?>
            <methodCall>
            <methodName>m</methodName>
            <params>
            <param>
            <value><int>42</int></value>
            </param>
            <param>
            <value><int>-7</int></value>
            </param>
            <param>
            <value><int>2147483647</int></value>
            </param>
            <param>
            <value><int>-2147483648</int></value>
            </param>
            </params>
            </methodCall>

            """
        let request = try Self.decode(body)
        #expect(request.methodName == "m")
        #expect(request.params == [.int(42), .int(-7), .int(2_147_483_647), .int(-2_147_483_648)])
    }

    @Test func floats() throws {
        // dumps((1.5, 1e-07, 1e+100, -0.0, 0.1, float('inf'), float('nan')), methodname="m")
        let body = """
            <?xml version='1.0'?>
            <methodCall>
            <methodName>m</methodName>
            <params>
            <param>
            <value><double>1.5</double></value>
            </param>
            <param>
            <value><double>1e-07</double></value>
            </param>
            <param>
            <value><double>1e+100</double></value>
            </param>
            <param>
            <value><double>-0.0</double></value>
            </param>
            <param>
            <value><double>0.1</double></value>
            </param>
            <param>
            <value><double>inf</double></value>
            </param>
            <param>
            <value><double>nan</double></value>
            </param>
            </params>
            </methodCall>

            """
        let params = try Self.decode(body).params
        try #require(params.count == 7)
        #expect(Array(params[0..<6]) == [.double(1.5), .double(1e-07), .double(1e+100), .double(-0.0), .double(0.1), .double(.infinity)])
        if case .double(let negativeZero) = params[3] { #expect(negativeZero.sign == .minus) }
        guard case .double(let nan) = params[6] else {
            Issue.record("nan decoded as \(params[6].debugSummary)")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func boolsAndStrings() throws {
        // dumps((True, False, "a <b> & c \"q\" 'a'", "héllo ✓ 日本 😀", ""), methodname="m")
        let body = """
            <?xml version='1.0'?>
            <methodCall>
            <methodName>m</methodName>
            <params>
            <param>
            <value><boolean>1</boolean></value>
            </param>
            <param>
            <value><boolean>0</boolean></value>
            </param>
            <param>
            <value><string>a &lt;b&gt; &amp; c "q" 'a'</string></value>
            </param>
            <param>
            <value><string>héllo ✓ 日本 😀</string></value>
            </param>
            <param>
            <value><string></string></value>
            </param>
            </params>
            </methodCall>

            """
        #expect(
            try Self.decode(body).params == [
                .bool(true), .bool(false), .string("a <b> & c \"q\" 'a'"), .string("héllo ✓ 日本 😀"), .string(""),
            ])
    }

    @Test func listAndDict() throws {
        // dumps(([1, "two", [3.0, []]], {"name": "x", "list": [1, 2], "empty": {}, "n": None}),
        //       methodname="m", allow_none=True)
        let body = """
            <?xml version='1.0'?>
            <methodCall>
            <methodName>m</methodName>
            <params>
            <param>
            <value><array><data>
            <value><int>1</int></value>
            <value><string>two</string></value>
            <value><array><data>
            <value><double>3.0</double></value>
            <value><array><data>
            </data></array></value>
            </data></array></value>
            </data></array></value>
            </param>
            <param>
            <value><struct>
            <member>
            <name>name</name>
            <value><string>x</string></value>
            </member>
            <member>
            <name>list</name>
            <value><array><data>
            <value><int>1</int></value>
            <value><int>2</int></value>
            </data></array></value>
            </member>
            <member>
            <name>empty</name>
            <value><struct>
            </struct></value>
            </member>
            <member>
            <name>n</name>
            <value><nil/></value></member>
            </struct></value>
            </param>
            </params>
            </methodCall>

            """
        #expect(
            try Self.decode(body).params == [
                .array([.int(1), .string("two"), .array([.double(3.0), .array([])])]),
                .structure([
                    "name": .string("x"), "list": .array([.int(1), .int(2)]), "empty": .structure([:]), "n": .null,
                ]),
            ])
    }

    @Test func noneBinaryAndDatetime() throws {
        // dumps((None, Binary(b"\x00\x01binary\xff" * 10), datetime(2024, 3, 5, 14, 30, 15)),
        //       methodname="m", allow_none=True); Binary wraps its base64 at 76 columns.
        let body = """
            <?xml version='1.0'?>
            <methodCall>
            <methodName>m</methodName>
            <params>
            <param>
            <value><nil/></value></param>
            <param>
            <value><base64>
            AAFiaW5hcnn/AAFiaW5hcnn/AAFiaW5hcnn/AAFiaW5hcnn/AAFiaW5hcnn/AAFiaW5hcnn/AAFi
            aW5hcnn/AAFiaW5hcnn/AAFiaW5hcnn/AAFiaW5hcnn/
            </base64></value>
            </param>
            <param>
            <value><dateTime.iso8601>20240305T14:30:15</dateTime.iso8601></value>
            </param>
            </params>
            </methodCall>

            """
        let chunk: [UInt8] = [0x00, 0x01] + Array("binary".utf8) + [0xFF]
        let expectedBytes = Array([[UInt8]](repeating: chunk, count: 10).joined())
        #expect(try Self.decode(body).params == [.null, .base64(expectedBytes), .dateTime("20240305T14:30:15")])
    }

    @Test func latin1ServerProxyBody() throws {
        // ServerProxy(uri, encoding="iso-8859-1") sends dumps(...).encode("iso-8859-1"):
        // a declaration naming the encoding and a raw 0xE9 byte for "é".
        var bytes = Array("<?xml version='1.0' encoding='iso-8859-1'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n<param>\n<value><string>".utf8)
        bytes.append(0xE9)
        bytes += Array("</string></value>\n</param>\n</params>\n</methodCall>\n".utf8)
        #expect(try XMLRPCDecoder.decodeRequest(bytes).params == [.string("é")])
    }
}
