extension String {
    /// The string cut to at most about `limit` UTF-8 bytes, keeping its head and tail with a note of
    /// what was cut: a failed mantra run sends its whole output, and the end is where the error is.
    public func clipped(toBytes limit: Int) -> String {
        let bytes = utf8
        guard bytes.count > limit else { return self }
        let half = Swift.max(limit / 2, 1)
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
