import Testing
import XMLRPC
import RPC

/// The decoder's reading of the spellings real clients send.
struct DecoderInputTests {
    @Test(arguments: [
        ("<value><int>5</int></value>", RPCValue.int(5)),
        ("<value><i4>-5</i4></value>", .int(-5)),
        ("<value><i8>9223372036854775807</i8></value>", .int(Int.max)),
        ("<value><i8>-9223372036854775808</i8></value>", .int(Int.min)),
        ("<value><ex:i8>12345678901</ex:i8></value>", .int(12_345_678_901)),
        ("<value><int> +17 \n</int></value>", .int(17)),
        ("<value><int>007</int></value>", .int(7)),
        ("<value><boolean>1</boolean></value>", .bool(true)),
        ("<value><boolean> 0 </boolean></value>", .bool(false)),
        ("<value><nil/></value>", .null),
        ("<value><ex:nil/></value>", .null),
        ("<value><nil></nil></value>", .null),
        ("<value><double>1e-07</double></value>", .double(1e-07)),
        ("<value><double>1e+100</double></value>", .double(1e+100)),
        ("<value><double> -2.5 </double></value>", .double(-2.5)),
        ("<value><double>inf</double></value>", .double(.infinity)),
        ("<value><double>-inf</double></value>", .double(-.infinity)),
        ("<value><double>3</double></value>", .double(3)),
        ("<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>", .dateTime("19980717T14:08:55")),
        ("<value><base64>aGVs\n bG8=\r\n</base64></value>", .base64(Array("hello".utf8))),
        ("<value><base64>aGVsbG8</base64></value>", .base64(Array("hello".utf8))),
        ("<value><base64></base64></value>", .base64([])),
        ("<value><string>  keep  </string></value>", .string("  keep  ")),
        ("<value><string/></value>", .string("")),
        ("<value>untyped</value>", .string("untyped")),
        ("<value>  untyped keeps spaces\n</value>", .string("  untyped keeps spaces\n")),
        ("<value/>", .string("")),
        ("<value></value>", .string("")),
        ("<value>  <int>1</int>  </value>", .int(1)),
        ("<value>\n\t<struct>\n</struct>\n</value>", .structure([:])),
        ("<value><array/></value>", .array([])),
        ("<value><array><data/></array></value>", .array([])),
        ("<value><string>a&amp;b&lt;c&gt;d&#x263A;&#13;</string></value>", .string("a&b<c>d☺\r")),
        ("<value><string><![CDATA[<raw> & text]]></string></value>", .string("<raw> & text")),
        ("<value><string>a<!-- note -->b<?pi data?>c</string></value>", .string("abc")),
        ("<value><int type=\"ignored\">3</int></value>", .int(3)),
    ])
    func valueSpelling(_ xml: String, _ expected: RPCValue) throws {
        #expect(try TestDocument.decodeValue(xml) == expected)
    }

    @Test func nanIsADouble() throws {
        guard case .double(let value)? = try TestDocument.decodeValue("<value><double>nan</double></value>") else {
            Issue.record("nan did not decode as a double")
            return
        }
        #expect(value.isNaN)
    }

    @Test func duplicateStructMembersLastWins() throws {
        let xml = """
            <value><struct>
              <member><name>a</name><value><int>1</int></value></member>
              <member><value><int>2</int></value><name>b</name></member>
              <member><name>a</name><value><int>3</int></value></member>
            </struct></value>
            """
        #expect(try TestDocument.decodeValue(xml) == .structure(["a": .int(3), "b": .int(2)]))
    }

    @Test func structMemberNamesKeepTheirText() throws {
        let xml = "<value><struct><member><name> spaced &amp; </name><value/></member></struct></value>"
        #expect(try TestDocument.decodeValue(xml) == .structure([" spaced & ": .string("")]))
    }

    @Test func requestWithoutParamsAndWithEmptyParams() throws {
        let bare = Array("<methodCall><methodName> system.listMethods\n</methodName></methodCall>".utf8)
        #expect(try XMLRPCDecoder.decodeRequest(bare) == XMLRPCRequest(methodName: "system.listMethods", params: []))
        let empty = Array("<methodCall><methodName>m</methodName><params/></methodCall>".utf8)
        #expect(try XMLRPCDecoder.decodeRequest(empty).params.isEmpty)
    }

    @Test func rawBufferEntryPointDecodes() throws {
        let bytes = TestDocument.request(method: "job.progress", params: ["<value><int>3</int></value>"])
        let request = try bytes.withUnsafeBytes { try XMLRPCDecoder.decodeRequest($0) }
        #expect(request == XMLRPCRequest(methodName: "job.progress", params: [.int(3)]))
    }

    @Test func latin1DeclaredDocumentIsConverted() throws {
        // What Python's ServerProxy(encoding="iso-8859-1") sends for "é".
        var bytes = Array("<?xml version='1.0' encoding='iso-8859-1'?>\n<methodCall><methodName>m</methodName><params><param><value><string>".utf8)
        bytes.append(0xE9)
        bytes += Array("</string></value></param></params></methodCall>".utf8)
        #expect(try XMLRPCDecoder.decodeRequest(bytes).params == [.string("é")])
    }

    @Test func utf8ByteOrderMarkIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<methodCall><methodName>m</methodName></methodCall>".utf8)
        #expect(try XMLRPCDecoder.decodeRequest(bytes).methodName == "m")
    }

    @Test func successResponse() throws {
        let xml = """
            <?xml version="1.0"?>
            <methodResponse>
              <params>
                <param><value><i8>8589934592</i8></value></param>
              </params>
            </methodResponse>
            """
        #expect(try XMLRPCDecoder.decodeResponse(Array(xml.utf8)) == .success(.int(8_589_934_592)))
    }

    @Test func faultResponse() throws {
        let xml = """
            <methodResponse><fault><value><struct>
              <member><name>faultCode</name><value><int>4</int></value></member>
              <member><name>faultString</name><value>Too many parameters.</value></member>
            </struct></value></fault></methodResponse>
            """
        #expect(try XMLRPCDecoder.decodeResponse(Array(xml.utf8)) == .fault(code: 4, message: "Too many parameters."))
    }

    @Test func depthLimitCountsTheWholeDocument() throws {
        // methodCall/params/param/value/array/data/value/int is 8 levels deep.
        let bytes = TestDocument.request(params: ["<value><array><data><value><int>1</int></value></data></array></value>"])
        #expect(try XMLRPCDecoder.decodeRequest(bytes, limits: XMLRPCLimits(maxDepth: 8)).params == [.array([.int(1)])])
        #expect(TestDocument.requestError(bytes, limits: XMLRPCLimits(maxDepth: 7))?.kind == .tooDeep)
    }
}
