import CompressNIO
import Hummingbird
import NIOCore

/// gzip for request and response bodies (Python's xmlrpc.client asks for gzip responses and can
/// send gzip requests).
enum HTTPCompression {
    /// Inflates a gzip (or zlib) body, refusing to produce more than `limit` bytes: a small
    /// compressed body must not become a memory bomb.
    static func inflate(_ body: ByteBuffer, encoding: String, limit: Int) throws -> ByteBuffer {
        var input = body
        let algorithm: CompressionAlgorithm = encoding == "deflate" ? .zlib() : .gzip()
        do {
            return try input.decompress(with: algorithm, maxSize: limit)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw HTTPError.tooLarge("the \(encoding) body inflates to more than the \(limit)-byte limit")
        } catch {
            throw HTTPError(.badRequest, message: "the \(encoding) body could not be inflated: \(error)")
        }
    }

    static func gzip(_ bytes: [UInt8]) throws -> ByteBuffer {
        var input = ByteBuffer(bytes: bytes)
        return try input.compress(with: .gzip())
    }
}
