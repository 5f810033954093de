import XMLRPC
import RPC

/// Builds documents around XML fragments and decodes them, returning the error instead of
/// throwing so tests can assert on its kind and message.
enum TestDocument {
    static func request(method: String = "m", params: [String]) -> [UInt8] {
        let body = params.map { "<param>\($0)</param>" }.joined()
        return Array("<?xml version=\"1.0\"?><methodCall><methodName>\(method)</methodName><params>\(body)</params></methodCall>".utf8)
    }

    /// Decodes a request with one `<param>` holding `valueXML` and returns that param.
    static func decodeValue(_ valueXML: String) throws(XMLRPCError) -> RPCValue? {
        try XMLRPCDecoder.decodeRequest(request(params: [valueXML])).params.first
    }

    static func requestError(_ xml: String, limits: XMLRPCLimits = .init()) -> XMLRPCError? {
        requestError(Array(xml.utf8), limits: limits)
    }

    static func requestError(_ bytes: [UInt8], limits: XMLRPCLimits = .init()) -> XMLRPCError? {
        do {
            _ = try XMLRPCDecoder.decodeRequest(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func valueError(_ valueXML: String) -> XMLRPCError? {
        requestError(request(params: [valueXML]))
    }

    static func responseError(_ xml: String) -> XMLRPCError? {
        do {
            _ = try XMLRPCDecoder.decodeResponse(Array(xml.utf8))
            return nil
        } catch {
            return error
        }
    }

    static func roundTripRequest(_ request: XMLRPCRequest) throws(XMLRPCError) -> XMLRPCRequest {
        try XMLRPCDecoder.decodeRequest(XMLRPCEncoder.encodeRequest(request))
    }

    static func roundTripResponse(_ response: XMLRPCResponse) throws(XMLRPCError) -> XMLRPCResponse {
        try XMLRPCDecoder.decodeResponse(XMLRPCEncoder.encodeResponse(response))
    }
}
