import Testing
@testable import RenderTracker

@Suite("Timestamp")
struct TimestampTests {
    @Test(
        "iso8601 on known instants",
        arguments: [
            (0.0, "1970-01-01T00:00:00.000Z"),
            (1_767_225_600, "2026-01-01T00:00:00.000Z"),
            (1_709_164_800, "2024-02-29T00:00:00.000Z"),  // leap day
            (1_709_210_096.789, "2024-02-29T12:34:56.789Z"),
            (1_709_251_199.999, "2024-02-29T23:59:59.999Z"),
            (1_709_251_200, "2024-03-01T00:00:00.000Z"),
            (951_868_799, "2000-02-29T23:59:59.000Z"),  // 2000 is a leap year (divisible by 400)
            (951_868_800, "2000-03-01T00:00:00.000Z"),
            (4_107_542_400, "2100-03-01T00:00:00.000Z"),  // 2100 is not: Feb 28 is followed by Mar 1
            (4_107_542_399, "2100-02-28T23:59:59.000Z"),
            (1_735_689_599, "2024-12-31T23:59:59.000Z"),
            (1_735_689_600, "2025-01-01T00:00:00.000Z"),
        ])
    func knownInstants(seconds: Double, text: String) {
        #expect(Timestamp(secondsSince1970: seconds).iso8601 == text)
    }

    @Test(
        "iso8601 before 1970",
        arguments: [
            (-1.0, "1969-12-31T23:59:59.000Z"),
            (-0.5, "1969-12-31T23:59:59.500Z"),
            (-86_400, "1969-12-31T00:00:00.000Z"),
            (-86_401, "1969-12-30T23:59:59.000Z"),
            (-14_182_940, "1969-07-20T20:17:40.000Z"),
            (-2_208_988_800, "1900-01-01T00:00:00.000Z"),
            (-62_135_596_800, "0001-01-01T00:00:00.000Z"),
            (-62_167_219_200, "0000-01-01T00:00:00.000Z"),  // before 0000-03-01: the era below zero
            (-62_162_035_201, "0000-02-29T23:59:59.000Z"),  // year 0 is a leap year
        ])
    func beforeEpoch(seconds: Double, text: String) {
        #expect(Timestamp(secondsSince1970: seconds).iso8601 == text)
    }

    @Test(
        "Milliseconds are written with three digits, sub-millisecond time cut off",
        arguments: [
            (0.001, "1970-01-01T00:00:00.001Z"),
            (0.01, "1970-01-01T00:00:00.010Z"),
            (0.25, "1970-01-01T00:00:00.250Z"),
            (59.9999, "1970-01-01T00:00:59.999Z"),
            (1_767_225_600.123, "2026-01-01T00:00:00.123Z"),
            (1_767_225_600.0009, "2026-01-01T00:00:00.000Z"),
        ])
    func milliseconds(seconds: Double, text: String) {
        #expect(Timestamp(secondsSince1970: seconds).iso8601 == text)
    }

    @Test("A time a whole number of milliseconds after a second is written with those milliseconds")
    func exactMillisecondsNearSmallSeconds() {
        // 1.001 is stored as 1.000999999999999889..., which times 1000 is 1000.9999999999999.
        #expect(Timestamp(secondsSince1970: 1.001).iso8601 == "1970-01-01T00:00:01.001Z")
        #expect(Timestamp(secondsSince1970: 1.003).iso8601 == "1970-01-01T00:00:01.003Z")
    }

    @Test("A ManualClock advanced by whole milliseconds logs those milliseconds")
    func manualClockMilliseconds() {
        let clock = ManualClock()
        for _ in 0..<3 { clock.advance(bySeconds: 0.001) }
        #expect(clock.now().iso8601 == "2026-01-01T00:00:00.003Z")
    }

    @Test("advanced(bySeconds:) and seconds(since:) are inverse")
    func arithmetic() {
        let start = Timestamp(secondsSince1970: 100)
        let later = start.advanced(bySeconds: 42.5)
        #expect(later.secondsSince1970 == 142.5)
        #expect(later.seconds(since: start) == 42.5)
        #expect(start.seconds(since: later) == -42.5)
        #expect(start < later)
    }

    @Test("ManualClock starts at 2026-01-01 and moves only when told")
    func manualClock() {
        let clock = ManualClock()
        #expect(clock.now() == newYear2026)
        #expect(clock.now().iso8601 == "2026-01-01T00:00:00.000Z")
        clock.advance(bySeconds: 90)
        #expect(clock.now().iso8601 == "2026-01-01T00:01:30.000Z")
        clock.set(Timestamp(secondsSince1970: 0))
        #expect(clock.now().iso8601 == "1970-01-01T00:00:00.000Z")
    }

    @Test("The tracker reads its time from the injected clock")
    func trackerUsesClock() throws {
        var farm = Farm(start: Timestamp(secondsSince1970: 951_868_800))
        farm.start("p", frames: [1])
        #expect(try farm.project("p").startedAt == Timestamp(secondsSince1970: 951_868_800))
        #expect(farm.log("p", 1).first?.hasPrefix("2000-03-01T00:00:00.000Z ") == true)
    }

    @Test("SystemClock reads a time after 2025")
    func systemClock() {
        #expect(SystemClock().now().secondsSince1970 > 1_735_689_600)
    }
}
