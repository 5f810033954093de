#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wall-clock instant, in seconds since 1970-01-01T00:00:00Z.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var secondsSince1970: Double

    public init(secondsSince1970: Double) {
        self.secondsSince1970 = secondsSince1970
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// Seconds from `earlier` to `self`.
    public func seconds(since earlier: Timestamp) -> Double {
        secondsSince1970 - earlier.secondsSince1970
    }

    public func advanced(bySeconds seconds: Double) -> Timestamp {
        Timestamp(secondsSince1970: secondsSince1970 + seconds)
    }

    /// ISO-8601 in UTC with milliseconds, e.g. `2026-11-24T23:42:26.123Z`.
    /// Written out by hand: the model stays free of Foundation, and logs format many of these.
    public var iso8601: String {
        guard secondsSince1970.isFinite, abs(secondsSince1970) < 1e12 else { return "invalid-time" }
        // Round to microseconds first: 1.001 is stored as 1.000999..., which must still read .001.
        let micros = Int64((secondsSince1970 * 1e6).rounded())
        let totalMillis = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        let millisPerDay: Int64 = 86_400_000
        var days = totalMillis / millisPerDay
        var millisOfDay = totalMillis % millisPerDay
        if millisOfDay < 0 {
            millisOfDay += millisPerDay
            days -= 1
        }
        let (year, month, day) = Self.civilDate(daysSince1970: days)
        let hour = millisOfDay / 3_600_000
        let minute = millisOfDay / 60_000 % 60
        let second = millisOfDay / 1000 % 60
        let millis = millisOfDay % 1000
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
            + "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2)).\(Self.pad(millis, 3))Z"
    }

    /// Proleptic Gregorian date of a day count, by 400-year eras (each era is exactly 146,097 days).
    private static func civilDate(daysSince1970: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSince1970 + 719_468  // days since 0000-03-01, so leap days fall at the end of a year
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// Where the tracker reads the time. Injected so tests and replays run in virtual time.
public protocol TrackerClock: Sendable {
    func now() -> Timestamp
}

/// The real wall clock.
public struct SystemClock: TrackerClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(secondsSince1970: Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9)
    }
}
