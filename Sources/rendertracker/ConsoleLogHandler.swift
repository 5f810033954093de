import Foundation
import Logging
import RPC
import RenderTracker

/// Logs to standard error, one record per line: as text, `<ISO-8601 time> <level> <label>:
/// <message> key=value ...`, or (`--log-format json`, for a log collector) as one JSON object,
/// `{"label":...,"level":...,"msg":...,"time":...,<metadata>}`, keys sorted, metadata flat
/// beside the four (a metadata key that is one of them is written `meta.<key>`; `msg` as zap and
/// logrus name it, since `message` is a metadata key here), written by the RPC target's
/// `JSONWriter`, which escapes every control character, so each record is one line. Unlike swift-log's `StreamLogHandler` it renders metadata only when a line is
/// written: the HTTP server sets a request id on every request, and re-rendering it each time cost
/// about 5% of the daemon's throughput.
///
/// Messages and metadata values carry what clients send (project names, job ids, error messages)
/// and what plugins log, so control characters in them are escaped (`\n`, `\r`, `\t`,
/// `\u{1B}`): a newline would otherwise start a line of the client's making, such as a forged
/// `critical ... rendertracker stopped`.
struct ConsoleLogHandler: LogHandler {
    enum Format: String, CaseIterable {
        case text, json
    }

    let label: String
    let format: Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: Format = .text) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() {
            all.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            all.merge(extra) { _, new in new }
        }
        let time = SystemClock().now().iso8601
        switch format {
        case .text:
            var line = "\(time) \(event.level) \(label): \(Self.escaped("\(event.message)"))"
            for key in all.keys.sorted() {
                if let value = all[key] {
                    line += " \(key)=\(Self.escaped("\(value)"))"
                }
            }
            printToStandardError(line)
        case .json:
            var fields: [String: RPCValue] = [:]
            for (key, value) in all {
                fields[Self.reserved.contains(key) ? "meta.\(key)" : key] = Self.json(value)
            }
            fields["time"] = .string(time)
            fields["level"] = .string(event.level.rawValue)
            fields["label"] = .string(label)
            fields["msg"] = .string("\(event.message)")
            printToStandardError(JSONWriter.string(.structure(fields)))
        }
    }

    private static let reserved: Set<String> = ["time", "level", "label", "msg"]

    /// Metadata as JSON: text as strings, dictionaries and arrays as objects and arrays.
    private static func json(_ value: Logger.MetadataValue) -> RPCValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .dictionary(let dictionary): .structure(dictionary.mapValues(json))
        case .array(let array): .array(array.map(json))
        }
    }

    /// `text` with every control character (C0, DEL, C1) and the Unicode line and paragraph
    /// separators written as an escape, so it cannot break the line.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Unicode's control characters (category Cc: U+0000 to U+001F, U+007F to U+009F) by range,
    /// cheaper than looking up each scalar's category, and U+2028, U+2029.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }
}
