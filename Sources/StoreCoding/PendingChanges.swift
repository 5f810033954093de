package import RenderTracker
import RenderTrackerService

/// What changed since the last checkpoint, noted by name and frame number inside the tracker's
/// lock (a few set inserts per write). Names are keyed by their bytes (`ProjectKey`), as the
/// tracker keys them: `café` written two ways is two projects. The checkpoint reads the current values of exactly these
/// from the tracker, so a frame reported a thousand times between checkpoints is written once.
package struct PendingChanges {
    /// Frames changed, per live project.
    package var frames: [ProjectKey: Set<Int>] = [:]
    /// Projects whose every frame is to be written anew (started, or failed as a whole).
    package var rewritten: Set<ProjectKey> = []
    /// Projects whose stored rows go first (replaced, removed, evicted).
    package var deleted: Set<ProjectKey> = []
    /// Live projects that finished: their render is kept in the history.
    package var finished: Set<ProjectKey> = []
    /// Renders that ended (replaced, removed, evicted), as they were.
    package var ended: [EndedRender] = []
    /// Writes noted.
    package var writes = 0

    package init() {}

    package var isEmpty: Bool { writes == 0 && ended.isEmpty && finished.isEmpty }

    package mutating func note(_ command: TrackerCommand, _ outcome: TrackerOutcome) {
        writes += 1
        for render in outcome.endedRenders {
            let name = ProjectKey(render.project.name)
            deleted.insert(name)
            rewritten.remove(name)
            frames[name] = nil
            finished.remove(name)
            ended.append(render)
        }
        switch command {
        case let .startedRenderProject(project, _, _, _), let .setProjectError(project, _):
            rewritten.insert(ProjectKey(project))
            frames[ProjectKey(project)] = nil
        case let .startedGeneratingFrameIFD(project, frame), let .endedGeneratingFrameIFD(project, frame),
            let .startedFrameRender(project, frame, _, _), let .setFrameRenderFraction(project, frame, _),
            let .setFrameDownloadFraction(project, frame, _), let .setFrameError(project, frame, _):
            if !rewritten.contains(ProjectKey(project)) {
                frames[ProjectKey(project), default: []].insert(frame)
            }
        case .removeProject, .incrementAndGetLastEventID:
            break
        }
        finished.formUnion(PastRenderArchive.finishedProjects(in: outcome).map(ProjectKey.init))
    }

    /// Puts back what a failed checkpoint took, under what was noted since (which is newer).
    package mutating func merge(olderChanges older: PendingChanges) {
        for (name, numbers) in older.frames where !rewritten.contains(name) && !deleted.contains(name) {
            frames[name, default: []].formUnion(numbers)
        }
        for name in older.rewritten where !deleted.contains(name) {
            rewritten.insert(name)
            frames[name] = nil
        }
        deleted.formUnion(older.deleted)
        finished.formUnion(older.finished)
        ended = older.ended + ended
        writes += older.writes
    }
}

/// A checkpoint's worth of values, copied from the tracker inside its lock and written to the store
/// after it.
package struct CheckpointBatch {
    package enum ProjectChange {
        /// Delete the stored rows and write every frame.
        case rewrite(Project)
        /// Update the project's row and these frames.
        case update(ProjectRecord, [Frame])

        /// The frames it writes.
        package var frameCount: Int {
            switch self {
            case .rewrite(let project): project.frameCount
            case .update(_, let frames): frames.count
            }
        }
    }

    package var deleted: Set<ProjectKey>
    package var projects: [ProjectChange] = []
    package var renders: [RenderReportSource] = []
    package var lastEventID: Int
    package var sequence: UInt64

    /// A render to keep in the history, turned into a report outside the lock.
    package struct RenderReportSource {
        package var project: Project
        package var ending: PastRender.Ending
    }

    package init(_ pending: PendingChanges, tracker: Tracker, sequence: UInt64) {
        deleted = pending.deleted
        lastEventID = tracker.lastEventID
        self.sequence = sequence
        for key in pending.rewritten {
            if let project = tracker.project(named: key.name) {
                projects.append(.rewrite(project))
            }
        }
        for (key, numbers) in pending.frames {
            guard let project = tracker.project(named: key.name) else { continue }
            projects.append(.update(project.record, numbers.compactMap { project.frame($0) }))
        }
        renders = pending.ended.map { RenderReportSource(project: $0.project, ending: PastRender.Ending($0.reason)) }
        for key in pending.finished {
            if let project = tracker.project(named: key.name) {
                renders.append(RenderReportSource(project: project, ending: .live))
            }
        }
    }
}
