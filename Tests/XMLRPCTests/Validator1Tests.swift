import Testing
import XMLRPC
import RPC

/// Request shapes of the classic validator1 conformance suite, decoded and checked the way
/// the suite's handlers would use them.
struct Validator1Tests {
    private static func decode(_ body: String) throws(XMLRPCError) -> XMLRPCRequest {
        try XMLRPCDecoder.decodeRequest(Array(body.utf8))
    }

    private static func stooges(_ moe: Int, _ larry: Int, _ curly: Int) -> String {
        """
        <value><struct>
          <member><name>moe</name><value><i4>\(moe)</i4></value></member>
          <member><name>larry</name><value><i4>\(larry)</i4></value></member>
          <member><name>curly</name><value><i4>\(curly)</i4></value></member>
        </struct></value>
        """
    }

    private static func call(_ method: String, _ params: [String]) -> String {
        "<?xml version=\"1.0\"?>\r\n<methodCall>\r\n\t<methodName>validator1.\(method)</methodName>\r\n\t<params>\r\n"
            + params.map { "\t\t<param>\r\n\t\t\t\($0)\r\n\t\t</param>\r\n" }.joined()
            + "\t</params>\r\n</methodCall>\r\n"
    }

    private static func int(_ value: RPCValue?) -> Int? {
        if case .int(let number)? = value { return number }
        return nil
    }

    @Test func arrayOfStructsTest() throws {
        let body = Self.call("arrayOfStructsTest", [
            "<value><array><data>" + Self.stooges(1, 2, 3) + Self.stooges(4, 5, -6) + Self.stooges(0, 0, 17) + "</data></array></value>"
        ])
        let request = try Self.decode(body)
        #expect(request.methodName == "validator1.arrayOfStructsTest")
        guard case .array(let structs)? = request.params.first else {
            Issue.record("expected an array, got \(request.params)")
            return
        }
        let curlySum = structs.compactMap { value -> Int? in
            guard case .structure(let members) = value else { return nil }
            return Self.int(members["curly"])
        }.reduce(0, +)
        #expect(structs.count == 3)
        #expect(curlySum == 14)
    }

    @Test func countTheEntities() throws {
        let body = Self.call("countTheEntities", [
            "<value>&lt;&lt;&gt;&amp;&apos;&apos;&apos;&quot;x&quot;&#60;</value>"
        ])
        guard case .string(let text)? = try Self.decode(body).params.first else {
            Issue.record("expected an untyped string")
            return
        }
        #expect(text == "<<>&'''\"x\"<")
        #expect(text.filter { $0 == "<" }.count == 3)
        #expect(text.filter { $0 == "'" }.count == 3)
        #expect(text.filter { $0 == "\"" }.count == 2)
    }

    @Test func easyStructTest() throws {
        let request = try Self.decode(Self.call("easyStructTest", [Self.stooges(2, 3, 4)]))
        #expect(request.params == [.structure(["moe": .int(2), "larry": .int(3), "curly": .int(4)])])
    }

    @Test func echoStructTest() throws {
        let body = Self.call("echoStructTest", [
            """
            <value><struct>
              <member><name>substruct0</name><value><struct>
                <member><name>moe</name><value><i4>1</i4></value></member>
                <member><name>curly</name><value><i4>-5</i4></value></member>
              </struct></value></member>
              <member><name>substruct1</name><value><struct>
                <member><name>larry</name><value><i4>42</i4></value></member>
              </struct></value></member>
            </struct></value>
            """
        ])
        let value = try #require(try Self.decode(body).params.first)
        #expect(
            value
                == .structure([
                    "substruct0": .structure(["moe": .int(1), "curly": .int(-5)]),
                    "substruct1": .structure(["larry": .int(42)]),
                ]))
        // The echo goes back out and must come back identical.
        #expect(try XMLRPCDecoder.decodeResponse(XMLRPCEncoder.encodeResponse(.success(value))) == .success(value))
    }

    @Test func manyTypesTest() throws {
        let body = Self.call("manyTypesTest", [
            "<value><i4>2147483647</i4></value>",
            "<value><boolean>1</boolean></value>",
            "<value><string>Ceci n'est pas une pipe</string></value>",
            "<value><double>-12.214</double></value>",
            "<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>",
            "<value><base64>eW91IGNhbid0IHJlYWQgdGhpcyE=</base64></value>",
        ])
        #expect(
            try Self.decode(body).params == [
                .int(2_147_483_647), .bool(true), .string("Ceci n'est pas une pipe"), .double(-12.214),
                .dateTime("19980717T14:08:55"), .base64(Array("you can't read this!".utf8)),
            ])
    }

    @Test func moderateSizeArrayCheck() throws {
        let words = (0..<150).map { "item \($0)" }
        let body = Self.call("moderateSizeArrayCheck", [
            "<value><array><data>" + words.map { "<value><string>\($0)</string></value>" }.joined() + "</data></array></value>"
        ])
        guard case .array(let items)? = try Self.decode(body).params.first else {
            Issue.record("expected an array")
            return
        }
        #expect(items.count == 150)
        #expect(items.first == .string("item 0"))
        #expect(items.last == .string("item 149"))
    }

    @Test func nestedStructTest() throws {
        // Years -> months -> days -> stooges; the suite sums the stooges of 2000-04-01.
        var days = ""
        for day in 1...3 {
            days += "<member><name>0\(day)</name>" + Self.stooges(day, day * 10, day * 100) + "</member>"
        }
        let month = "<member><name>04</name><value><struct>\(days)</struct></value></member>"
        let otherMonth = "<member><name>03</name><value><struct><member><name>31</name>\(Self.stooges(9, 9, 9))</member></struct></value></member>"
        let body = Self.call("nestedStructTest", [
            "<value><struct><member><name>2000</name><value><struct>\(otherMonth)\(month)</struct></value></member></struct></value>"
        ])
        guard case .structure(let years)? = try Self.decode(body).params.first,
            case .structure(let months)? = years["2000"],
            case .structure(let aprilDays)? = months["04"],
            case .structure(let first)? = aprilDays["01"]
        else {
            Issue.record("nested structs did not decode as structs")
            return
        }
        #expect(aprilDays.count == 3)
        #expect(months.count == 2)
        let sum = [first["moe"], first["larry"], first["curly"]].compactMap(Self.int).reduce(0, +)
        #expect(sum == 111)
    }

    @Test func simpleStructReturnTest() throws {
        let request = try Self.decode(Self.call("simpleStructReturnTest", ["<value><i4>5</i4></value>"]))
        #expect(request.params == [.int(5)])
        let number = try #require(Self.int(request.params.first))
        let reply = RPCValue.structure([
            "times10": .int(number * 10), "times100": .int(number * 100), "times1000": .int(number * 1000),
        ])
        let echoed = try XMLRPCDecoder.decodeResponse(XMLRPCEncoder.encodeResponse(.success(reply)))
        #expect(echoed == .success(.structure(["times10": .int(50), "times100": .int(500), "times1000": .int(5000)])))
    }
}
