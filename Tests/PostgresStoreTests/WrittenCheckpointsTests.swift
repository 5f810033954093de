@testable import PostgresStore
import Testing

/// Which part of the shared log a checkpoint lets go: what the newest checkpoint written at least
/// the retention ago covers, by position, and nothing while none is that old.
@Suite("The shared log's pruning")
struct WrittenCheckpointsTests {
    @Test("entries go once a checkpoint covering them is older than the retention, up to the newest such")
    func pruneBound() {
        let start = ContinuousClock.now
        let retention = Duration.seconds(600)
        var written = PostgresStore.WrittenCheckpoints()
        #expect(written.checkpoint(at: 100, now: start, retention: retention) == nil)
        #expect(written.checkpoint(at: 250, now: start + .seconds(300), retention: retention) == nil)
        #expect(written.checkpoint(at: 400, now: start + .seconds(599), retention: retention) == nil)
        // The first is 600 s old now: its position may go, not the later ones'.
        #expect(written.checkpoint(at: 500, now: start + .seconds(600), retention: retention) == 100)
        // Nothing new came due.
        #expect(written.checkpoint(at: 550, now: start + .seconds(650), retention: retention) == nil)
        // A long pause (the lease elsewhere, say): everything old enough at once, the newest bound.
        #expect(written.checkpoint(at: 900, now: start + .seconds(2000), retention: retention) == 550)
        #expect(written.checkpoint(at: 950, now: start + .seconds(2001), retention: retention) == nil)
    }
}
