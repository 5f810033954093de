public import Logging

extension Logger {
    /// A logger that writes nothing: the default for the pieces that take a logger, so tests and
    /// embedders that do not care about logs need not build one.
    public static let silent = Logger(label: "rendertracker") { _ in SwiftLogNoOpLogHandler() }
}
