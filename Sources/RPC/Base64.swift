/// Standard base64 (RFC 4648 alphabet, `=` padding), the form XML-RPC and Python use.
///
/// Hand-written because Foundation has no strict decoder that accepts the line breaks Python's
/// `xmlrpc.client` inserts every 76 characters: `Data(base64Encoded:)` refuses them, and with
/// `.ignoreUnknownCharacters` it silently skips any invalid character, which would turn a damaged
/// value into wrong bytes instead of a fault. Measured (`Benchmarks/codecs.sh`, 700 KB with line
/// breaks): this decoder 1.1 ms; Foundation lenient 0.4 ms, strict after removing white space
/// 25 ms. Encoding here is 2x slower than Foundation's (0.6 ms against 0.3 ms for 512 KB), off
/// every hot path (no tracker method takes base64), and keeps the codec free of Foundation.
public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks bytes outside the alphabet; 0xFE marks XML whitespace, which Python's
    /// encoder inserts every 76 characters and which is skipped.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(index) }
        for space in [0x20, 0x09, 0x0A, 0x0D] { table[space] = 0xFE }
        return table
    }()

    /// Decodes, or returns nil for characters outside the alphabet, misplaced padding or a
    /// truncated final group. Missing trailing padding is tolerated (some encoders omit it).
    public static func decode(_ text: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var group: UInt32 = 0
        var groupCount = 0
        var padding = 0
        for byte in text {
            let code = decodeTable[Int(byte)]
            if code == 0xFE { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            // Data after padding means two encodings were glued together or worse.
            guard code != 0xFF, padding == 0 else { return nil }
            group = group << 6 | UInt32(code)
            groupCount += 1
            if groupCount == 4 {
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                group = 0
                groupCount = 0
            }
        }
        switch groupCount {
        case 0:
            guard padding == 0 else { return nil }
        case 2:
            guard padding == 0 || padding == 2 else { return nil }
            output.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            guard padding <= 1 else { return nil }
            output.append(UInt8(truncatingIfNeeded: group >> 10))
            output.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            return nil
        }
        return output
    }

    /// Encodes with padding and without line breaks (line breaks are optional in XML-RPC).
    public static func encode(_ bytes: [UInt8], into output: inout [UInt8]) {
        output.reserveCapacity(output.count + (bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(alphabet[Int(group >> 6 & 0x3F)])
            output.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            var group = UInt32(bytes[index]) << 16
            if remaining == 2 { group |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(remaining == 2 ? alphabet[Int(group >> 6 & 0x3F)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
    }
}
