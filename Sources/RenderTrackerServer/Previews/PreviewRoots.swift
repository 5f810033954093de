import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders (`serve --preview-root DIR`, repeatable) whose rendered images the monitor may show.
/// An image path is trusted only as far as where it really leads: both the roots and the path are
/// resolved with `realpath` (every `..` and every symbolic link followed), and the resolved path must
/// lie inside a resolved root, so neither `/renders/../etc/passwd` nor a link under a root that
/// points elsewhere reaches a file outside them.
public struct PreviewRoots: Sendable, Equatable {
    /// Resolved roots, each ending in "/".
    let folders: [String]

    /// An error naming the root that cannot be used.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Throws: `Invalid` for a root that does not exist or is not a folder.
    public init(_ roots: [String]) throws(Invalid) {
        var folders: [String] = []
        for root in roots {
            guard let resolved = Self.realPath(root) else {
                throw Invalid(description: "--preview-root \(root): no such folder")
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder), isFolder.boolValue else {
                throw Invalid(description: "--preview-root \(root): not a folder")
            }
            folders.append(resolved.hasSuffix("/") ? resolved : resolved + "/")
        }
        self.folders = folders
    }

    public var isEmpty: Bool { folders.isEmpty }

    /// The real path of an existing regular file inside a root; nil for anything else.
    func resolve(_ imagePath: String) -> String? {
        guard !imagePath.isEmpty, !imagePath.contains("\0"), let resolved = Self.realPath(imagePath) else { return nil }
        guard folders.contains(where: { resolved.hasPrefix($0) }) else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
        return resolved
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
