public import RenderTracker
public import RPC

/// One event-stream message (the server's `EventStream`): what changed after a stream's cursor,
/// read in one go under the tracker's lock so that its parts and its `event_id` describe the same
/// moment. Its parts are the RPC methods' own answers, so a page applies them with the code it
/// uses for RPC. The summaries' estimates come from the estimate seam (`TimeLeft`), resolved
/// after the lock, so the page shows the estimate `getProjectSummary` answers.
public struct ChangeBatch: Sendable {
    /// The most project summaries one batch carries; the rest follow in the next batches, sent at
    /// once (`morePast`). A summary is about 390 bytes of JSON, so 100,000 projects made a first
    /// batch of 39 MB, built and held at once for each stream; pages of 1,000 are about 390 KB,
    /// and each holds the tracker's lock for 1,000 summaries only.
    public static let maxProjectsPerBatch = 1000

    /// The event counter when read: the stream's next cursor, and the SSE `id`.
    public var eventID: Int
    /// Every project name, sorted; nil when the stream already sent this list.
    public var projectNames: [String]?
    /// The summary of each project changed after the cursor (every project when the cursor is 0
    /// or ahead of the counter) and named after `after`, in name order, at most
    /// `maxProjectsPerBatch`; `projects` resolves their estimates.
    private var summaries: [PendingSummary]
    /// The last name summarised when more summaries remain for the next batch; nil when none do.
    public var morePast: String?
    /// `getChangedFrames(project, cursor)` for the followed project; nil when it has nothing new.
    public var changes: RPCValue?
    /// Whether the followed project exists, so that its disappearance is sent once.
    public var projectExists: Bool

    /// What changed after `cursor`, for a stream that last sent `sentNames` and last saw the
    /// followed project existing or not (`projectExisted`, nil before the first batch).
    /// Call it inside `SharedTracker.read`.
    /// - Parameters:
    ///   - after: summarise only projects named after this one (bytewise), for the next page of
    ///     a batch that had more (`morePast`); nil from the first name.
    ///   - framesSince: the followed project's frames changed after this event id (the stream's
    ///     frames move on while its summaries are paged); nil: `cursor`.
    public init(
        tracker: Tracker, since cursor: Int, after: String? = nil, framesSince: Int? = nil, following project: String?, sentNames: [String]?,
        projectExisted: Bool?, timeLeft: TimeLeft
    ) {
        eventID = tracker.lastEventID
        let names = tracker.projectNames
        projectNames = sentNames.map { ProjectKey.sameNames(names, $0) } == true ? nil : names
        let everything = cursor <= 0 || cursor > tracker.lastEventID
        // Names are sorted by bytes: a page starts just past the last name of the one before.
        let start = after.map { ProjectKey.indexAfter($0, in: names) } ?? names.startIndex
        summaries = []
        morePast = nil
        var lastName: String?
        for name in names[start...] {
            // Filter on the event id first: a summary computes the project's estimate.
            guard everything || (tracker.project(named: name)?.lastEventID ?? 0) > cursor else { continue }
            guard summaries.count < Self.maxProjectsPerBatch else {
                morePast = lastName
                break
            }
            if let summary = timeLeft.take(name, in: tracker) {
                summaries.append(summary)
                lastName = name
            }
        }
        projectExists = project.map { tracker.project(named: $0) != nil } ?? false
        changes = nil
        if let project {
            let changed = tracker.changedFrames(in: project, since: framesSince ?? cursor)
            // An unknown project answers "reset, no frames" to every cursor: send that once.
            let news = !changed.frames.isEmpty || changed.reset && (projectExists || projectExisted != false)
            changes = news ? RenderTrackerMethods.wire(changed) : nil
        }
    }

    /// Nothing worth a message (the counter may still have moved).
    public var isEmpty: Bool {
        projectNames == nil && summaries.isEmpty && changes == nil
    }

    /// `getProjectSummary` of each changed project. Call it after the tracker's lock is
    /// released: a plugin estimator runs here.
    public func projects() -> [RPCValue] {
        summaries.map { RenderTrackerMethods.wire($0.resolved()) }
    }
}
