import Prometheus
import RenderTracker
import RenderTrackerService

extension ServerMetrics {
    /// Projects by state and frames by status, read from the tracker at each scrape: one short read
    /// under the lock per scrape instead of a cost on every write.
    func reportTotals(of tracker: SharedTracker) {
        let projects = ProjectState.allCases.map { state in
            (state, registry.makeGauge(descriptor: .named("rendertracker_projects", help: "Projects by state."), labels: [("state", state.rawValue)]))
        }
        let frames = FrameStatus.allCases.map { status in
            (status, registry.makeGauge(descriptor: .named("rendertracker_frames", help: "Frames of every project by status."), labels: [("status", status.metricLabel)]))
        }
        let lastEventID = registry.makeGauge(descriptor: .named("rendertracker_last_event_id", help: "The global event counter (getChangedFrames cursors)."))
        beforeEachScrape {
            let totals = tracker.read { $0.totals }
            for (state, gauge) in projects {
                gauge.set(Int64(totals.projects[state, default: 0]))
            }
            for (status, gauge) in frames {
                gauge.set(Int64(totals.frames[status]))
            }
            lastEventID.set(Int64(totals.lastEventID))
        }
    }
}

extension FrameStatus {
    /// The status name in the form Prometheus labels usually take: `generating_ifd`.
    var metricLabel: String {
        String(name.lowercased().map { $0 == " " ? "_" : $0 })
    }
}
