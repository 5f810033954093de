import Hummingbird
import NIOCore

/// The live web monitor: `GET /` answers the page (`Monitor/index.html`) and `GET /monitor/<file>`
/// its script and style sheet, all embedded in the binary (`MonitorAssets.swift`, generated from
/// `Monitor/`), so the one installed executable serves them with no files beside it. Each file is
/// gzipped and given an ETag once, at first use; browsers revalidate (`no-cache`) and get 304.
enum MonitorPage {
    struct Asset: Sendable {
        var contentType: String
        var bytes: ByteBuffer
        /// nil when gzip would not make it smaller (or failed: then it is served plain).
        var gzipped: ByteBuffer?
        /// A hash of the contents, quoted; the gzipped form has its own (`"<hash>-gz"`).
        var eTag: String
        var gzippedETag: String

        init(name: String, text: String) {
            let bytes = Array(text.utf8)
            contentType = Self.contentType(of: name)
            self.bytes = ByteBuffer(bytes: bytes)
            gzipped = (try? HTTPCompression.gzip(bytes)).flatMap { $0.readableBytes < bytes.count ? $0 : nil }
            let hash = String(fnv1a(bytes), radix: 16)
            eTag = "\"\(hash)\""
            gzippedETag = "\"\(hash)-gz\""
        }

        private static func contentType(of name: String) -> String {
            switch name.split(separator: ".").last {
            case "html": "text/html; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "css": "text/css; charset=utf-8"
            default: "application/octet-stream"
            }
        }
    }

    /// By file name (`index.html`, `monitor.js`, ...).
    static let assets: [String: Asset] = Dictionary(
        MonitorAssets.files.map { ($0.name, Asset(name: $0.name, text: $0.text)) }, uniquingKeysWith: { first, _ in first })

    /// What `GET /` told every client before the monitor existed; still the answer for a client
    /// that does not accept HTML (curl, a load balancer's check).
    static let hint = "rendertracker: POST XML-RPC or JSON-RPC to /, /RPC2 or /rpc (system.listMethods lists the methods); "
        + "open this address in a browser for the live monitor\n"

    static func addRoutes(to router: some RouterMethods<TrackerRequestContext>) {
        router.get("/") { request, _ -> Response in
            if let accept = request.headers[.accept], !accept.contains("text/html") {
                return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: hint)))
            }
            return serve("index.html", to: request)
        }
        router.get("/monitor/:file") { request, context -> Response in
            serve(context.parameters.get("file") ?? "", to: request)
        }
    }

    static func serve(_ name: String, to request: Request) -> Response {
        guard let asset = assets[name] else { return Response(status: .notFound) }
        let acceptsGzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") ?? false
        let gzipped = acceptsGzip ? asset.gzipped : nil
        let eTag = gzipped == nil ? asset.eTag : asset.gzippedETag
        var headers: HTTPFields = [
            .contentType: asset.contentType, .eTag: eTag, .cacheControl: "no-cache", .vary: "Accept-Encoding",
        ]
        if let candidates = request.headers[.ifNoneMatch],
            candidates.split(separator: ",").contains(where: { $0.trimmingSpaces == eTag || $0.trimmingSpaces == "*" })
        {
            return Response(status: .notModified, headers: headers)
        }
        if let gzipped {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzipped))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }
}

/// 64-bit FNV-1a: a stable content hash for ETags (not for security).
private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return hash
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
