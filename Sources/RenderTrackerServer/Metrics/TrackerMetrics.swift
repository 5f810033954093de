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

extension ServerMetrics {
    /// The store's health at each scrape: degraded (1) or not, writes not yet durable, bytes on disk.
    func reportStore(_ store: any TrackerStore) {
        let degraded = registry.makeGauge(
            descriptor: .named("rendertracker_store_degraded", help: "1 while writes are not reaching the store (see /healthz for why)."))
        let pending = registry.makeGauge(
            descriptor: .named("rendertracker_store_pending_writes", help: "Writes applied since the store's last checkpoint."))
        let bytes = registry.makeGauge(descriptor: .named("rendertracker_store_bytes", help: "Bytes the store's files take on disk."))
        beforeEachScrape {
            let health = store.health
            degraded.set(Int64(health.isDegraded ? 1 : 0))
            pending.set(Int64(health.pendingWrites))
            bytes.set(Int64(health.bytesOnDisk))
        }
    }
}

extension FrameStatus {
    /// The status name in the form Prometheus labels usually take: `generating_ifd`.
    var metricLabel: String {
        String(name.lowercased().map { $0 == " " ? "_" : $0 })
    }
}
