public import RenderTracker

/// Which renders a write ended or finished, for a store to keep as past renders: every render
/// replaced, removed or evicted, and every live render that just finished (done or failed; kept
/// again, under the same id, if it resumes and finishes anew, and when it is finally replaced).
public enum PastRenderArchive {
    public static func renders(endedBy write: TrackerWrite, in tracker: Tracker) -> [RenderReport] {
        var reports = write.outcome.endedRenders.map { ended in
            RenderReport(ended.project, ending: PastRender.Ending(ended.reason))
        }
        for name in finishedProjects(in: write.outcome) {
            if let project = tracker.project(named: name) {
                reports.append(RenderReport(project, ending: .live))
            }
        }
        return reports
    }

    /// Projects that left the running state with this write.
    public static func finishedProjects(in outcome: TrackerOutcome) -> [String] {
        outcome.events.compactMap { event in
            if case let .projectStateChanged(project, _, to) = event, to != .running { project } else { nil }
        }
    }
}

extension PastRender.Ending {
    public init(_ reason: EndedRender.Reason) {
        switch reason {
        case .replaced: self = .replaced
        case .removed: self = .removed
        case .evicted: self = .evicted
        }
    }
}
