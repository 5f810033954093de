import RenderTrackerService
import Testing

/// The event streams' slots: at most `maxStreams` in all and `maxStreamsPerClient` per address.
@Suite("Change feed stream slots")
struct ChangeFeedTests {
    @Test("one address gets eight slots; the ninth is refused while other addresses are served")
    func perClient() {
        let feed = ChangeFeed()
        for _ in 0..<ChangeFeed.maxStreamsPerClient {
            #expect(feed.openStream(for: "10.0.0.1"))
        }
        #expect(feed.refusal(for: "10.0.0.1") == .clientFull)
        #expect(!feed.openStream(for: "10.0.0.1"))
        #expect(feed.refusal(for: "10.0.0.2") == nil)
        feed.closeStream(for: "10.0.0.1")
        #expect(feed.openStream(for: "10.0.0.1"), "a slot given back is free again")
    }

    @Test("64 in all, whatever the addresses; shutting down refuses everyone")
    func global() {
        let feed = ChangeFeed()
        for index in 0..<ChangeFeed.maxStreams {
            #expect(feed.openStream(for: "10.0.\(index / ChangeFeed.maxStreamsPerClient).1"))
        }
        #expect(feed.refusal(for: "10.1.0.1") == .full)
        feed.closeStream(for: "10.0.0.1")
        #expect(feed.refusal(for: "10.1.0.1") == nil)
        feed.shutDown()
        #expect(feed.refusal(for: "10.1.0.1") == .shuttingDown)
    }

    @Test("a wake without a write ends a wait that started before it, and one about to start", .timeLimit(.minutes(1)))
    func wakes() async {
        let feed = ChangeFeed()
        let version = feed.version
        async let woken: Void = feed.waitForChange(after: version)
        try? await Task.sleep(for: .milliseconds(50))
        feed.wakeStreams()
        await woken
        await feed.waitForChange(after: version)  // returns at once: the wake counted
    }
}
