/// A query string read as HTML forms and `URLSearchParams` write it: `&`-separated `name=value`
/// pairs, `+` for a space and `%XX` for any byte. Hummingbird's `queryParameters` decodes `%XX`
/// but leaves `+` alone, so the monitor page's `?project=bob%2Fshot_v003+(2)` reached the tracker
/// as `bob/shot_v003+(2)`, a project nobody renders.
struct FormQuery {
    /// The pairs in the order given; a pair with no `=` has an empty value.
    private(set) var pairs: [(name: String, value: String)] = []

    /// Refuses a name or value whose `%` is not followed by two hex digits or that does not decode
    /// to UTF-8, naming it.
    init(_ query: Substring) throws(FormQueryError) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue) = pair.firstIndex(of: "=").map { (pair[..<$0], pair[pair.index(after: $0)...]) } ?? (pair, "")
            let name = try Self.decoded(rawName, part: "name")
            pairs.append((name, try Self.decoded(rawValue, part: "value of \(name.prefix(40))")))
        }
    }

    private static func decoded(_ text: Substring, part: String) throws(FormQueryError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var input = text.utf8.makeIterator()
        while let byte = input.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = input.next().flatMap(hexValue), let low = input.next().flatMap(hexValue) else {
                    throw FormQueryError(message: "malformed percent-encoding in the query's \(part): \"%\" must be followed by two hex digits")
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw FormQueryError(message: "the query's \(part) is not UTF-8 once decoded")
        }
        return string
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

struct FormQueryError: Error {
    var message: String
}
