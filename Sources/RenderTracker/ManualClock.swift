import Synchronization

/// A clock that moves only when told to: for tests and for replaying renders in virtual time.
public final class ManualClock: TrackerClock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp = Timestamp(secondsSince1970: 1_767_225_600)) {  // 2026-01-01T00:00:00Z
        current = Mutex(start)
    }

    public func now() -> Timestamp {
        current.withLock { $0 }
    }

    public func advance(bySeconds seconds: Double) {
        current.withLock { $0 = $0.advanced(bySeconds: seconds) }
    }

    public func set(_ time: Timestamp) {
        current.withLock { $0 = time }
    }
}
