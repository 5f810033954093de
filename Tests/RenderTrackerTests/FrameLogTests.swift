import Testing
@testable import RenderTracker

@Suite("Frame log")
struct FrameLogTests {
    @Test("Each line starts with the ISO-8601 time of the change, in UTC with milliseconds")
    func timestamps() {
        var farm = Farm()
        farm.start("p", frames: [1], job: "100")
        farm.advance(61.25)
        farm.render("p", 1, job: "201", image: "/r/a.exr")
        farm.advance(3600)
        farm.progress("p", 1, 1.0)
        #expect(farm.log("p", 1) == [
            "2026-01-01T00:00:00.000Z Waiting (project started by job 100)",
            "2026-01-01T00:01:01.250Z Rendering by job 201, image /r/a.exr",
            "2026-01-01T01:01:01.250Z Done",
        ])
    }

    @Test("Every kind of entry has its text")
    func entryTexts() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.generating("p", 1)
        farm.ifdReady("p", 1)
        farm.render("p", 1, job: "2", image: "/i.exr")
        farm.progress("p", 1, 0.456)
        farm.progress("p", 1, 1.0)
        farm.download("p", 1, 0.5)
        farm.download("p", 1, 1.0)
        farm.fail("p", 1, "late")
        #expect(farm.logTexts("p", 1) == [
            "Waiting (project started by job 100)",
            "Generating IFD",
            "IFD Ready",
            "Rendering by job 2, image /i.exr",
            "Rendering 46%",
            "Done",
            "Downloading 50%",
            "Done",
            "Error: late",
        ])
    }

    @Test("Consecutive render progress reports replace each other")
    func renderProgressReplaces() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.render("p", 1, job: "2", image: "/i.exr")
        for percent in 1...99 {
            farm.advance(1)
            farm.progress("p", 1, Double(percent) / 100)
        }
        let log = farm.log("p", 1)
        #expect(log.count == 3)
        #expect(log.last == "2026-01-01T00:01:39.000Z Rendering 99%")
    }

    @Test("Consecutive download progress reports replace each other")
    func downloadProgressReplaces() {
        var farm = Farm()
        farm.start("p", frames: [1])
        for step in 1...9 {
            farm.download("p", 1, Double(step) / 10)
        }
        #expect(farm.logTexts("p", 1) == ["Waiting (project started by job 100)", "Downloading 90%"])
    }

    @Test("A progress report after another kind of entry is a new line")
    func progressAfterOtherEntry() {
        var farm = Farm()
        farm.start("p", frames: [1])
        farm.progress("p", 1, 0.2)
        farm.render("p", 1, job: "2", image: "/i.exr")
        farm.progress("p", 1, 0.3)
        farm.download("p", 1, 0.4)
        farm.progress("p", 1, 0.5)
        #expect(farm.logTexts("p", 1) == [
            "Waiting (project started by job 100)",
            "Rendering 20%",
            "Rendering by job 2, image /i.exr",
            "Rendering 30%",
            "Downloading 40%",
            "Rendering 50%",
        ])
    }

    @Test("The log keeps the newest logEntriesPerFrame entries, after a line counting those dropped")
    func bounded() {
        var farm = Farm(limits: TrackerLimits(logEntriesPerFrame: 4))
        farm.start("p", frames: [1])  // entry 1
        for attempt in 1...6 {  // entries 2...13
            farm.render("p", 1, job: "j\(attempt)", image: "/i.exr")
            farm.fail("p", 1, "e\(attempt)")
        }
        #expect(farm.log("p", 1).first == "[9 earlier entries dropped]")
        #expect(Array(farm.logTexts("p", 1).dropFirst()) == [
            "Rendering by job j5, image /i.exr (retry after error)",
            "Error: e5",
            "Rendering by job j6, image /i.exr (retry after error)",
            "Error: e6",
        ])
    }

    @Test("A log exactly at its limit has no dropped line")
    func atLimit() {
        var farm = Farm(limits: TrackerLimits(logEntriesPerFrame: 3))
        farm.start("p", frames: [1])
        farm.generating("p", 1)
        farm.ifdReady("p", 1)
        let log = farm.log("p", 1)
        #expect(log.count == 3)
        #expect(!log[0].contains("dropped"))
        farm.render("p", 1)
        let next = farm.log("p", 1)
        #expect(next.count == 4)
        #expect(next[0] == "[1 earlier entries dropped]")
        #expect(next[1].hasSuffix("Generating IFD"))
    }

    @Test("The bound holds however many times the ring wraps", arguments: [1, 2, 3, 7])
    func boundedAfterManyWraps(capacity: Int) {
        var farm = Farm(limits: TrackerLimits(logEntriesPerFrame: capacity))
        farm.start("p", frames: [1])
        for attempt in 1...50 {
            farm.fail("p", 1, "e\(attempt)")
        }
        let texts = farm.logTexts("p", 1)
        #expect(texts.count == capacity + 1)
        #expect(texts.first == "[\(51 - capacity) earlier entries dropped]")
        #expect(Array(texts.dropFirst()) == ((51 - capacity)...50).map { "Error: e\($0)" })
    }

    @Test("A log holds at most logBytesPerFrame: of 200 errors of 60 KiB the newest four stay, the rest dropped and counted")
    func boundedInBytes() throws {
        var farm = Farm()
        farm.start("p", frames: [1])
        let message = { (attempt: Int) in "\(attempt) " + String(repeating: "m", count: 60 * 1024) }
        for attempt in 1...200 {
            farm.fail("p", 1, message(attempt))
        }
        let log = try farm.frame("p", 1).log
        let held = log.entries.reduce(0) { $0 + $1.heldBytes }
        #expect(held <= TrackerLimits().logBytesPerFrame && held > TrackerLimits().logBytesPerFrame - 61 * 1024)
        #expect(log.entries.map(\.event) == (197...200).map { .error(message($0)) })
        #expect(farm.log("p", 1).first == "[197 earlier entries dropped]")
    }

    @Test("The newest entry is kept even when it alone is over logBytesPerFrame")
    func newestEntryKept() {
        var farm = Farm(limits: TrackerLimits(logBytesPerFrame: 100))
        farm.start("p", frames: [1])
        farm.fail("p", 1, String(repeating: "x", count: 500))
        farm.fail("p", 1, "short")
        #expect(farm.logTexts("p", 1) == ["[2 earlier entries dropped]", "Error: short"])
        farm.fail("p", 1, String(repeating: "y", count: 500))
        #expect(farm.logTexts("p", 1) == ["[3 earlier entries dropped]", "Error: " + String(repeating: "y", count: 500)])
    }

    @Test("Progress replacement does not count as dropped entries")
    func replacementNotDropped() {
        var farm = Farm(limits: TrackerLimits(logEntriesPerFrame: 3))
        farm.start("p", frames: [1])
        farm.render("p", 1)
        for percent in 1...50 { farm.progress("p", 1, Double(percent) / 100) }
        let log = farm.log("p", 1)
        #expect(log.count == 3)
        #expect(!log.contains { $0.contains("dropped") })
    }

    @Test("Progress replaces the newest entry even when the ring has wrapped")
    func replacementAfterWrap() {
        var farm = Farm(limits: TrackerLimits(logEntriesPerFrame: 2))
        farm.start("p", frames: [1])
        farm.render("p", 1, job: "2", image: "/i.exr")
        farm.progress("p", 1, 0.1)  // wraps: Waiting dropped
        farm.progress("p", 1, 0.2)
        farm.progress("p", 1, 0.3)
        #expect(farm.logTexts("p", 1) == [
            "[1 earlier entries dropped]",
            "Rendering by job 2, image /i.exr",
            "Rendering 30%",
        ])
    }

    @Test("A message longer than messageBytes is logged with head, tail and a bytes-cut note")
    func longMessageLogged() {
        var farm = Farm(limits: TrackerLimits(messageBytes: 20))
        farm.start("p", frames: [1])
        farm.fail("p", 1, "0123456789" + String(repeating: "-", count: 80) + "abcdefghij")
        #expect(farm.logTexts("p", 1).last == "Error: 0123456789\n[... 80 bytes cut ...]\nabcdefghij")
    }

    @Test("A message within messageBytes is logged whole")
    func shortMessageWhole() {
        var farm = Farm(limits: TrackerLimits(messageBytes: 20))
        farm.start("p", frames: [1])
        farm.fail("p", 1, "12345678901234567890")
        #expect(farm.logTexts("p", 1).last == "Error: 12345678901234567890")
    }

    @Test("Log entries are stored structured, with their own time")
    func structuredEntries() throws {
        var farm = Farm()
        farm.start("p", frames: [1], job: "7")
        farm.advance(2)
        farm.fail("p", 1, "x")
        let entries = try farm.frame("p", 1).log.entries
        #expect(entries == [
            FrameLogEntry(time: newYear2026, event: .waiting(jobID: "7")),
            FrameLogEntry(time: newYear2026.advanced(bySeconds: 2), event: .error("x")),
        ])
    }
}
