import Foundation
import Logging
import RenderTracker

/// Logs to standard error as `<ISO-8601 time> <level> <label>: <message> key=value ...`, one
/// record per line. Unlike swift-log's `StreamLogHandler` it renders metadata only when a line is
/// written: the HTTP server sets a request id on every request, and re-rendering it each time cost
/// about 5% of the daemon's throughput.
///
/// Messages and metadata values carry what clients send (project names, job ids, error messages)
/// and what plugins log, so control characters in them are escaped (`\n`, `\r`, `\t`,
/// `\u{1B}`): a newline would otherwise start a line of the client's making, such as a forged
/// `critical ... rendertracker stopped`.
struct ConsoleLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {
        self.label = label
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
        var line = "\(SystemClock().now().iso8601) \(event.level) \(label): \(Self.escaped("\(event.message)"))"
        for key in all.keys.sorted() {
            if let value = all[key] {
                line += " \(key)=\(Self.escaped("\(value)"))"
            }
        }
        printToStandardError(line)
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
