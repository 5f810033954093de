public import RenderTracker
import Synchronization

/// The store that keeps nothing beyond the process (`--store memory`): a restart starts empty.
/// Past renders are kept in memory, the newest `maxRenders` of them, for `getRenderHistory` and
/// `getRenderReport` while the process lives; scenarios and replays use it.
public final class MemoryStore: TrackerStore {
    /// Past renders kept; the oldest leave first. A report holds a line per frame (about 150
    /// bytes), so 1,000 renders of 1,000 frames are about 150 MB at most.
    public let maxRenders: Int
    private let renders = Mutex<[Int: RenderReport]>([:])

    public init(maxRenders: Int = 1_000) {
        self.maxRenders = maxRenders
    }

    public var description: String { "memory" }
    public var health: StoreHealth { StoreHealth() }

    public func restore(limits: TrackerLimits) throws(StoreError) -> RestoredState { RestoredState() }

    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        let finished = PastRenderArchive.renders(endedBy: write, in: tracker)
        guard !finished.isEmpty else { return }
        renders.withLock { renders in
            for report in finished {
                renders[report.render.renderID] = report
            }
            if renders.count > maxRenders {
                for id in renders.keys.sorted().prefix(renders.count - maxRenders) {
                    renders.removeValue(forKey: id)
                }
            }
        }
    }

    public func tick(_ tracker: SharedTracker) {}
    public func close(_ tracker: SharedTracker) {}

    public func history(of project: String, limit: Int) throws(StoreError) -> [PastRender] {
        let all = renders.withLock { renders in renders.values.filter { ProjectKey($0.render.project) == ProjectKey(project) }.map(\.render) }
        return Array(all.sorted { $0.renderID > $1.renderID }.prefix(limit))
    }

    public func report(renderID: Int) throws(StoreError) -> RenderReport? {
        renders.withLock { $0[renderID] }
    }

    /// Every past render kept, newest first, at most `limit`.
    public func history(limit: Int) throws(StoreError) -> [RenderReport] {
        Array(renders.withLock { Array($0.values) }.sorted { $0.render.renderID > $1.render.renderID }.prefix(limit))
    }

    public func importRenders(_ imported: [RenderReport], lastEventID: Int) throws(StoreError) {
        renders.withLock { renders in
            for report in imported {
                renders[report.render.renderID] = report
            }
        }
    }
}
