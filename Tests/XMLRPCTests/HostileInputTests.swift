import Testing
import XMLRPC

/// Untrusted input fails with the right kind and a message that says what went wrong.
struct HostileInputTests {
    // MARK: Not well-formed

    @Test(arguments: [
        ("<methodCall><methodName>m</methodName>", "no element found"),
        ("<methodCall><methodName>m</methodName></methodCal>", "mismatched tag"),
        ("this is not xml", "syntax error"),
        ("", "no element found"),
        ("   \n", "no element found"),
        ("<methodCall><methodName>m</methodName></methodCall><methodCall/>", "junk after document element"),
        ("<methodCall><methodName>&bogus;</methodName></methodCall>", "undefined entity"),
        ("<methodCall><methodName a='1' a='2'>m</methodName></methodCall>", "duplicate attribute"),
        ("<?xml version='1.0' encoding='x-made-up'?><methodCall/>", "unknown encoding"),
    ])
    func malformedXML(_ xml: String, _ expatReason: String) throws {
        let error = try #require(TestDocument.requestError(xml))
        #expect(error.kind == .malformed)
        #expect(error.message.contains(expatReason), "\(error.message)")
        #expect(error.message.contains("line "), "\(error.message)")
        #expect(error.message.contains("column "), "\(error.message)")
    }

    @Test func malformedReportsLineAndColumn() throws {
        let error = try #require(TestDocument.requestError("<methodCall>\n<methodName>m</methodName>\n  <params></methodCall>"))
        #expect(error.kind == .malformed)
        #expect(error.message.contains("mismatched tag"), "\(error.message)")
        #expect(error.message.contains("line 3"), "\(error.message)")
    }

    @Test func invalidUTF8IsMalformed() throws {
        var bytes = Array("<methodCall><methodName>m".utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array("</methodName></methodCall>".utf8)
        let error = try #require(TestDocument.requestError(bytes))
        #expect(error.kind == .malformed)
        #expect(error.message.contains("invalid token"), "\(error.message)")
    }

    @Test func encodedNULIsMalformed() throws {
        let error = try #require(TestDocument.requestError("<methodCall><methodName>m&#0;</methodName></methodCall>"))
        #expect(error.kind == .malformed)
    }

    // MARK: Declarations

    @Test func billionLaughsIsRefusedAtItsDoctype() throws {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        xml += " <!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">\n"
        for level in 2...9 {
            xml += " <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        xml += "]>\n<methodCall><methodName>&lol9;</methodName></methodCall>"
        let refusal = try #require(TestDocument.requestError(xml))
        #expect(refusal.kind == .forbiddenDeclaration)
        #expect(refusal.message.contains("DOCTYPE"), "\(refusal.message)")
        #expect(refusal.message.contains("lolz"), "\(refusal.message)")
    }

    @Test(arguments: [
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><methodCall><methodName>&e;</methodName></methodCall>",
        "<!DOCTYPE x [<!ENTITY % p SYSTEM \"http://127.0.0.1/evil.dtd\"> %p;]><methodCall/>",
        "<!DOCTYPE methodCall SYSTEM \"http://127.0.0.1/x.dtd\"><methodCall><methodName>m</methodName></methodCall>",
        "<!DOCTYPE methodCall><methodCall><methodName>m</methodName></methodCall>",
        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a b CDATA 'c'>]><a/>",
    ])
    func anyDoctypeIsForbidden(_ xml: String) throws {
        let error = try #require(TestDocument.requestError(xml))
        #expect(error.kind == .forbiddenDeclaration)
        #expect(error.message.contains("DOCTYPE"), "\(error.message)")
    }

    // MARK: Depth

    @Test func tenThousandNestedArraysStopAtTheLimit() throws {
        let opening = String(repeating: "<value><array><data>", count: 10_000)
        let closing = String(repeating: "</data></array></value>", count: 10_000)
        let bytes = TestDocument.request(params: [opening + closing])
        let refusal = try #require(TestDocument.requestError(bytes))
        #expect(refusal.kind == .tooDeep)
        #expect(refusal.message.contains("64"), "\(refusal.message)")
    }

    @Test func unclosedDeepNestingIsTooDeepNotMalformed() throws {
        // The limit fires while reading, before expat ever sees the missing end tags.
        let xml = "<methodCall><methodName>m</methodName><params><param>"
            + String(repeating: "<value><array><data>", count: 100)
        #expect(TestDocument.requestError(xml)?.kind == .tooDeep)
    }

    // MARK: Structure

    @Test(arguments: [
        ("<value><int>abc</int></value>", "\"abc\""),
        ("<value><int></int></value>", "not an integer"),
        ("<value><int>1.5</int></value>", "\"1.5\""),
        ("<value><int>- 1</int></value>", "not an integer"),
        ("<value><int>99999999999999999999</int></value>", "99999999999999999999"),
        ("<value><i8>9223372036854775808</i8></value>", "64-bit"),
        ("<value><i4>-9223372036854775809</i4></value>", "64-bit"),
        ("<value><boolean>2</boolean></value>", "<boolean>"),
        ("<value><boolean>true</boolean></value>", "\"true\""),
        ("<value><double>1.0.0</double></value>", "<double>"),
        ("<value><double></double></value>", "<double>"),
        ("<value><double>infinite-ish</double></value>", "\"infinite-ish\""),
        ("<value><dateTime.iso8601> </dateTime.iso8601></value>", "empty <dateTime.iso8601>"),
        ("<value><base64>!!!!</base64></value>", "invalid base64"),
        ("<value><base64>QUJD=QUJD</base64></value>", "invalid base64"),
        ("<value><base64>QUJDR</base64></value>", "invalid base64"),
        ("<value><float>1.0</float></value>", "unknown type <float>"),
        ("<value><ex:serializable>rO0</ex:serializable></value>", "unknown type <ex:serializable>"),
        ("<value><params/></value>", "<params>"),
        ("<value><int>1</int><int>2</int></value>", "more than one value"),
        ("<value>text<int>1</int></value>", "mixes"),
        ("<value><int>1</int>tail</value>", "mixes"),
        ("<value><string><b>bold</b></string></value>", "<b> inside <string>"),
        ("<value><nil>x</nil></value>", "<nil>"),
        ("<value><int><i4>1</i4></int></value>", "<int> holds text only"),
        ("<value><array><value/></array></value>", "<value> is not allowed inside <array>"),
        ("<value><array><data/><data/></array></value>", "more than one <data>"),
        ("<value><array><data>loose</data></array></value>", "\"loose\""),
        ("<value><struct><value/></struct></value>", "not allowed inside <struct>"),
        ("<value><struct><member><value/></member></struct></value>", "without <name>"),
        ("<value><struct><member><name>a</name></member></struct></value>", "without <value>"),
        ("<value><struct><member><name>a</name><name>b</name><value/></member></struct></value>", "more than one <name>"),
        ("<value><int>1</int></value><value><int>2</int></value>", "<param> holds more than one <value>"),
        ("", "<param> without <value>"),
    ])
    func invalidStructure(_ paramXML: String, _ expected: String) throws {
        let error = try #require(TestDocument.valueError(paramXML))
        #expect(error.kind == .invalidStructure)
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test(arguments: [
        ("<methodCall><params/></methodCall>", "without <methodName>"),
        ("<methodCall><methodName>  </methodName></methodCall>", "empty <methodName>"),
        ("<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>", "more than one <methodName>"),
        ("<methodCall><methodName>m</methodName><params/><params/></methodCall>", "more than one <params>"),
        ("<methodResponse><params/></methodResponse>", "root element is <methodResponse>"),
        ("<html><body/></html>", "root element is <html>"),
        ("<value><int>1</int></value>", "root element is <value>"),
        ("<methodCall><methodName>m</methodName><params><value/></params></methodCall>", "not allowed inside <params>"),
        ("<methodCall><methodName>m</methodName><params><param><value/></param>stray</params></methodCall>", "\"stray\""),
        ("<methodCall><methodName>m</methodName><fault/></methodCall>", "<fault> is not allowed inside <methodCall>"),
    ])
    func invalidRequest(_ xml: String, _ expected: String) throws {
        let error = try #require(TestDocument.requestError(xml))
        #expect(error.kind == .invalidStructure)
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test(arguments: [
        ("<methodResponse/>", "neither <params> nor <fault>"),
        ("<methodResponse><params/></methodResponse>", "exactly one <param>"),
        ("<methodResponse><params><param><value/></param><param><value/></param></params></methodResponse>", "exactly one <param>"),
        ("<methodResponse><fault><value><int>1</int></value></fault></methodResponse>", "expected a struct"),
        ("<methodResponse><fault><value><struct/></value></fault></methodResponse>", "faultCode"),
        ("<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member></struct></value></fault></methodResponse>", "faultString"),
        ("<methodResponse><params><param><value/></param></params><fault/></methodResponse>", "more than one"),
        ("<methodCall><methodName>m</methodName></methodCall>", "root element is <methodCall>"),
    ])
    func invalidResponse(_ xml: String, _ expected: String) throws {
        let error = try #require(TestDocument.responseError(xml))
        #expect(error.kind == .invalidStructure)
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func structureErrorsSayWhere() throws {
        let error = try #require(TestDocument.requestError("<methodCall>\n<methodName>m</methodName>\n<params><param><value><int>x</int></value></param></params></methodCall>"))
        #expect(error.message.contains("<int>"), "\(error.message)")
        #expect(error.message.contains("line 3"), "\(error.message)")
        #expect(error.description == error.message)
    }

    @Test func hugeUnknownNameIsClippedInTheMessage() throws {
        let name = String(repeating: "n", count: 100_000)
        let error = try #require(TestDocument.valueError("<value><\(name)/></value>"))
        #expect(error.kind == .invalidStructure)
        #expect(error.message.hasPrefix("unknown type <nnnn"), "\(error.message)")
        #expect(error.message.count < 200, "\(error.message.count) characters")
    }

    @Test func hugeBadTextIsClippedInTheMessage() throws {
        let error = try #require(TestDocument.valueError("<value><int>\(String(repeating: "9", count: 100_000))x</int></value>"))
        #expect(error.kind == .invalidStructure)
        #expect(error.message.count < 200, "\(error.message.count) characters")
    }
}
