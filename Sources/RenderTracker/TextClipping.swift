extension String {
    /// The string cut to `limit` UTF-8 bytes of head and tail (about half each, never splitting a
    /// character) with a short note of what was cut between them: a failed mantra run sends its
    /// whole output, and the end is where the error is. A limit of 0 or less keeps only the note.
    public func clipped(toBytes limit: Int) -> String {
        let bytes = utf8
        guard bytes.count > Swift.max(limit, 0) else { return self }
        let half = Swift.max(limit, 0) / 2
        var headEnd = bytes.index(bytes.startIndex, offsetBy: half)
        while headEnd > bytes.startIndex, UTF8.isContinuation(bytes[headEnd]) {
            headEnd = bytes.index(before: headEnd)
        }
        var tailStart = bytes.index(bytes.endIndex, offsetBy: -half)
        while tailStart < bytes.endIndex, UTF8.isContinuation(bytes[tailStart]) {
            tailStart = bytes.index(after: tailStart)
        }
        let cut = bytes.distance(from: headEnd, to: tailStart)
        return String(self[..<headEnd]) + "\n[... \(cut) bytes cut ...]\n" + String(self[tailStart...])
    }
}
