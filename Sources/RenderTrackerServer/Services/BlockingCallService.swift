import NIOPosix
import ServiceLifecycle

/// Threads for RPC calls that block: with a store shared by several daemons (PostgreSQL) each
/// write waits for its place in the shared order, a database round trip or two. Waiting on Swift's
/// cooperative threads (one per core) would let only two writes wait at once on this 2-core
/// machine, and group commit would have nothing to group; on these threads up to `threads` writes
/// wait at once and go to the database in one statement. Stops with the daemon, after the HTTP
/// server has answered its last call.
final class BlockingCallService: Service {
    /// Writes that can wait at once; each waiting write holds a thread (64 KiB of stack in use,
    /// the rest reserved), so 64 is a few MiB.
    static let threads = 64
    let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: Self.threads)
        pool.start()
    }

    func run() async throws {
        // Cancelled or told to stop gracefully: either way the pool goes.
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }
}
