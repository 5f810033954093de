/// A project name as a key: two names are the same project only when their UTF-8 bytes are the
/// same. Swift's `String` compares and hashes by canonical equivalence, so `café` written with
/// U+00E9 and written `e` + U+0301 would be one key; but project names are paths on a file
/// server, where those are two different files, and two renders must not be merged into one
/// project.
public struct ProjectKey: Hashable, Comparable, Sendable {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public static func == (lhs: ProjectKey, rhs: ProjectKey) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        var name = name
        name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Byte order (code-point order), as `ls` sorts in the C locale.
    public static func < (lhs: ProjectKey, rhs: ProjectKey) -> Bool {
        lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }

    /// The position of the first name after `name` in `names`, which are sorted by bytes.
    public static func indexAfter(_ name: String, in names: [String]) -> Int {
        let key = ProjectKey(name)
        var (low, high) = (names.startIndex, names.endIndex)
        while low < high {
            let middle = (low + high) / 2
            if key < ProjectKey(names[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }

    /// Whether two lists name the same projects in the same order, byte for byte.
    public static func sameNames(_ lhs: [String], _ rhs: [String]) -> Bool {
        lhs.elementsEqual(rhs) { ProjectKey($0) == ProjectKey($1) }
    }
}

/// The tracker's table of projects, read and written by name.
extension Dictionary where Key == ProjectKey {
    subscript(_ name: String) -> Value? {
        get { self[ProjectKey(name)] }
        set { self[ProjectKey(name)] = newValue }
    }

    mutating func removeValue(forKey name: String) -> Value? {
        removeValue(forKey: ProjectKey(name))
    }
}
