import Foundation
public import RenderLog

/// Render logs in tests: a fresh path in the temporary folder, and what a log holds.
public enum RenderLogFiles {
    public static func temporaryLog(_ name: String = "record") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-\(name)-\(UUID().uuidString).jsonl").path
    }

    /// Every entry of a log, in order; a bad line throws.
    public static func entries(_ path: String) throws -> [RenderLogEntry] {
        try RenderLogReader.entries(path: path)
    }

    public static func calls(_ path: String) throws -> [RecordedCall] {
        try entries(path).compactMap { if case .call(let call, _) = $0 { call } else { nil } }
    }
}
