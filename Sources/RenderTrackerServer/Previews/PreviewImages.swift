import Foundation
import NIOCore

/// The monitor's thumbnails of done frames (opt-in: `serve --preview-root DIR`). PNG and JPEG are
/// served as they are (the browser scales them); OpenEXR is converted to a 320-pixel-wide PNG by
/// `oiiotool` (Debian's openimageio-tools) when it is installed, lazily, on the first request, and
/// kept in a cache folder bounded to `maxCacheBytes` (the least recently written go first). One
/// conversion runs at a time (an actor): a page hovering over a grid cannot start a hundred.
actor PreviewImages {
    enum Answer: Sendable {
        case image(ByteBuffer, contentType: String)
        /// Why there is none, for the page's placeholder.
        case unavailable(String)
    }

    let roots: PreviewRoots
    let cacheFolder: URL
    let maxCacheBytes: Int
    /// A bigger file is not read into memory to be sent.
    let maxImageBytes = 64 << 20
    /// `oiiotool` on PATH when the daemon started, or nil.
    let converter: String?

    init(roots: PreviewRoots, cacheFolder: URL, maxCacheBytes: Int = 256 << 20) {
        self.roots = roots
        self.cacheFolder = cacheFolder
        self.maxCacheBytes = maxCacheBytes
        converter = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/oiiotool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func preview(of imagePath: String) -> Answer {
        guard let path = roots.resolve(imagePath) else { return .unavailable("the image is not a file under a --preview-root") }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue, size <= maxImageBytes,
            let handle = FileHandle(forReadingAtPath: path)
        else { return .unavailable("the image cannot be read, or is over 64 MiB") }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        switch head {
        case [0x89, 0x50, 0x4E, 0x47]:
            return read(path, contentType: "image/png")
        case _ where head.starts(with: [0xFF, 0xD8, 0xFF]):
            return read(path, contentType: "image/jpeg")
        case [0x76, 0x2F, 0x31, 0x01]:
            return exr(path, modified: (attributes[.modificationDate] as? Date) ?? .distantPast, size: size)
        default:
            return .unavailable("previews are made of PNG, JPEG and EXR images")
        }
    }

    private func read(_ path: String, contentType: String) -> Answer {
        guard let data = FileManager.default.contents(atPath: path) else { return .unavailable("the image cannot be read") }
        return .image(ByteBuffer(bytes: data), contentType: contentType)
    }

    private func exr(_ path: String, modified: Date, size: Int) -> Answer {
        guard let converter else { return .unavailable("EXR previews need oiiotool (Debian: openimageio-tools)") }
        // Named by what the picture is: a re-rendered frame (new time or size) is converted again.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(path)|\(modified.timeIntervalSince1970)|\(size)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let thumbnail = cacheFolder.appendingPathComponent(String(hash, radix: 16) + ".png")
        if let data = FileManager.default.contents(atPath: thumbnail.path) {
            return .image(ByteBuffer(bytes: data), contentType: "image/png")
        }
        try? FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = [path, "--ch", "R,G,B", "--resize", "320x0", "-o", thumbnail.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .unavailable("oiiotool could not be started: \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: thumbnail.path) else {
            try? FileManager.default.removeItem(at: thumbnail)
            return .unavailable("oiiotool could not convert the image")
        }
        trimCache()
        return .image(ByteBuffer(bytes: data), contentType: "image/png")
    }

    /// Removes the oldest thumbnails until the cache is within its size.
    private func trimCache() {
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        guard let files = try? FileManager.default.contentsOfDirectory(at: cacheFolder, includingPropertiesForKeys: keys) else { return }
        var entries = files.compactMap { file -> (URL, Int, Date)? in
            guard let values = try? file.resourceValues(forKeys: Set(keys)) else { return nil }
            return (file, values.fileSize ?? 0, values.contentModificationDate ?? .distantPast)
        }.sorted { $0.2 < $1.2 }
        var total = entries.reduce(0) { $0 + $1.1 }
        while total > maxCacheBytes, !entries.isEmpty {
            let (file, size, _) = entries.removeFirst()
            try? FileManager.default.removeItem(at: file)
            total -= size
        }
    }
}
