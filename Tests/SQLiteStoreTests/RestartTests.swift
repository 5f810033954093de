import Foundation
import Logging
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// A restart gives back everything a client could see: projects, every frame's fields and log,
/// the event counter (old monitor cursors keep working), the estimate. Whether the writes reached
/// a checkpoint, only the journal, or some of each.
@Suite("SQLite store: restart")
struct RestartTests {
    /// A night's render as farm clients report it, with every kind of write: IFDs, renders from
    /// several machines, downloads, frame and project errors, a message past the size limit, a
    /// frame whose log overflows, a project created implicitly, a removal, a re-render and the
    /// bare event counter.
    enum Night {
        static let limits = TrackerLimits(logEntriesPerFrame: 6, messageBytes: 256)
        static let shot = "anna/sh010_fx"
        static let longMessage = "mantra: " + String(repeating: "Unable to load texture /textures/rock_diffuse.rat; ", count: 8)

        static func render(_ frame: Int) -> [RPCValue] {
            [.string(shot), .int(frame), .string("4711"), .string("/renders/sh010/fx.\(frame).exr")]
        }

        static func fraction(_ frame: Int, _ value: Double) -> [RPCValue] {
            [.string(shot), .int(frame), .double(value)]
        }

        static var firstHalf: [Call] {
            var calls = [Call(0, "startedRenderProject", [.string(shot), frames(1...12), .bool(true), .string("4711")], from: "10.0.0.50")]
            for frame in 1...4 {
                calls.append(Call(1, "startedGeneratingFrameIFD", [.string(shot), .int(frame)]))
                calls.append(Call(2, "endedGeneratingFrameIFD", [.string(shot), .int(frame)]))
            }
            for frame in 1...4 {
                calls.append(Call(10, "startedFrameRender", render(frame), from: "10.0.0.\(frame)"))
            }
            for frame in 1...4 {
                calls.append(Call(20, "setFrameRenderFraction", fraction(frame, 0.25), from: "10.0.0.\(frame)"))
                calls.append(Call(30, "setFrameRenderFraction", fraction(frame, 0.5), from: "10.0.0.\(frame)"))
            }
            calls += [
                Call(40, "setFrameRenderFraction", fraction(1, 1), from: "10.0.0.1"),
                Call(41, "setFrameRenderFraction", fraction(2, 1), from: "10.0.0.2"),
                Call(43, "setFrameRenderFraction", fraction(3, 1), from: "10.0.0.3"),
                Call(45, "setFrameError", [.string(shot), .int(4), .string(longMessage)], from: "10.0.0.4"),
                Call(50, "startedFrameRender", render(5), from: "10.0.0.5"),
                Call(50, "startedFrameRender", render(6), from: "10.0.0.6"),
                Call(55, "setFrameRenderFraction", fraction(5, 0.3), from: "10.0.0.5"),
            ]
            // Frame 7 fails again and again: its log overflows the 6 entries kept.
            for attempt in 0..<4 {
                calls.append(Call(56 + Double(attempt) * 2, "startedFrameRender", render(7), from: "10.0.0.7"))
                calls.append(Call(57 + Double(attempt) * 2, "setFrameError", [.string(shot), .int(7), .string("segfault \(attempt)")], from: "10.0.0.7"))
            }
            calls += [
                Call(65, "startedRenderProject", [.string("bob/fx"), frames(1...3), .bool(false), .string("88")], from: "10.0.0.51"),
                Call(66, "startedFrameRender", [.string("bob/fx"), .int(1), .string("88"), .string("/r/bob.1.exr")], from: "10.0.0.8"),
                Call(68, "setFrameRenderFraction", [.string("bob/fx"), .int(1), .double(1)], from: "10.0.0.8"),
                Call(70, "setProjectError", [.string("bob/fx"), .string("license server down")], from: "10.0.0.51"),
                Call(75, "setFrameRenderFraction", [.string("carl/lost"), .int(7), .double(0.5)], from: "10.0.0.9"),
                Call(76, "startedRenderProject", [.string("dave/tmp"), frames(1...2), .bool(false), .string("99")], from: "10.0.0.52"),
                Call(77, "removeProject", [.string("dave/tmp")], from: "10.0.0.52"),
                Call(78, "incrementAndGetLastEventId", []),
                Call(80, "setFrameDownloadFraction", fraction(6, 0.4), from: "10.0.0.6"),
            ]
            return calls
        }

        static var secondHalf: [Call] {
            var calls: [Call] = []
            for frame in 8...10 {
                calls.append(Call(100, "startedFrameRender", render(frame), from: "10.0.0.\(frame)"))
                calls.append(Call(110, "setFrameRenderFraction", fraction(frame, 0.5), from: "10.0.0.\(frame)"))
            }
            calls += [
                Call(120, "setFrameRenderFraction", fraction(5, 1), from: "10.0.0.5"),
                Call(121, "startedFrameRender", render(7), from: "10.0.0.7"),
                Call(122, "setFrameError", [.string(shot), .int(7), .string("segfault 4")], from: "10.0.0.7"),
                Call(125, "setFrameDownloadFraction", fraction(6, 1), from: "10.0.0.6"),
                Call(130, "startedRenderProject", [.string("bob/fx"), frames(1...4), .bool(false), .string("89")], from: "10.0.0.51"),
                Call(131, "incrementAndGetLastEventId", []),
                Call(132, "setFrameRenderFraction", [.string("carl/lost"), .int(8), .double(0.25)], from: "10.0.0.9"),
                Call(135, "startedFrameRender", render(11), from: "10.0.0.11"),
            ]
            return calls
        }

        /// After the restart: the same project goes on.
        static var afterRestart: [Call] {
            [
                Call(150, "startedFrameRender", render(7), from: "10.0.0.7"),
                Call(151, "setFrameError", [.string(shot), .int(7), .string("segfault 5")], from: "10.0.0.7"),
                Call(152, "setFrameRenderFraction", fraction(8, 1), from: "10.0.0.8"),
                Call(153, "startedFrameRender", render(12), from: "10.0.0.12"),
                Call(154, "setFrameRenderFraction", fraction(9, 0.75), from: "10.0.0.9"),
                Call(155, "incrementAndGetLastEventId", []),
            ]
        }

        /// When the trackers are compared: after the last write of the first life.
        static let restartTime = startOfTime.advanced(bySeconds: 140)
        static let secondRestartTime = startOfTime.advanced(bySeconds: 160)
    }

    enum Durability: String, CaseIterable, CustomTestStringConvertible {
        /// Every write reached a checkpoint; the journal is empty.
        case checkpointed
        /// No checkpoint: every write is only in the journal (the daemon was killed).
        case journalOnly
        /// A checkpoint, then more writes only in the journal.
        case mixed

        var testDescription: String { rawValue }
    }

    @Test("a restart gives back every project, frame, log line, cursor answer and estimate", arguments: Durability.allCases)
    func restoresEverything(durability: Durability) throws {
        let folder = TemporaryFolder()
        let reference = ReferenceTracker(limits: Night.limits)
        reference.core.make(Night.firstHalf + Night.secondHalf, clock: reference.clock)
        reference.clock.set(Night.restartTime)
        // The night covers what it claims to: a log past its limit, a clipped message, an
        // implicit project, a removal, evidence for the estimate.
        let names = reference.core.tracker.read { $0.projectNames }
        #expect(names == ["anna/sh010_fx", "bob/fx", "carl/lost"])
        reference.core.tracker.read { tracker in
            guard let shot = tracker.project(named: Night.shot) else { return }
            #expect(shot.frame(7)?.logLines.first?.hasPrefix("[") == true, "frame 7's log dropped entries")
            #expect((shot.frame(4)?.errorMessage?.utf8.count ?? 0) < Night.longMessage.utf8.count, "frame 4's message was clipped")
            #expect(shot.frame(6)?.downloadStartedAt != nil && shot.frame(6)?.status == .done)
            #expect(tracker.estimatedSecondsLeft(for: Night.shot) != nil)
            #expect(tracker.project(named: "carl/lost")?.createdImplicitly == true)
        }

        // The first life: the writes, then a stop without close (a crash) after whatever
        // checkpoints the variant makes.
        do {
            let life = try StoreLife(path: folder.store, limits: Night.limits)
            #expect(life.restored.projects.isEmpty && life.restored.lastEventID == 0)
            life.core.make(Night.firstHalf, clock: life.clock)
            if durability != .journalOnly { life.checkpoint() }
            life.core.make(Night.secondHalf, clock: life.clock)
            if durability == .checkpointed { life.checkpoint() }
            life.clock.set(Night.restartTime)
            // The state the clients saw is the reference's: the comparison below is against it.
            expectSameState(life.tracker, as: reference.core.tracker, "before the restart")
        }

        let expectedReplays = switch durability {
        case .checkpointed: 0
        case .journalOnly: Night.firstHalf.count + Night.secondHalf.count
        case .mixed: Night.secondHalf.count
        }
        do {
            let life = try StoreLife(path: folder.store, at: Night.restartTime, limits: Night.limits)
            #expect(life.restored.replayedWrites == expectedReplays)
            #expect(life.restored.lostWrites == 0)
            #expect(life.restored.lastEventID == reference.core.tracker.read { $0.lastEventID })
            expectSameState(life.tracker, as: reference.core.tracker, "after the restart")

            // The render goes on after the restart exactly as it would have without one (the
            // overflowing log ring, the recency list, the estimate's evidence).
            life.core.make(Night.afterRestart, clock: life.clock)
            reference.core.make(Night.afterRestart, clock: reference.clock)
            life.clock.set(Night.secondRestartTime)
            reference.clock.set(Night.secondRestartTime)
            expectSameState(life.tracker, as: reference.core.tracker, "going on after the restart")
            // Killed again, before any checkpoint: what was replayed and what came after is in
            // the journal still.
        }

        do {
            let life = try StoreLife(path: folder.store, at: Night.secondRestartTime, limits: Night.limits)
            #expect(life.restored.replayedWrites == expectedReplays + Night.afterRestart.count)
            expectSameState(life.tracker, as: reference.core.tracker, "after a second crash")
            life.close()
            #expect(life.store.health.problem == nil)
            #expect(life.store.health.pendingWrites == 0)
        }

        // After a graceful stop everything is in the database, and the journal holds nothing
        // that would be replayed.
        let life = try StoreLife(path: folder.store, at: Night.secondRestartTime, limits: Night.limits)
        #expect(life.restored.replayedWrites == 0)
        expectSameState(life.tracker, as: reference.core.tracker, "after a graceful stop")
    }

    @Test("a monitor's cursor from before the restart gets exactly the changes after it, with no reset")
    func cursorAcrossRestart() throws {
        let folder = TemporaryFolder()
        let cursor: Int
        let expected: RPCValue
        do {
            let life = try StoreLife(path: folder.store, limits: Night.limits)
            life.core.make(Night.firstHalf, clock: life.clock)
            life.checkpoint()
            cursor = try #require(life.core.answer("getChangedFrames", [.string(Night.shot), .int(0)])["event_id"]?.int)
            life.core.make(Night.secondHalf, clock: life.clock)
            expected = try life.core.answer("getChangedFrames", [.string(Night.shot), .int(cursor)])
        }
        #expect(expected["reset"] == .bool(false))
        // Frames 5 to 11 changed after the cursor (8, 9, 10 started; 5 done; 7 failed; 6 downloaded; 11 started).
        #expect(expected["frames"]?.elements.compactMap { $0.elements.first?.int }.sorted() == [5, 6, 7, 8, 9, 10, 11])

        let life = try StoreLife(path: folder.store, at: Night.restartTime, limits: Night.limits)
        let answer = try life.core.answer("getChangedFrames", [.string(Night.shot), .int(cursor)])
        #expect(answer == expected)
        // The cursor the monitor got last is current: nothing new, no reset.
        let current = try #require(expected["event_id"]?.int)
        let nothing = try life.core.answer("getChangedFrames", [.string(Night.shot), .int(current)])
        #expect(nothing == .structure(["event_id": .int(current), "frames": .array([]), "reset": .bool(false)]))
        // A change after the restart takes a new event id, past every one handed out before.
        life.core.make([Call(150, "setFrameRenderFraction", Night.fraction(9, 0.9), from: "10.0.0.9")], clock: life.clock)
        let next = try life.core.answer("getChangedFrames", [.string(Night.shot), .int(current)])
        #expect(next["reset"] == .bool(false))
        #expect(next["frames"] == .array([.array([.int(9), .int(FrameStatus.rendering.rawValue), .double(0.9)])]))
        #expect((next["event_id"]?.int ?? 0) > current)
    }

    @Test("the estimate right after a restart equals the one before, with more samples than its window keeps")
    func estimateWithFullEvidence() throws {
        // 48 frames finish (more than the 32 render durations kept), 8 are rendering and 24 wait.
        let folder = TemporaryFolder()
        var calls = [Call(0, "startedRenderProject", [.string("big/shot"), frames(1...80), .bool(false), .string("1")])]
        for frame in 1...56 {
            let start = Double(frame) * 7
            calls.append(Call(start, "startedFrameRender", [.string("big/shot"), .int(frame), .string("1"), .string("/r/\(frame).exr")],
                from: "10.0.1.\(frame % 8)"))
            if frame <= 48 {
                calls.append(Call(start + 40 + Double(frame % 5) * 3.3, "setFrameRenderFraction",
                    [.string("big/shot"), .int(frame), .double(1)], from: "10.0.1.\(frame % 8)"))
            }
        }
        calls.sort { $0.at < $1.at }
        let reference = ReferenceTracker()
        reference.core.make(calls, clock: reference.clock)
        let now = startOfTime.advanced(bySeconds: 420)
        reference.clock.set(now)
        let before = try #require(reference.core.tracker.read { $0.estimatedSecondsLeft(for: "big/shot") })
        do {
            let life = try StoreLife(path: folder.store)
            life.core.make(calls, clock: life.clock)
            life.close()
        }
        let life = try StoreLife(path: folder.store, at: now)
        let after = try #require(life.tracker.read { $0.estimatedSecondsLeft(for: "big/shot") })
        // The samples come back in the order they were taken and are summed oldest first: the
        // very same estimate, to the last bit.
        #expect(after == before, "before \(before), after \(after)")
        let evidence = { (tracker: SharedTracker) in tracker.read { $0.project(named: "big/shot")?.record } }
        #expect(evidence(life.tracker) == evidence(reference.core.tracker))
    }

    @Test("a journal cut short (power loss mid-record) gives back every write before the cut and says so")
    func tornJournalTail() throws {
        let folder = TemporaryFolder()
        let all = Night.firstHalf
        do {
            let life = try StoreLife(path: folder.store, limits: Night.limits)
            life.core.make(all, clock: life.clock)
        }
        let segments = folder.segments()
        let last = try #require(segments.last)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: last)[.size] as? Int)
        #expect(truncate(last, off_t(size - 3)) == 0)

        // What the clients saw before the last write, which the cut took.
        let reference = ReferenceTracker(limits: Night.limits)
        reference.core.make(Array(all.dropLast()), clock: reference.clock)
        reference.clock.set(Night.restartTime)

        let log = CapturedLog()
        do {
            let life = try StoreLife(path: folder.store, at: Night.restartTime, limits: Night.limits, logger: log.logger)
            #expect(life.restored.replayedWrites == all.count - 1)
            expectSameState(life.tracker, as: reference.core.tracker, "after the torn tail")
            let warnings = log.messages(atLeast: .warning)
            #expect(warnings.contains { $0.message.contains("journal was cut short") && $0.metadata["tornBytes"] != "0" },
                "\(warnings.map(\.message))")
            // The journal goes on after the cut: a write now survives another crash.
            let more = [Call(150, "setFrameRenderFraction", Night.fraction(5, 0.8), from: "10.0.0.5")]
            life.core.make(more, clock: life.clock)
            reference.core.make(more, clock: reference.clock)
        }
        reference.clock.set(Night.secondRestartTime)
        let life = try StoreLife(path: folder.store, at: Night.secondRestartTime, limits: Night.limits)
        #expect(life.restored.replayedWrites == all.count)
        expectSameState(life.tracker, as: reference.core.tracker, "after a crash following the torn tail")
    }

    @Test("a gap in the journal: nothing after it is applied, and writes acknowledged after that restart survive the next crash")
    func journalGap() throws {
        let folder = TemporaryFolder()
        let (a, b, c, d) = (Array(Night.firstHalf.prefix(20)), Array(Night.firstHalf.dropFirst(20)), Night.secondHalf,
            Night.afterRestart)
        do {
            let life = try StoreLife(path: folder.store, limits: Night.limits)
            life.core.make(a, clock: life.clock)
            life.checkpoint()
            life.core.make(b, clock: life.clock)
        }
        do {
            let life = try StoreLife(path: folder.store, at: Night.restartTime, limits: Night.limits)
            #expect(life.restored.replayedWrites == b.count)
            life.core.make(c, clock: life.clock)
        }
        // The segment holding b is lost (what a full disk and a failed checkpoint can leave):
        // c's records follow a gap.
        let segments = folder.segments()
        #expect(segments.count == 2, "\(segments)")
        try FileManager.default.removeItem(atPath: segments[0])

        let reference = ReferenceTracker(limits: Night.limits)
        reference.core.make(a, clock: reference.clock)
        do {
            let life = try StoreLife(path: folder.store, at: Night.restartTime, limits: Night.limits)
            #expect(life.restored.replayedWrites == 0)
            #expect(life.restored.lostWrites == c.count)
            reference.clock.set(Night.restartTime)
            expectSameState(life.tracker, as: reference.core.tracker, "after the gap: the checkpoint, nothing after the gap")
            // Acknowledged now: journaled, so they survive a crash.
            life.core.make(d, clock: life.clock)
            reference.core.make(d, clock: reference.clock)
        }
        reference.clock.set(Night.secondRestartTime)
        let life = try StoreLife(path: folder.store, at: Night.secondRestartTime, limits: Night.limits)
        #expect(life.restored.replayedWrites == d.count)
        #expect(life.restored.lostWrites == 0)
        expectSameState(life.tracker, as: reference.core.tracker, "writes after the gap's restart, after a crash")
    }

    @Test("a record damaged in the middle of the journal stops the replay there: nothing after it is applied")
    func damagedJournalRecord() throws {
        let folder = TemporaryFolder()
        let all = Night.firstHalf
        do {
            let life = try StoreLife(path: folder.store, limits: Night.limits)
            life.core.make(all, clock: life.clock)
        }
        // The last byte of the file is in the last record's body: flipping it breaks its checksum.
        let last = try #require(folder.segments().last)
        var bytes = try #require(contents(of: last))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: last))

        let reference = ReferenceTracker(limits: Night.limits)
        reference.core.make(Array(all.dropLast()), clock: reference.clock)
        reference.clock.set(Night.restartTime)
        let log = CapturedLog()
        let life = try StoreLife(path: folder.store, at: Night.restartTime, limits: Night.limits, logger: log.logger)
        #expect(life.restored.replayedWrites == all.count - 1)
        expectSameState(life.tracker, as: reference.core.tracker, "after the damaged record")
        #expect(log.messages(atLeast: .warning).contains { $0.message.contains("journal was cut short") })
    }
}
