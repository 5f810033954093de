import Foundation

/// Writes one line to standard error: messages for people, kept apart from results on standard output.
func printToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
