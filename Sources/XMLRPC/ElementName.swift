import RPC
/// The element names XML-RPC knows, recognised straight from expat's UTF-8 C strings so that
/// the hot path never builds a `String` for a tag.
enum ElementName: UInt8, Sendable {
    case methodCall, methodName, methodResponse, params, param, fault
    case value, array, data, structure, member, name
    case int, i4, i8, boolean, string, double, dateTime, base64, null

    /// The spelling used in documents and in error messages.
    var spelling: StaticString {
        switch self {
        case .methodCall: "methodCall"
        case .methodName: "methodName"
        case .methodResponse: "methodResponse"
        case .params: "params"
        case .param: "param"
        case .fault: "fault"
        case .value: "value"
        case .array: "array"
        case .data: "data"
        case .structure: "struct"
        case .member: "member"
        case .name: "name"
        case .int: "int"
        case .i4: "i4"
        case .i8: "i8"
        case .boolean: "boolean"
        case .string: "string"
        case .double: "double"
        case .dateTime: "dateTime.iso8601"
        case .base64: "base64"
        case .null: "nil"
        }
    }

    /// Scalars hold text only; containers hold elements only.
    var isScalar: Bool {
        switch self {
        case .int, .i4, .i8, .boolean, .string, .double, .dateTime, .base64, .null: true
        default: false
        }
    }

    /// Ordered by how often each occurs in real traffic, so a linear scan ends early.
    private static let lookupOrder: [ElementName] = [
        .value, .string, .member, .name, .int, .param, .structure, .double, .array, .data, .boolean,
        .i4, .i8, .null, .params, .methodName, .methodCall, .methodResponse, .fault, .dateTime, .base64,
    ]

    /// Recognises a tag given as a NUL-terminated UTF-8 string. An `ex:` prefix (Apache's
    /// extension namespace) is skipped without enabling expat namespace processing.
    init?(cString: UnsafePointer<CChar>) {
        var start = UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self)
        var length = 0
        while start[length] != 0 { length += 1 }
        if length > 3, start[0] == UInt8(ascii: "e"), start[1] == UInt8(ascii: "x"),
            start[2] == UInt8(ascii: ":")
        {
            start += 3
            length -= 3
        }
        for candidate in Self.lookupOrder {
            let spelling = candidate.spelling
            guard spelling.utf8CodeUnitCount == length else { continue }
            if Self.equal(start, spelling.utf8Start, length) {
                self = candidate
                return
            }
        }
        return nil
    }

    private static func equal(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for index in 0..<count where lhs[index] != rhs[index] {
            return false
        }
        return true
    }
}

extension ElementName {
    /// A name as written in the document, clipped, for messages.
    static func displayName(_ rawName: UnsafePointer<CChar>) -> String {
        String(cString: rawName).clipped()
    }
}

extension ElementName: CustomStringConvertible {
    var description: String { "<\(spelling)>" }
}
