import Testing
@testable import RenderTracker

/// A store keeps projects as `ProjectRecord` plus every frame's fields; `Project(restoring:frames:)`
/// must rebuild a project that answers every read exactly as the original did.
@Suite("Restoring projects from a store's values")
struct RestoreTests {
    /// A render with every kind of frame: done, rendering, downloading, in error, retried, waiting.
    static func busyFarm() -> Farm {
        var farm = Farm(limits: TrackerLimits(logEntriesPerFrame: 3))
        farm.start("p", frames: Array(1...8))
        for frame in 1...6 {
            farm.render("p", frame, image: "/r/\(frame).exr")
            farm.advance(Double(frame * 10))
            farm.progress("p", frame, 0.5)
        }
        farm.progress("p", 1, 1)
        farm.progress("p", 2, 1)
        farm.download("p", 2, 0.4)
        farm.fail("p", 3, "Error: cannot allocate 12.6 GB")
        farm.render("p", 3, image: "/r/3b.exr")
        farm.fail("p", 4, "node lost")
        // Frame 5 reports often enough to wrap its 3-entry log ring.
        for step in 1...5 {
            farm.advance(1)
            farm.progress("p", 5, 0.5 + Double(step) / 20)
            farm.apply(.startedGeneratingFrameIFD(project: "p", frame: 5))
        }
        farm.render("p", 5)
        return farm
    }

    static func restored(_ project: Project) -> Project {
        // In another order than the project keeps them, as a database may return them.
        Project(restoring: project.record, frames: project.allFrames.reversed())
    }

    @Test("every read answers the same after a restore")
    func readsMatch() throws {
        let farm = Self.busyFarm()
        let original = try farm.project("p")
        let copy = Self.restored(original)
        #expect(copy.record == original.record)
        #expect(copy.snapshotsInOrder == original.snapshotsInOrder)
        #expect(copy.statusCounts == original.statusCounts)
        #expect(copy.state == original.state)
        for cursor in [0, 3, original.createdEventID + 5, original.lastEventID - 2, original.lastEventID] {
            #expect(copy.snapshots(changedAfter: cursor) == original.snapshots(changedAfter: cursor), "cursor \(cursor)")
        }
        #expect(copy.framesInFlight.map(\.number).sorted() == original.framesInFlight.map(\.number).sorted())
        for frame in original.framesInOrder {
            let restored = try #require(copy.frame(frame.number))
            #expect(restored.logLines == frame.logLines, "frame \(frame.number)")
            #expect(restored.attempts == frame.attempts && restored.machineSeconds == frame.machineSeconds)
            #expect(restored.renderSeconds == frame.renderSeconds && restored.imagePath == frame.imagePath)
            #expect(restored.failedOn == frame.failedOn)
        }
        let now = farm.clock.now()
        #expect(BuiltInTimeLeftEstimator().secondsLeft(for: copy, at: now) == BuiltInTimeLeftEstimator().secondsLeft(for: original, at: now))
    }

    @Test("a restored project goes on exactly as the original: same events, logs and event ids")
    func writesAfterARestoreMatch() throws {
        var farm = Self.busyFarm()
        let project = try farm.project("p")
        var twin = Tracker(
            restoring: [Self.restored(project)], lastEventID: farm.tracker.lastEventID, clock: farm.clock,
            limits: TrackerLimits(logEntriesPerFrame: 3))
        let commands: [TrackerCommand] = [
            .setFrameRenderFraction(project: "p", frame: 5, fraction: 0.9), .setFrameRenderFraction(project: "p", frame: 5, fraction: 1),
            .startedFrameRender(project: "p", frame: 7, jobID: "9", imagePath: "/r/7.exr"), .setFrameError(project: "p", frame: 6, message: "x"),
            .setFrameDownloadFraction(project: "p", frame: 2, fraction: 1), .incrementAndGetLastEventID,
        ]
        for command in commands {
            farm.advance(3)
            let expected = farm.apply(command)
            let got = twin.apply(command)
            #expect(got.events == expected.events && got.lastEventID == expected.lastEventID, "\(command)")
        }
        let after = try farm.project("p")
        let twinProject = try #require(twin.project(named: "p"))
        #expect(twinProject.record == after.record)
        #expect(twinProject.snapshots(changedAfter: project.lastEventID) == after.snapshots(changedAfter: project.lastEventID))
        for frame in after.framesInOrder {
            #expect(twinProject.frame(frame.number)?.logLines == frame.logLines, "frame \(frame.number)")
        }
    }

    @Test("a wrapped frame log and a full sample ring keep their order and their dropped count")
    func ringsRoundTrip() {
        var log = FrameLog()
        let start = Timestamp(secondsSince1970: 0)
        for index in 0..<7 {
            log.record(FrameLogEntry(time: start.advanced(bySeconds: Double(index)), event: .error("e\(index)")), limits: TrackerLimits(logEntriesPerFrame: 3))
        }
        var copy = FrameLog(entries: log.entries, droppedCount: log.droppedCount)
        #expect(copy.entries == log.entries && copy.droppedCount == 4)
        for index in 7..<9 {
            let entry = FrameLogEntry(time: start.advanced(bySeconds: Double(index)), event: .error("e\(index)"))
            log.record(entry, limits: TrackerLimits(logEntriesPerFrame: 3))
            copy.record(entry, limits: TrackerLimits(logEntriesPerFrame: 3))
        }
        #expect(copy.entries == log.entries && copy.entries.map(\.event) == [.error("e6"), .error("e7"), .error("e8")])

        // A log the byte limit trimmed goes on dropping the same entries once restored.
        let limits = TrackerLimits(logBytesPerFrame: 3 * FrameLogEntry(time: start, event: .error("0123456789")).heldBytes)
        var bounded = FrameLog()
        for index in 0..<5 {
            bounded.record(FrameLogEntry(time: start, event: .error("\(index)123456789")), limits: limits)
        }
        var restoredLog = FrameLog(entries: bounded.entries, droppedCount: bounded.droppedCount)
        #expect(restoredLog.entries.count == 3 && restoredLog.droppedCount == 2)
        let entry = FrameLogEntry(time: start, event: .error("5123456789"))
        bounded.record(entry, limits: limits)
        restoredLog.record(entry, limits: limits)
        #expect(restoredLog.entries == bounded.entries && restoredLog.droppedCount == 3)

        var samples = RecentSamples(capacity: 4)
        for value in 1...6 { samples.add(Double(value)) }
        var restored = RecentSamples(capacity: 4, inOrder: samples.inOrder)
        #expect(restored.inOrder == [3, 4, 5, 6] && restored.mean == samples.mean)
        samples.add(7)
        restored.add(7)
        #expect(restored.inOrder == samples.inOrder && restored.oldest == samples.oldest && restored.newest == samples.newest)
    }
}

@Suite("What a render report counts")
struct RenderAccountingTests {
    @Test("attempts, the machine, the successful render's time and machine time over every attempt")
    func frameAccounting() throws {
        var farm = Farm()
        farm.start("p", frames: [1, 2])
        _ = farm.tracker.apply(.startedFrameRender(project: "p", frame: 1, jobID: "1", imagePath: "/i"), from: "10.0.0.1")
        farm.advance(30)
        farm.fail("p", 1, "boom")
        _ = farm.tracker.apply(.startedFrameRender(project: "p", frame: 1, jobID: "2", imagePath: "/i"), from: "10.0.0.2")
        farm.advance(40)
        farm.progress("p", 1, 1)
        let frame = try farm.frame("p", 1)
        #expect(frame.attempts == 2 && frame.machine == "10.0.0.2" && frame.failedOn == ["10.0.0.1"])
        #expect(frame.renderSeconds == 40 && frame.machineSeconds == 70)

        // A rerun after silence (a lost machine) counts as an attempt; its lost time is machine time.
        _ = farm.tracker.apply(.startedFrameRender(project: "p", frame: 2, jobID: "3", imagePath: "/j"), from: "10.0.0.3")
        farm.advance(10)
        farm.progress("p", 2, 0.5)
        farm.advance(Tracker.silenceBeforeRerunSeconds)
        _ = farm.tracker.apply(.startedFrameRender(project: "p", frame: 2, jobID: "4", imagePath: "/j"), from: "10.0.0.4")
        farm.advance(20)
        farm.progress("p", 2, 1)
        let rerun = try farm.frame("p", 2)
        #expect(rerun.attempts == 2 && rerun.machine == "10.0.0.4" && rerun.renderSeconds == 20 && rerun.machineSeconds == 30)

        let report = RenderReport(try farm.project("p"), ending: .live)
        #expect(report.retries == 2 && report.frameTimes == [20, 40] && report.render.renderSeconds == 100)
        #expect(report.frameTime(percentile: 0.5) == 20 && report.frameTime(percentile: 1) == 40)
        #expect(report.slowestFrames(1).map(\.number) == [1])
        // The failure retried elsewhere still counts against the machine it happened on.
        #expect(report.failuresByMachine.map { "\($0.machine)=\($0.failures)" } == ["10.0.0.1=1"])
    }

    @Test("past the live-project limit, finished projects leave first, then the longest silent")
    func eviction() throws {
        var farm = Farm(limits: TrackerLimits(maxLiveProjects: 2))
        farm.start("done-early", frames: [1])
        farm.render("done-early", 1)
        farm.progress("done-early", 1, 1)
        farm.advance(1)
        farm.start("running", frames: [1])
        farm.advance(1)
        let third = farm.start("new", frames: [1])
        #expect(third.endedRenders.map(\.project.name) == ["done-early"] && third.endedRenders.first?.reason == .evicted)
        #expect(third.events.contains(.projectEvicted(project: "done-early")))
        farm.advance(1)
        farm.progress("new", 1, 0.5)
        let fourth = farm.apply(.setFrameRenderFraction(project: "implicit", frame: 1, fraction: 0.1))
        #expect(fourth.endedRenders.map(\.project.name) == ["running"])
        #expect(farm.tracker.projectNames == ["implicit", "new"])
    }

    @Test("times read back from ISO-8601 as written")
    func isoRoundTrip() {
        for seconds in [0.0, 1_767_225_600.123, 951_782_400.5, 4_102_444_799.999, -86_400.25] {
            let time = Timestamp(secondsSince1970: seconds)
            let back = Timestamp(iso8601: time.iso8601)
            #expect(back.map { abs($0.secondsSince1970 - seconds) < 0.0005 } == true, "\(time.iso8601)")
        }
        #expect(Timestamp(iso8601: "2026-01-01T00:00:00Z")?.secondsSince1970 == 1_767_225_600)
        for bad in ["", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00", "yesterday"] {
            #expect(Timestamp(iso8601: bad) == nil, "\(bad)")
        }
    }
}
