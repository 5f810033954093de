import RPC
/// Parsing of the text content of scalar elements, working on expat's UTF-8 bytes directly.
enum ScalarText {
    enum IntegerResult: Equatable {
        case value(Int)
        case notAnInteger
        case outOfRange
    }

    /// XML's whitespace set (space, tab, LF, CR); other Unicode spaces are content.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy(isWhitespace)
    }

    static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var lower = bytes.startIndex
        var upper = bytes.endIndex
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return bytes[lower..<upper]
    }

    /// Optional sign then decimal digits, after trimming; accumulates negatively so that
    /// `Int.min` parses without overflowing on the way.
    static func integer(_ bytes: [UInt8]) -> IntegerResult {
        var digits = trimmed(bytes)
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return .notAnInteger }
        var accumulator = 0
        var overflowed = false
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .notAnInteger }
            guard !overflowed else { continue }  // keep scanning: "9999x" is still not an integer
            let (shifted, overflow1) = accumulator.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int(byte &- UInt8(ascii: "0")))
            if overflow1 || overflow2 { overflowed = true } else { accumulator = next }
        }
        if overflowed { return .outOfRange }
        if negative { return .value(accumulator) }
        guard accumulator != Int.min else { return .outOfRange }
        return .value(-accumulator)
    }

    /// The spec allows only `0` and `1`; "true"/"false" from sloppy clients are refused
    /// rather than guessed at.
    static func boolean(_ bytes: [UInt8]) -> Bool? {
        let text = trimmed(bytes)
        guard text.count == 1, let only = text.first else { return nil }
        switch only {
        case UInt8(ascii: "0"): return false
        case UInt8(ascii: "1"): return true
        default: return nil
        }
    }

    /// Whatever Swift's `Double(String)` accepts, which covers Python's `repr()` output
    /// (`1e-07`, `1e+100`, `inf`, `-inf`, `nan`). Numbers are short, so the temporary String
    /// stays in its inline small-string form.
    static func double(_ bytes: [UInt8]) -> Double? {
        let text = trimmed(bytes)
        guard !text.isEmpty else { return nil }
        return Double(String(decoding: text, as: UTF8.self))
    }

    /// The trimmed text, quoted and clipped, for error messages.
    static func quoted(_ bytes: [UInt8]) -> String {
        "\"\(String(decoding: trimmed(bytes), as: UTF8.self).clipped())\""
    }
}
