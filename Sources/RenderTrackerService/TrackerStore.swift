public import RenderTracker

/// Where the tracker's state and past renders are kept: `memory` (gone with the process) or a
/// durable store (SQLite; PostgreSQL, shared by several daemons). Shaped by what the service needs, not by a database:
///
/// - at start, `restore` gives back the live projects and the event counter as they were;
/// - as a stage of the write pipeline (`TrackerObserver`), it is told of every write in event-id
///   order inside the tracker's lock (`trackerDidApply`: note what changed, never block), and
///   again after the lock (`trackerDidFinish`), where it may wait until the write is as durable as
///   it promises: the call is answered only after that;
/// - `tick` runs its background work (writing out, syncing, pruning) as time passes;
/// - `history` and `report` answer for past renders; live renders are the tracker's.
///
/// A store never fails a write: a store in trouble (disk full, database down) keeps the tracker
/// serving from memory and says so in `health`.
public protocol TrackerStore: TrackerObserver {
    /// The live projects and the event counter as the store last knew them; empty for a new store.
    /// - Throws: `StoreError` when the store cannot be read (damaged, unreadable): starting empty
    ///   instead would silently lose every render.
    func restore(limits: TrackerLimits) throws(StoreError) -> RestoredState

    /// Background work, called about every `tickInterval` seconds: write out what changed, sync,
    /// prune past renders. Reads what changed from `tracker`.
    func tick(_ tracker: SharedTracker)

    /// The last work before the process exits (graceful shutdown): everything written out.
    func close(_ tracker: SharedTracker)

    /// A project's past renders, newest first (not its live render, which the tracker has).
    func history(of project: String, limit: Int) throws(StoreError) -> [PastRender]

    /// One past render's report; nil when the store has no render of that id.
    func report(renderID: Int) throws(StoreError) -> RenderReport?

    /// Keeps renders loaded from elsewhere (`rendertracker import`) as past renders, and moves the
    /// event counter up to `lastEventID` so later renders never reuse their ids. Called with the
    /// tracker stopped: after `restore` and `close`.
    func importRenders(_ renders: [RenderReport], lastEventID: Int) throws(StoreError)

    /// Whether writes are reaching the store, and if not, why.
    var health: StoreHealth { get }

    /// What the store is, for logs and `/healthz` (`sqlite:/var/lib/rendertracker/tracker.db`).
    var description: String { get }

    /// The shared order of writes, for a store several daemons share; nil for one daemon's store.
    var sequencer: (any WriteSequencer)? { get }

    /// Whether this daemon does the work done once for all daemons sharing the store (timed
    /// hooks such as stalled frames): always for one daemon's store; for a shared store, the
    /// daemon holding its lease.
    var leadsSharedWork: Bool { get }
}

extension TrackerStore {
    public var sequencer: (any WriteSequencer)? { nil }
    public var leadsSharedWork: Bool { true }
}

/// What a store gives back at start.
public struct RestoredState: Sendable {
    public var projects: [Project]
    public var lastEventID: Int
    /// Writes replayed from the store's journal on top of its last checkpoint.
    public var replayedWrites: Int
    /// Writes the store knows it could not give back (a journal cut short by power loss).
    public var lostWrites: Int
    /// The shots' last finished renders the estimate learns from (`Tracker.shotHistories`).
    public var histories: [ShotHistory]

    public init(projects: [Project] = [], lastEventID: Int = 0, replayedWrites: Int = 0, lostWrites: Int = 0, histories: [ShotHistory] = []) {
        self.histories = histories
        self.projects = projects
        self.lastEventID = lastEventID
        self.replayedWrites = replayedWrites
        self.lostWrites = lostWrites
    }
}

/// A store's state as `/healthz`, `/metrics` and the log report it.
public struct StoreHealth: Sendable, Equatable {
    /// Nil while every write reaches the store; else what is wrong (`disk full writing ...`).
    public var problem: String?
    /// Writes the tracker applied that the store has not made durable yet.
    public var pendingWrites: Int
    /// Bytes the store's files take on disk (0 for memory).
    public var bytesOnDisk: Int

    public init(problem: String? = nil, pendingWrites: Int = 0, bytesOnDisk: Int = 0) {
        self.problem = problem
        self.pendingWrites = pendingWrites
        self.bytesOnDisk = bytesOnDisk
    }

    public var isDegraded: Bool { problem != nil }
}

/// Why a store could not be opened or read, naming the store and the way out.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
