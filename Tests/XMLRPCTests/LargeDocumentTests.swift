import Testing
import XMLRPC
import RPC

/// Big but legitimate documents decode completely and correctly.
struct LargeDocumentTests {
    @Test func hundredThousandInts() throws {
        var body = "<?xml version=\"1.0\"?><methodCall><methodName>bulk</methodName><params><param><value><array><data>\n"
        body.reserveCapacity(4_000_000)
        for index in 0..<100_000 {
            body += "<value><int>\(index - 50_000)</int></value>\n"
        }
        body += "</data></array></value></param></params></methodCall>"
        let request = try XMLRPCDecoder.decodeRequest(Array(body.utf8))
        guard case .array(let items)? = request.params.first else {
            Issue.record("expected an array")
            return
        }
        #expect(items.count == 100_000)
        #expect(items == (0..<100_000).map { RPCValue.int($0 - 50_000) })
    }

    @Test func longStringArrivingInManyExpatChunks() throws {
        // expat hands text over in pieces (at entities and buffer edges); they must join up.
        let text = String(repeating: "render & <frame> 0123456789 ", count: 20_000)
        let request = XMLRPCRequest(methodName: "log", params: [.string(text)])
        let decoded = try XMLRPCDecoder.decodeRequest(XMLRPCEncoder.encodeRequest(request))
        #expect(decoded == request)
    }

    @Test func bigStructEncodesAndDecodes() throws {
        let members = Dictionary(uniqueKeysWithValues: (0..<10_000).map { ("job\($0)", RPCValue.double(Double($0) / 4)) })
        let response = XMLRPCResponse.success(.structure(members))
        #expect(try XMLRPCDecoder.decodeResponse(XMLRPCEncoder.encodeResponse(response)) == response)
    }
}
