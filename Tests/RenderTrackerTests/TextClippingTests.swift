import Testing
@testable import RenderTracker

@Suite("String.clipped(toBytes:)")
struct TextClippingTests {
    @Test("A string within the limit is returned unchanged", arguments: ["", "a", "short", "exactly10!", "é"])
    func withinLimit(text: String) {
        #expect(text.clipped(toBytes: 10) == text)
    }

    @Test("A string of exactly the limit is not clipped")
    func exactlyAtLimit() {
        let text = String(repeating: "x", count: 64)
        #expect(text.clipped(toBytes: 64) == text)
    }

    @Test("A longer string keeps half the limit from its head and half from its tail, with a note")
    func headAndTail() {
        let text = "HEAD-" + String(repeating: ".", count: 1000) + "-TAIL"
        #expect(text.clipped(toBytes: 10) == "HEAD-\n[... 1000 bytes cut ...]\n-TAIL")
    }

    @Test("The kept head and tail together stay within the limit")
    func keptBytesWithinLimit() {
        let text = String(repeating: "abcdefghij", count: 100)
        for limit in [2, 3, 10, 11, 99, 100, 999] {
            let clipped = text.clipped(toBytes: limit)
            let note = clipped.firstRange(of: "\n[... ")!
            let noteEnd = clipped.firstRange(of: " bytes cut ...]\n")!
            let kept = clipped.utf8.count - clipped[note.lowerBound..<noteEnd.upperBound].utf8.count
            #expect(kept <= limit, "limit \(limit)")
            #expect(kept >= limit - 1, "limit \(limit)")
        }
    }

    @Test("The note counts exactly the bytes that were cut")
    func cutCountExact() {
        let text = String(repeating: "z", count: 12_345)
        #expect(text.clipped(toBytes: 1000).contains("\n[... 11345 bytes cut ...]\n"))
    }

    @Test("Two-byte characters are not split at either cut")
    func twoByteCharacters() {
        let text = String(repeating: "é", count: 100)  // 200 bytes
        let clipped = text.clipped(toBytes: 51)  // half = 25: both cuts fall mid-character
        #expect(clipped == String(repeating: "é", count: 12) + "\n[... 152 bytes cut ...]\n" + String(repeating: "é", count: 12))
    }

    @Test("Four-byte characters are not split at either cut")
    func fourByteCharacters() {
        let text = String(repeating: "🎬", count: 50)  // 200 bytes
        let clipped = text.clipped(toBytes: 30)  // half = 15
        #expect(clipped == String(repeating: "🎬", count: 3) + "\n[... 176 bytes cut ...]\n" + String(repeating: "🎬", count: 3))
        #expect(!clipped.unicodeScalars.contains("\u{FFFD}"))
    }

    @Test("Mixed-width text clips to valid UTF-8 with the ends intact")
    func mixedWidth() {
        let text = "начало " + String(repeating: "日本語テキスト", count: 200) + " конец"
        let clipped = text.clipped(toBytes: 64)
        #expect(clipped.hasPrefix("начало "))
        #expect(clipped.hasSuffix(" конец"))
        #expect(!clipped.unicodeScalars.contains("\u{FFFD}"))
        let cut = text.utf8.count - (clipped.utf8.count - clipped.split(separator: "\n")[1].utf8.count - 2)
        #expect(clipped.contains("[... \(cut) bytes cut ...]"))
    }

    @Test("A limit of 0 bytes keeps only the note")
    func zeroLimit() {
        #expect("x".clipped(toBytes: 0) == "\n[... 1 bytes cut ...]\n")
    }

    @Test("A tracker configured with messageBytes 0 survives a one-character error message")
    func zeroLimitTracker() {
        var tracker = Tracker(clock: ManualClock(), limits: TrackerLimits(messageBytes: 0))
        _ = tracker.apply(.setFrameError(project: "p", frame: 1, message: "x"))
        #expect(tracker.project(named: "p")?.frame(1)?.errorMessage == "\n[... 1 bytes cut ...]\n")
    }

    @Test("A negative limit leaves an empty string alone")
    func negativeLimitEmpty() {
        #expect("".clipped(toBytes: -1) == "")
    }
}
