/// The cause of a failure in one short line, read from the error message a farm job sent.
///
/// A failed mantra frame sends its whole output as the error (16 KB of tile progress is usual),
/// and the cause ("cannot allocate 12.6 GB ...") is near the end: whoever shows a failure (the
/// monitor, `status`, `watch`, summaries, plugin events and the notifiers they post) shows this
/// line first, so it is derived here, once, for all of them.
///
/// The rule: the last line that reads most like an error, else the last non-empty line.
/// Lines are ranked, and the last line of the highest rank wins:
/// - **marked**: a severity word as renderers and runtimes print it, case-aware (`Error`,
///   `ERROR`, `error:`, `Fatal`, `FATAL`, `SEVERE`, `CRITICAL`, `PANIC`, `Exception`), an
///   exception class (`RuntimeError:`, `hou.OperationFailed:`), or a crash (`Segmentation
///   fault`, `out of memory`, `core dumped`, `bad_alloc`, `Killed`);
/// - **worded**: a phrase of failure in any case (`cannot`, `could not`, `unable to`, `failed`,
///   `not found`, `no such file`, `permission denied`, `timed out`, `invalid`, `missing`, ...);
/// - anything else, warnings included (a warning is not what stopped the render).
///
/// So mantra's `mantra: Error: cannot allocate ...` is found behind any amount of tile progress,
/// a Python traceback gives its exception line (the traceback's `File ...` lines and the code
/// lines under them are skipped), and a wrapper's closing `Render failed (exit code 1)` does not
/// hide the marked line above it. Counts of nothing (`0 errors`, `no errors`, `Errors: 0`) do not
/// read as errors. A marked line that ends with `:` takes the next line with it (Houdini puts
/// the detail on the line after `Error:`). The line is trimmed, its runs of spaces and terminal
/// colour codes removed, and bounded to `maxBytes`.
///
/// Cost: one pass over the message's bytes without regular expressions (Swift's `Regex` was ten
/// times slower here), about 0.3 ms for a 64 KiB message in a debug build.
public enum FailureCause {
    /// The longest cause in UTF-8 bytes: a chat line or a table cell, not a log.
    public static let maxBytes = 300

    /// The cause of the failure `message` describes; nil when it has no visible text.
    public static func of(_ message: String) -> String? {
        let lines = visibleLines(message)
        guard !lines.isEmpty else { return nil }
        var best = lines.count - 1
        var bestRank = Rank.plain
        var skipNext = false
        for (index, line) in lines.enumerated() {
            if skipNext {
                skipNext = false
                continue
            }
            if isTracebackFrame(line) {
                skipNext = true  // the source line Python prints under it
                continue
            }
            let rank = self.rank(line)
            if rank >= bestRank, rank > .plain {
                best = index
                bestRank = rank
            }
        }
        var cause = lines[best]
        if bestRank == .marked, cause.hasSuffix(":"), best + 1 < lines.count {
            cause += " " + lines[best + 1]
        }
        return bounded(cause)
    }

    enum Rank: Int, Comparable {
        case plain, worded, marked
        static func < (a: Rank, b: Rank) -> Bool { a.rawValue < b.rawValue }
    }

    /// How much a line reads like an error.
    static func rank(_ line: String) -> Rank {
        let words = Word.split(line)
        var worded = false
        var warning = false
        for (index, word) in words.enumerated() {
            let lower = word.text.lowercased()
            let before = index > 0 ? words[index - 1].text.lowercased() : ""
            let after = index + 1 < words.count ? words[index + 1].text : ""
            if ["warning", "warn", "warnings"].contains(lower) {
                warning = true
                continue
            }
            // "0 errors", "no failures", "Errors: 0": a count of nothing ("device 0 failed to" is not).
            if countedNouns.contains(lower), after != "to", ["0", "no", "zero", "without"].contains(before) || after == "0" {
                continue
            }
            if markedWords.contains(String(word.text)) || (lower == "error" && word.followedBy == ":") || isExceptionClass(word) {
                return .marked
            }
            if failureWords.contains(lower) { worded = true }
        }
        let lowered = " " + line.lowercased() + " "
        if crashPhrases.contains(where: lowered.contains) { return .marked }
        if warning { return .plain }
        if worded || failurePhrases.contains(where: lowered.contains) { return .worded }
        return .plain
    }

    static let markedWords: Set<String> = [
        "Error", "ERROR", "ERR", "Fatal", "FATAL", "fatal", "SEVERE", "Severe", "CRITICAL", "Critical", "PANIC", "panic",
        "Exception", "EXCEPTION", "FAILED", "Killed", "KILLED", "bad_alloc",
    ]
    static let countedNouns: Set<String> = ["error", "errors", "failure", "failures", "failed"]
    static let failureWords: Set<String> = [
        "error", "errors", "cannot", "unable", "failed", "fails", "failure", "fail", "invalid", "missing", "denied",
        "abort", "aborted", "aborting", "crash", "crashed", "corrupt", "corrupted", "refused", "unreachable", "exceeded",
        "timeout", "unsupported", "illegal",
    ]
    static let failurePhrases = [
        " could not ", " couldn't ", " can't ", " not found ", " no such ", " timed out ", " no license", " no licence",
        " not enough ", " out of ", " not exist", " doesn't exist", " does not exist",
    ]
    static let crashPhrases = [" segmentation fault", " out of memory", " core dumped", " bus error", " stack overflow"]

    /// `RuntimeError`, `FileNotFoundError`, `hou.OperationFailed`, `IOException`: a class name
    /// (capital first) ending in Error, Exception or Failed, as a traceback's last line names it.
    static func isExceptionClass(_ word: Word) -> Bool {
        guard let first = word.text.unicodeScalars.first, first.properties.isUppercase, word.followedBy == ":" else { return false }
        return ["Error", "Exception", "Failed", "Failure"].contains { suffix in
            word.text.count > suffix.count && word.text.hasSuffix(suffix)
        }
    }

    /// `File "/opt/hfs/python/hrender.py", line 12, in <module>`
    static func isTracebackFrame(_ line: String) -> Bool {
        line.hasPrefix("File \"") && line.contains("\", line ")
    }

    /// A word and the character just after it (":" tells `error:` from prose).
    struct Word {
        var text: Substring
        var followedBy: Character?

        static func split(_ line: String) -> [Word] {
            var words: [Word] = []
            var start: String.Index?
            var index = line.startIndex
            while index < line.endIndex {
                let character = line[index]
                let inWord = character.isLetter || character.isNumber || character == "_"
                if inWord, start == nil { start = index }
                if !inWord, let from = start {
                    words.append(Word(text: line[from..<index], followedBy: character))
                    start = nil
                }
                index = line.index(after: index)
            }
            if let from = start { words.append(Word(text: line[from...], followedBy: nil)) }
            return words
        }
    }

    /// The message's lines that show something: trimmed, colour codes and repeated spaces
    /// removed, the tracker's own clipping note left out.
    static func visibleLines(_ message: String) -> [String] {
        message.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = collapse(withoutColourCodes(raw))
            guard !line.isEmpty, !(line.hasPrefix("[... ") && line.hasSuffix(" bytes cut ...]")) else { return nil }
            return line
        }
    }

    /// ESC [ ... letter: terminal colours some renderers print even into a pipe.
    static func withoutColourCodes(_ text: Substring) -> Substring {
        guard text.contains("\u{1B}") else { return text }
        var result = ""
        var inCode = false
        for character in text {
            if character == "\u{1B}" {
                inCode = true
            } else if inCode {
                if character.isLetter, character != "[" { inCode = false }
            } else {
                result.append(character)
            }
        }
        return Substring(result)
    }

    /// Trimmed, with each run of whitespace (tabs, aligned columns) as one space.
    static func collapse(_ text: Substring) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// At most `maxBytes` UTF-8 bytes, cut at a character with an ellipsis.
    static func bounded(_ line: String) -> String {
        guard line.utf8.count > maxBytes else { return line }
        var result = ""
        var bytes = 0
        let ellipsis = "\u{2026}"
        for character in line {
            let size = character.utf8.count
            if bytes + size + ellipsis.utf8.count > maxBytes { break }
            result.append(character)
            bytes += size
        }
        return result + ellipsis
    }
}
