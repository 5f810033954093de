import Foundation
import Logging
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Synchronization
import Testing

/// What the store tests share: a temporary folder per test, a daemon's life on a store (the store,
/// its restore, the core on top, in virtual time), a reference tracker that never restarts, and a
/// view of everything a client can see to compare the two.

/// 2026-01-01T00:00:00Z, where every test's virtual time starts.
let startOfTime = Timestamp(secondsSince1970: 1_767_225_600)

/// A fresh folder under the system's temporary folder, removed when the test is done with it.
final class TemporaryFolder: Sendable {
    let path: String

    init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sqlitestore-\(safe)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The store's file in the folder.
    var store: String { path + "/tracker.db" }
    /// The store's journal folder.
    var journal: String { store + "-writes" }

    /// The journal's segment files, oldest first.
    func segments() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: journal)) ?? []
        return names.filter { $0.hasSuffix(".writes") }.sorted().map { journal + "/" + $0 }
    }
}

/// Log messages a store wrote, for tests that check what it said.
final class CapturedLog: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let entries = Mutex<[Entry]>([])

    var logger: Logger {
        var logger = Logger(label: "store-test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    func messages(atLeast level: Logger.Level) -> [Entry] {
        entries.withLock { $0.filter { $0.level >= level } }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let entry = Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
            log.entries.withLock { $0.append(entry) }
        }
    }
}

/// One daemon's life on a store: the store opened on `path`, restored, and a core on top of it
/// with a manual clock. Drop every reference to end the life (the store's lock goes with it);
/// `close()` first for a graceful stop, or not, for a crash.
final class StoreLife {
    let store: SQLiteStore
    let restored: RestoredState
    let core: TrackerCore
    let clock: ManualClock

    init(
        path: String, at time: Timestamp = startOfTime, limits: TrackerLimits = TrackerLimits(),
        logger: Logger = .silent
    ) throws {
        clock = ManualClock(time)
        // Checkpoints only when a test makes one, never because a `tick` found one due.
        store = try SQLiteStore(path: path, checkpointSeconds: 3600, logger: logger)
        restored = try store.restore(limits: limits)
        core = TrackerCore(
            configuration: TrackerConfiguration(trackerLimits: limits), logger: .silent, clock: clock, store: store, restored: restored)
    }

    var tracker: SharedTracker { core.tracker }

    func checkpoint() {
        store.checkpoint(core.tracker)
    }

    func close() {
        store.close(core.tracker)
    }
}

/// A tracker that never restarts, fed the same calls at the same times: what a restored one must
/// look like.
struct ReferenceTracker {
    let clock: ManualClock
    let core: TrackerCore

    init(limits: TrackerLimits = TrackerLimits()) {
        clock = ManualClock(startOfTime)
        core = TrackerCore(configuration: TrackerConfiguration(trackerLimits: limits), logger: .silent, clock: clock)
    }
}

/// One call a client makes, `at` seconds after `startOfTime`, from `client`'s address.
struct Call: Sendable, CustomStringConvertible {
    var at: Double
    var method: String
    var params: [RPCValue]
    var client: String

    init(_ at: Double, _ method: String, _ params: [RPCValue], from client: String = "10.0.0.1") {
        self.at = at
        self.method = method
        self.params = params
        self.client = client
    }

    var description: String { "\(method)\(params.map(\.debugSummary)) at +\(at) s from \(client)" }
}

extension TrackerCore {
    /// Makes `calls` through the dispatcher, each at its time on `clock`; every one must succeed.
    func make(_ calls: [Call], clock: ManualClock, sourceLocation: SourceLocation = #_sourceLocation) {
        for call in calls {
            clock.set(startOfTime.advanced(bySeconds: call.at))
            let result = dispatcher.call(call.method, call.params, client: call.client)
            if case .failure(let fault) = result {
                Issue.record("\(call) failed: \(fault)", sourceLocation: sourceLocation)
            }
        }
    }

    /// One call's answer; a fault fails the test.
    func answer(_ method: String, _ params: [RPCValue], from client: String = "10.0.0.1") throws -> RPCValue {
        try dispatcher.call(method, params, client: client).get()
    }
}

// MARK: - What a client can see

/// Every field of a frame a client, the estimate or a report can see.
struct FrameView: Equatable, CustomStringConvertible {
    var number: Int
    var status: FrameStatus
    var renderFraction: Double
    var downloadFraction: Double
    var jobID: String
    var imagePath: String?
    var errorMessage: String?
    var eventID: Int
    var logLines: [String]
    var renderStartedAt: Timestamp?
    var renderSeenFromStart: Bool
    var downloadStartedAt: Timestamp?
    var finishedAt: Timestamp?
    var lastProgressAt: Timestamp?
    var machine: String?
    var attempts: Int
    var renderSeconds: Double?
    var machineSeconds: Double
    var failedOn: [String]

    init(_ frame: Frame) {
        number = frame.number
        status = frame.status
        renderFraction = frame.renderFraction
        downloadFraction = frame.downloadFraction
        jobID = frame.jobID
        imagePath = frame.imagePath
        errorMessage = frame.errorMessage
        eventID = frame.eventID
        logLines = frame.logLines
        renderStartedAt = frame.renderStartedAt
        renderSeenFromStart = frame.renderSeenFromStart
        downloadStartedAt = frame.downloadStartedAt
        finishedAt = frame.finishedAt
        lastProgressAt = frame.lastProgressAt
        machine = frame.machine
        attempts = frame.attempts
        renderSeconds = frame.renderSeconds
        machineSeconds = frame.machineSeconds
        failedOn = frame.failedOn
    }

    var description: String { "frame \(number) \(status.name) event \(eventID) job \(jobID) log \(logLines.count) lines" }
}

struct ProjectView: Equatable {
    var record: ProjectRecord
    var state: ProjectState
    var frames: [FrameView]
    var snapshots: [FrameSnapshot]
    var summary: ProjectSummary?
    var secondsLeft: Double?
}

/// The whole tracker as clients see it, at its clock's time.
struct TrackerView: Equatable {
    var lastEventID: Int
    var projects: [String: ProjectView]

    init(_ tracker: Tracker) {
        lastEventID = tracker.lastEventID
        var projects: [String: ProjectView] = [:]
        for name in tracker.projectNames {
            guard let project = tracker.project(named: name) else { continue }
            projects[name] = ProjectView(
                record: project.record, state: project.state, frames: project.framesInOrder.map(FrameView.init),
                snapshots: project.snapshotsInOrder, summary: tracker.summary(of: name), secondsLeft: tracker.estimatedSecondsLeft(for: name))
        }
        self.projects = projects
    }

    init(_ tracker: SharedTracker) {
        self = tracker.read { TrackerView($0) }
    }
}

/// Every `getChangedFrames` answer for every project and every cursor from 0 to one past the
/// counter: a monitor holding any cursor gets the same answer from both trackers.
func everyChangedFramesAnswer(_ tracker: SharedTracker) -> [String: [ChangedFrames]] {
    tracker.read { tracker in
        var answers: [String: [ChangedFrames]] = [:]
        for name in tracker.projectNames {
            answers[name] = (0...(tracker.lastEventID + 1)).map { tracker.changedFrames(in: name, since: $0) }
        }
        return answers
    }
}

/// Expects the restored tracker to show exactly what the reference shows, field by field.
func expectSameState(
    _ restored: SharedTracker, as reference: SharedTracker, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let got = TrackerView(restored)
    let expected = TrackerView(reference)
    #expect(got.lastEventID == expected.lastEventID, "\(what): last event id", sourceLocation: sourceLocation)
    #expect(got.projects.keys.sorted() == expected.projects.keys.sorted(), "\(what): projects", sourceLocation: sourceLocation)
    for (name, project) in expected.projects {
        guard let restoredProject = got.projects[name] else { continue }
        #expect(restoredProject.record == project.record, "\(what): \(name)'s record", sourceLocation: sourceLocation)
        #expect(restoredProject.state == project.state, "\(what): \(name)'s state", sourceLocation: sourceLocation)
        #expect(restoredProject.frames.count == project.frames.count, "\(what): \(name)'s frames", sourceLocation: sourceLocation)
        for (restoredFrame, frame) in zip(restoredProject.frames, project.frames) {
            #expect(restoredFrame == frame, "\(what): \(name) \(frame)", sourceLocation: sourceLocation)
        }
        #expect(restoredProject.snapshots == project.snapshots, "\(what): \(name)'s snapshots", sourceLocation: sourceLocation)
        #expect(restoredProject.summary == project.summary, "\(what): \(name)'s summary", sourceLocation: sourceLocation)
        #expect(restoredProject.secondsLeft == project.secondsLeft, "\(what): \(name)'s estimate", sourceLocation: sourceLocation)
    }
    #expect(everyChangedFramesAnswer(restored) == everyChangedFramesAnswer(reference), "\(what): getChangedFrames answers",
        sourceLocation: sourceLocation)
}

// MARK: - Answers on the wire

extension RPCValue {
    subscript(_ key: String) -> RPCValue? {
        if case .structure(let members) = self { return members[key] }
        return nil
    }

    var elements: [RPCValue] {
        if case .array(let elements) = self { return elements }
        return []
    }

    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var double: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}

/// Helpers for the parameters of farm calls.
func frames(_ numbers: ClosedRange<Int>) -> RPCValue {
    .array(numbers.map(RPCValue.int))
}

/// The bytes of a file, or nil if it cannot be read.
func contents(of path: String) -> Data? {
    FileManager.default.contents(atPath: path)
}
