#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Standard output, as a terminal that can be redrawn or as a plain stream (a pipe, a file, a log).
struct Terminal {
    /// True when standard output is a terminal: only then are escape codes written.
    let isInteractive = isatty(STDOUT_FILENO) == 1
    private var linesDrawn = 0

    /// Replaces the block of lines drawn last time with `lines`, in place.
    mutating func redraw(_ lines: [String]) {
        var text = linesDrawn > 0 ? "\u{1B}[\(linesDrawn)F" : ""  // to the start of the block's first line
        let width = Self.columns()
        for line in lines {
            // A line wider than the terminal would wrap and throw the next redraw out of place.
            text += "\u{1B}[2K" + (width.map { String(line.prefix($0 - 1)) } ?? line) + "\n"
        }
        linesDrawn = lines.count
        write(text)
    }

    /// Writes one plain line.
    func line(_ text: String) {
        write(text + "\n")
    }

    /// Unbuffered: a pipe's reader (`watch ... | tee log`) sees each line as it comes.
    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func columns() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 1 else { return nil }
        return Int(size.ws_col)
    }
}
