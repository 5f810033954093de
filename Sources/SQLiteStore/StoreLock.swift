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
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StoreError(
                "the store \(String(path.dropLast(5))) is in use by another rendertracker process (\(path) is locked): stop it first, "
                    + "or give this one another --store")
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
