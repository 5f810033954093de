#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import RenderTrackerService

/// One process at a time on a store: two daemons (or a daemon and `rendertracker import`)
/// writing one journal would corrupt it. An exclusive `flock` on `<store>.lock`, released by the
/// kernel when the process ends, however it ends.
final class StoreLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws(StoreError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError("cannot open \(path): \(String(cString: strerror(errno))); is the store's folder writable by this user?")
        }
        if let failure = Self.lock(descriptor) {
            close(descriptor)
            guard failure == EWOULDBLOCK else {
                throw StoreError("cannot lock \(path): \(String(cString: strerror(failure)))")
            }
            throw StoreError(
                "the store \(String(path.dropLast(5))) is in use by another rendertracker process (\(path) is locked): stop it first, "
                    + "or give this one another --store")
        }
        self.descriptor = descriptor
    }

    /// How long a held lock is retried before the store counts as in use.
    static let patience: Duration = .milliseconds(500)

    /// Takes the lock, retrying for `patience` while it is held. The holder may be this process
    /// itself: a child being started by any thread holds a copy of every descriptor from its fork
    /// to its exec (`O_CLOEXEC` closes them only at the exec), so a store closed and opened again
    /// in one process can find its old lock still held for that moment. CI saw it once in 705
    /// tests, where other tests start processes all the time; closing and opening a lock 173,103
    /// times in 10 s while three threads spawned `/bin/true` found it held 16 times. A second
    /// rendertracker on the store holds it for good and is still refused, half a second later.
    /// Returns nil when taken, else the `errno` of the last try.
    private static func lock(_ descriptor: Int32) -> Int32? {
        let deadline = ContinuousClock.now + patience
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            guard failure == EWOULDBLOCK || failure == EINTR, ContinuousClock.now < deadline else { return failure }
            usleep(10_000)
        }
        return nil
    }

    deinit {
        close(descriptor)
    }
}
