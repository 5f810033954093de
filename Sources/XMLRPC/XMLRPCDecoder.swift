/// Decodes XML-RPC documents from untrusted bytes.
public enum XMLRPCDecoder {
    /// Decodes a `<methodCall>`.
    public static func decodeRequest(
        _ bytes: UnsafeRawBufferPointer, limits: XMLRPCLimits = .init()
    ) throws(XMLRPCError) -> XMLRPCRequest {
        let reader = try ExpatSession.read(bytes, with: DocumentReader(root: .methodCall, maxDepth: limits.maxDepth))
        guard let methodName = reader.methodName else {
            // The reader refuses a methodCall without one; this only guards the invariant.
            throw XMLRPCError(kind: .invalidStructure, message: "<methodCall> without <methodName>")
        }
        return XMLRPCRequest(methodName: methodName, params: reader.results)
    }

    /// Decodes a `<methodCall>`.
    public static func decodeRequest(
        _ bytes: [UInt8], limits: XMLRPCLimits = .init()
    ) throws(XMLRPCError) -> XMLRPCRequest {
        try withBuffer(bytes) { buffer throws(XMLRPCError) in try decodeRequest(buffer, limits: limits) }
    }

    /// Decodes a `<methodResponse>`; for clients and tests.
    public static func decodeResponse(
        _ bytes: [UInt8], limits: XMLRPCLimits = .init()
    ) throws(XMLRPCError) -> XMLRPCResponse {
        let reader = try withBuffer(bytes) { buffer throws(XMLRPCError) in
            try ExpatSession.read(buffer, with: DocumentReader(root: .methodResponse, maxDepth: limits.maxDepth))
        }
        if let fault = reader.fault {
            return .fault(code: fault.code, message: fault.message)
        }
        guard let result = reader.results.first else {
            throw XMLRPCError(kind: .invalidStructure, message: "<methodResponse> without a result value")
        }
        return .success(result)
    }

    /// `withUnsafeBytes` only rethrows untyped errors, so the typed error travels in a Result.
    private static func withBuffer<T>(
        _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(XMLRPCError) -> T
    ) throws(XMLRPCError) -> T {
        try bytes.withUnsafeBytes { buffer in Result { () throws(XMLRPCError) in try body(buffer) } }.get()
    }
}
