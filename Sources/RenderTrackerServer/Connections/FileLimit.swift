#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files (`RLIMIT_NOFILE`), which bounds its connections: every
/// connection is a file. systemd starts services with a soft limit of 1,024 unless the unit says
/// otherwise, and 1,100 idle sockets then stopped the daemon accepting anything.
public enum FileLimit {
    /// Files kept for what is not a connection: the listening socket, the event loops' own
    /// descriptors, the store's database, WAL and journal segments, the render log, plugins'
    /// webhooks and programs. The daemon uses about 20 of them when idle.
    public static let headroom = 128

    /// Raises the soft limit to the hard limit (as far as the kernel's `fs.nr_open` allows when the
    /// hard limit is unlimited), so that `serve` gets the connections its unit allows.
    /// - Returns: the soft limit before and after; nil when the limit could not be read.
    public static func raiseToHard() -> (was: Int, now: Int)? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        let was = limit.rlim_cur
        let ceiling = limit.rlim_max == rlim_t.max ? kernelMaximum : limit.rlim_max  // rlim_t.max is RLIM_INFINITY
        if was < ceiling {
            limit.rlim_cur = ceiling
            if setrlimit(resource, &limit) != 0 {
                limit.rlim_cur = was
            }
        }
        return (Int(clamping: was), Int(clamping: limit.rlim_cur))
    }

    /// The soft limit now; nil when it could not be read.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// The most connections the default allows whatever the file limit: an idle connection holds
    /// about 13 KB (1,100 idle sockets grew a debug build by 14 MB), so 16,384 hold about 210 MB.
    /// A 4,000-node farm keeps one connection per running job (the drop-in module's kept-alive
    /// `ServerProxy`): four jobs on every node fit, and past the limit an idle connection is
    /// closed to make room (`ConnectionLimit`), which its client reopens by itself.
    public static let defaultMaxConnectionsCeiling = 16_384

    /// The default connection limit for a file limit: all of it but `headroom` (at least 16), at
    /// most `defaultMaxConnectionsCeiling`.
    public static func maxConnections(forFileLimit files: Int) -> Int {
        min(defaultMaxConnectionsCeiling, max(16, files - headroom))
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    /// Linux's ceiling on any process's open files (`/proc/sys/fs/nr_open`, 1,048,576 by default).
    private static var kernelMaximum: rlim_t {
        let fallback: rlim_t = 1 << 20
        let descriptor = open("/proc/sys/fs/nr_open", O_RDONLY)
        guard descriptor >= 0 else { return fallback }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(descriptor, &bytes, bytes.count)
        guard count > 0 else { return fallback }
        return rlim_t(String(decoding: bytes[..<count], as: UTF8.self).prefix(while: \.isNumber)) ?? fallback
    }
}
