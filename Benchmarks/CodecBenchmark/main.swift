// Measures the project's hand-written JSON codec and Base64 (target RPC) against Foundation's, on
// the inputs the daemon sees: a JSON-RPC progress call, a render-log line, a 10,000-frame answer,
// and a 700 KB base64 value with Python's line breaks. docs/performance.md § Codecs records the
// numbers; run it with `Benchmarks/codecs.sh`.
import Foundation
import RPC

/// Best of `rounds` timings of `body` run `iterations` times, in nanoseconds per iteration.
@MainActor func nanoseconds(iterations: Int, rounds: Int = 5, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        for _ in 0..<iterations { body() }
        best = min(best, (ContinuousClock.now - start) / .nanoseconds(1) / Double(iterations))
    }
    return best
}

/// Foundation's parse, then the conversion to `RPCValue` the daemon would need. NSNumber cannot say
/// whether the text was `12` or `12.0`, which is why the project parses JSON itself; the
/// conversion here takes a number as an int when it is integral, the best Foundation allows.
func foundationValue(_ object: Any) -> RPCValue {
    switch object {
    case let string as String: return .string(string)
    case let number as NSNumber:
        let double = number.doubleValue
        return double == double.rounded() && abs(double) < 9e15 ? .int(number.intValue) : .double(double)
    case let array as [Any]: return .array(array.map(foundationValue))
    case let dictionary as [String: Any]: return .structure(dictionary.mapValues(foundationValue))
    default: return .null
    }
}

var sink = 0
@MainActor func keep(_ value: RPCValue) { if case .array(let items) = value { sink &+= items.count } else { sink &+= 1 } }

let call = Array(#"{"jsonrpc": "2.0", "method": "setFrameRenderFraction", "params": ["bob/shot_v003", 12, 0.5], "id": 1}"#.utf8)
let logLine = Array(#"{"time":"2026-11-25T10:00:00.123Z","client":"10.0.4.17","method":"setFrameRenderFraction","params":["bob/city_v003",412,0.37]}"#.utf8)
let frames = RPCValue.array((1...10_000).map { RPCValue.array([.int($0), .int(5), .double(1.0)]) })
let framesJSON = JSONWriter.write(frames)
let framesFoundation: Any = (1...10_000).map { [$0, 5, 1.0] as [Any] }

var payload = [UInt8](repeating: 0, count: 512 * 1024)
for index in payload.indices { payload[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 7) }
// Python's xmlrpc.client writes base64 with a line break every 76 characters.
let encodedPlain = Data(payload).base64EncodedString()
let encodedLines = Array(stride(from: 0, to: encodedPlain.count, by: 76).map { offset -> String in
    let start = encodedPlain.index(encodedPlain.startIndex, offsetBy: offset)
    return String(encodedPlain[start..<(encodedPlain.index(start, offsetBy: 76, limitedBy: encodedPlain.endIndex) ?? encodedPlain.endIndex)])
}.joined(separator: "\n").utf8)

var rows: [(String, Double, Double)] = []
rows.append(("parse a JSON-RPC progress call", nanoseconds(iterations: 100_000) {
    keep(try! JSONReader.parse(call))
}, nanoseconds(iterations: 100_000) {
    keep(foundationValue(try! JSONSerialization.jsonObject(with: Data(call), options: [.fragmentsAllowed])))
}))
rows.append(("parse a render-log line", nanoseconds(iterations: 100_000) {
    keep(try! JSONReader.parse(logLine))
}, nanoseconds(iterations: 100_000) {
    keep(foundationValue(try! JSONSerialization.jsonObject(with: Data(logLine))))
}))
rows.append(("parse a 10,000-frame answer", nanoseconds(iterations: 50) {
    keep(try! JSONReader.parse(framesJSON))
}, nanoseconds(iterations: 50) {
    keep(foundationValue(try! JSONSerialization.jsonObject(with: Data(framesJSON))))
}))
rows.append(("write a 10,000-frame answer", nanoseconds(iterations: 50) {
    sink &+= JSONWriter.write(frames).count
}, nanoseconds(iterations: 50) {
    sink &+= (try! JSONSerialization.data(withJSONObject: framesFoundation)).count
}))
rows.append(("decode 700 KB of base64 with line breaks", nanoseconds(iterations: 20) {
    sink &+= Base64.decode(encodedLines)?.count ?? 0
}, nanoseconds(iterations: 20) {
    sink &+= Data(base64Encoded: Data(encodedLines), options: .ignoreUnknownCharacters)?.count ?? 0
}))
rows.append(("decode it strictly (white space removed first)", nanoseconds(iterations: 20) {
    sink &+= Base64.decode(encodedLines)?.count ?? 0
}, nanoseconds(iterations: 20) {
    let compact = encodedLines.filter { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }
    sink &+= Data(base64Encoded: Data(compact))?.count ?? 0
}))
rows.append(("encode 512 KB as base64", nanoseconds(iterations: 20) {
    var output: [UInt8] = []
    Base64.encode(payload, into: &output)
    sink &+= output.count
}, nanoseconds(iterations: 20) {
    sink &+= Data(payload).base64EncodedString().utf8.count
}))

print("| input | RPC (this project) | Foundation | Foundation / RPC |")
print("|---|---:|---:|---:|")
for (name, ours, theirs) in rows {
    let format = { (value: Double) in value >= 10_000 ? String(format: "%.2f ms", value / 1e6) : String(format: "%.2f µs", value / 1e3) }
    print("| \(name) | \(format(ours)) | \(format(theirs)) | \(String(format: "%.1f", theirs / ours))x |")
}
// What Foundation makes of the numbers the tracker must tell apart (frame 12 vs fraction 12.0).
let twelve = try! JSONSerialization.jsonObject(with: Data("[12, 12.0]".utf8)) as! [NSNumber]
print("\nFoundation reads [12, 12.0] as \(twelve.map { "\($0) (\(String(cString: $0.objCType)))" }); RPC reads \(try! JSONReader.parse(Array("[12, 12.0]".utf8)))")
if sink == 42 { print("") }
