import Logging
public import RenderLog
public import RenderTracker
public import RenderTrackerService
import RPC

/// `rendertracker import`: render logs (`serve --record`) replayed in virtual time, each render in
/// them kept as a past render (ending `imported`), so a studio can backfill its history from the
/// logs it recorded before the store existed.
///
/// Every call goes through a `TrackerCore`'s dispatcher at its recorded time, as a replay does, so
/// the imported statistics are the ones the daemon would have kept. Render ids continue the
/// store's event counter (`firstEventID`), so they never collide with live or past renders.
public enum HistoryImport {
    public struct Outcome: Sendable {
        public var renders: [RenderReport] = []
        public var calls = 0
        /// Damaged lines skipped, with where they were.
        public var skipped: [RenderLogError] = []
        /// The event counter after the import: the store's counter moves up to it.
        public var lastEventID: Int
    }

    /// - Parameters:
    ///   - firstEventID: the store's event counter; imported renders take ids after it.
    ///   - skipBad: skip damaged lines (and say so) instead of stopping at the first.
    /// - Throws: `RenderLogError` naming the file and line of the first damaged line (without
    ///   `skipBad`), or of what makes a file unreadable.
    public static func renders(fromLogs paths: [String], firstEventID: Int, skipBad: Bool) throws(RenderLogError) -> Outcome {
        var outcome = Outcome(lastEventID: firstEventID)
        let clock = ManualClock()
        var session: (core: TrackerCore, archive: MemoryStore)?
        /// The renders a session left live become past renders when it ends (a restart header or
        /// the end of the logs), and the next session continues the event counter.
        func endSession() {
            guard let (core, archive) = session else { return }
            let live = core.tracker.read { tracker in tracker.allProjects.map { RenderReport($0, ending: .imported) } }
            let ended = (try? archive.history(limit: .max)) ?? []
            outcome.renders += ended.map { report in
                var report = report
                report.render.ending = .imported
                return report
            } + live
            outcome.lastEventID = core.tracker.read { $0.lastEventID }
            session = nil
        }
        for path in paths {
            let reader = try RenderLogReader(path: path)
            while let item = try reader.next() {
                switch item {
                case .bad(let error, _):
                    guard skipBad else { throw error }
                    outcome.skipped.append(error)
                case .entry(.header, _):
                    endSession()
                case .entry(.call(let call, let time), _):
                    if session == nil {
                        let archive = MemoryStore(maxRenders: .max)
                        let core = TrackerCore(
                            configuration: TrackerConfiguration(), logger: .silent, clock: clock, store: archive,
                            restored: RestoredState(lastEventID: outcome.lastEventID))
                        session = (core, archive)
                    }
                    clock.set(time)
                    _ = session?.core.dispatcher.call(call.method, call.params, client: call.client)
                    outcome.calls += 1
                }
            }
        }
        endSession()
        outcome.renders.sort { $0.render.renderID < $1.render.renderID }
        return outcome
    }
}
