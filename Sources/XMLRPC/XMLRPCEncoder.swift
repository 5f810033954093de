public import RPC
/// Writes XML-RPC documents that Python's `xmlrpc.client` and other clients read.
public enum XMLRPCEncoder {
    private static let declaration = "<?xml version=\"1.0\"?>\n"

    /// `<methodResponse>` with one param, or a fault struct `{faultCode: int, faultString: string}`.
    public static func encodeResponse(_ response: XMLRPCResponse) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(contentsOf: declaration.utf8)
        output.append(contentsOf: "<methodResponse>".utf8)
        switch response {
        case .success(let value):
            output.append(contentsOf: "<params><param>".utf8)
            encodeValue(value, into: &output)
            output.append(contentsOf: "</param></params>".utf8)
        case .fault(let code, let message):
            output.append(contentsOf: "<fault>".utf8)
            encodeValue(.structure(["faultCode": .int(code), "faultString": .string(message)]), into: &output)
            output.append(contentsOf: "</fault>".utf8)
        }
        output.append(contentsOf: "</methodResponse>\n".utf8)
        return output
    }

    /// `<methodCall>` with the method name and params.
    public static func encodeRequest(_ request: XMLRPCRequest) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(contentsOf: declaration.utf8)
        output.append(contentsOf: "<methodCall><methodName>".utf8)
        appendEscaped(request.methodName, to: &output)
        output.append(contentsOf: "</methodName><params>".utf8)
        for param in request.params {
            output.append(contentsOf: "<param>".utf8)
            encodeValue(param, into: &output)
            output.append(contentsOf: "</param>".utf8)
        }
        output.append(contentsOf: "</params></methodCall>\n".utf8)
        return output
    }

    /// Appends `<value>...</value>` for `value`.
    public static func encodeValue(_ value: RPCValue, into output: inout [UInt8]) {
        output.append(contentsOf: "<value>".utf8)
        switch value {
        case .int(let number):
            // Many clients (Python included) accept <int> as 32-bit only; <i8> is the extension.
            if let small = Int32(exactly: number) {
                output.append(contentsOf: "<int>".utf8)
                output.append(contentsOf: String(small).utf8)
                output.append(contentsOf: "</int>".utf8)
            } else {
                output.append(contentsOf: "<i8>".utf8)
                output.append(contentsOf: String(number).utf8)
                output.append(contentsOf: "</i8>".utf8)
            }
        case .bool(let flag):
            output.append(contentsOf: (flag ? "<boolean>1</boolean>" : "<boolean>0</boolean>").utf8)
        case .string(let text):
            output.append(contentsOf: "<string>".utf8)
            appendEscaped(text, to: &output)
            output.append(contentsOf: "</string>".utf8)
        case .double(let number):
            output.append(contentsOf: "<double>".utf8)
            output.append(contentsOf: doubleText(number).utf8)
            output.append(contentsOf: "</double>".utf8)
        case .dateTime(let stamp):
            output.append(contentsOf: "<dateTime.iso8601>".utf8)
            appendEscaped(stamp, to: &output)
            output.append(contentsOf: "</dateTime.iso8601>".utf8)
        case .base64(let bytes):
            output.append(contentsOf: "<base64>".utf8)
            Base64.encode(bytes, into: &output)
            output.append(contentsOf: "</base64>".utf8)
        case .array(let elements):
            output.append(contentsOf: "<array><data>".utf8)
            for element in elements { encodeValue(element, into: &output) }
            output.append(contentsOf: "</data></array>".utf8)
        case .structure(let members):
            output.append(contentsOf: "<struct>".utf8)
            // Sorted so that equal values always produce identical bytes.
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                output.append(contentsOf: "<member><name>".utf8)
                appendEscaped(name, to: &output)
                output.append(contentsOf: "</name>".utf8)
                encodeValue(member, into: &output)
                output.append(contentsOf: "</member>".utf8)
            }
            output.append(contentsOf: "</struct>".utf8)
        case .null:
            output.append(contentsOf: "<nil/>".utf8)
        }
        output.append(contentsOf: "</value>".utf8)
    }

    /// Swift's shortest round-trip form (`1e-07`, `0.1`) parses in Python; non-finite values
    /// use Python's spellings instead of trapping or writing something unreadable.
    private static func doubleText(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    /// Escapes markup characters. CR is written as `&#13;` because a parser would otherwise
    /// normalise it to LF; control characters that XML 1.0 cannot carry at all (even as
    /// references) and U+FFFE/U+FFFF become U+FFFD so the document stays well-formed.
    private static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case 0x0D: output.append(contentsOf: "&#13;".utf8)
                case 0x09, 0x0A: output.append(byte)
                case 0x00..<0x20: output.append(contentsOf: replacementCharacter)
                case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                    output.append(contentsOf: replacementCharacter)
                    index += 2
                default: output.append(byte)
                }
                index += 1
            }
        }
    }

    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
}
