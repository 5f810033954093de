import Foundation
import Logging
import RenderTracker

/// Logs to standard error as `<ISO-8601 time> <level> <label>: <message> key=value ...`.
/// Unlike swift-log's `StreamLogHandler` it renders metadata only when a line is written: the HTTP
/// server sets a request id on every request, and re-rendering it each time cost about 5% of the
/// daemon's throughput.
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
        var line = "\(SystemClock().now().iso8601) \(event.level) \(label): \(event.message)"
        for key in all.keys.sorted() {
            if let value = all[key] {
                line += " \(key)=\(value)"
            }
        }
        printToStandardError(line)
    }
}
