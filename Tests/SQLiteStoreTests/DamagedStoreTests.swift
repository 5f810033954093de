import Foundation
import RenderTracker
import RenderTrackerService
import RPC
import SQLiteStore
import Testing

/// A store that cannot be used is refused with a message naming the file and the way out, and
/// nothing in it is touched: never a silent empty start.
@Suite("SQLite store: damaged, locked, unwritable")
struct DamagedStoreTests {
    /// A small real store: one project of a few frames, checkpointed and closed.
    private func realStore(in folder: TemporaryFolder) throws {
        let life = try StoreLife(path: folder.store)
        var calls = [Call(0, "startedRenderProject", [.string("anna/damaged"), frames(1...200), .bool(false), .string("5")])]
        for frame in 1...200 {
            calls.append(Call(Double(frame), "startedFrameRender",
                [.string("anna/damaged"), .int(frame), .string("5"), .string("/renders/anna/damaged/frame.\(frame).exr")]))
        }
        life.core.make(calls, clock: life.clock)
        life.close()
    }

    /// Opening and restoring must fail with a `StoreError`; returns its text.
    private func refusal(_ path: String) -> String? {
        do {
            let store = try SQLiteStore(path: path, logger: .silent)
            let restored = try store.restore(limits: TrackerLimits())
            Issue.record("the store opened and restored \(restored.projects.count) projects")
            return nil
        } catch {
            return error.description
        }
    }

    private func expectNamesTheWayOut(_ message: String?, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let message = message ?? ""
        #expect(message.contains("the store \(path) is damaged"), "\(message)", sourceLocation: sourceLocation)
        #expect(message.contains("mv \(path) \(path).damaged"), "\(message)", sourceLocation: sourceLocation)
    }

    @Test("a file of random bytes is refused, naming it and how to move it aside, and left as it was")
    func garbageFile() throws {
        let folder = TemporaryFolder()
        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try garbage.write(to: URL(fileURLWithPath: folder.store))

        expectNamesTheWayOut(refusal(folder.store), path: folder.store)
        #expect(contents(of: folder.store) == garbage, "the damaged file was changed")
        #expect(!FileManager.default.fileExists(atPath: folder.store + "-wal"))
        // Refused again on a second try: the first refusal left nothing behind that would let
        // the second start empty.
        expectNamesTheWayOut(refusal(folder.store), path: folder.store)
    }

    @Test("a real store with pages overwritten in the middle is refused, and left as it was")
    func overwrittenPages() throws {
        let folder = TemporaryFolder()
        try realStore(in: folder)
        var bytes = try #require(contents(of: folder.store))
        #expect(bytes.count >= 8 * 4096, "the store is \(bytes.count) bytes")
        // Page 3, a b-tree page of the tables, overwritten with a pattern that is no b-tree page
        // (0xA5 is no page type): the same damage on every run.
        for index in (2 * 4096)..<(3 * 4096) {
            bytes[index] = 0xA5
        }
        try bytes.write(to: URL(fileURLWithPath: folder.store))

        expectNamesTheWayOut(refusal(folder.store), path: folder.store)
        #expect(contents(of: folder.store) == bytes, "the damaged file was changed")
    }

    @Test("a store whose header is intact but whose rows cannot be decoded is refused as damaged, not read as empty")
    func undecodableRows() throws {
        let folder = TemporaryFolder()
        try realStore(in: folder)
        // Every frame's log blob starts with its dropped-entry and entry counts; a count far past
        // the blob's end is what a flipped bit there looks like. SQLite's own checks cannot see it.
        var bytes = try #require(contents(of: folder.store))
        let path = Array("/renders/anna/damaged/frame.".utf8)
        var damaged = 0
        var index = 0
        while let found = bytes[index...].firstRange(of: path) {
            // Each row: ... image_path, error, ..., log; the log's count field follows the image
            // path within a few dozen bytes: set the first zero dropped-count after it to 0xFFFF.
            if let zeros = bytes[found.upperBound..<min(bytes.count, found.upperBound + 80)].firstRange(of: [0, 0, 0, 0, 2, 0, 0, 0]) {
                bytes[zeros.lowerBound + 4] = 0xFF
                bytes[zeros.lowerBound + 5] = 0xFF
                damaged += 1
            }
            index = found.upperBound
        }
        #expect(damaged > 0, "no log blob found to damage")
        try bytes.write(to: URL(fileURLWithPath: folder.store))

        let message = refusal(folder.store) ?? ""
        expectNamesTheWayOut(message, path: folder.store)
    }

    @Test("a second store on the same path while the first is open is refused, naming the lock")
    func lockHeld() throws {
        let folder = TemporaryFolder()
        let first = try StoreLife(path: folder.store)
        first.core.make([Call(0, "startedRenderProject", [.string("a/b"), frames(1...2), .bool(false), .string("1")])], clock: first.clock)
        do {
            _ = try SQLiteStore(path: folder.store, logger: .silent)
            Issue.record("a second store opened while the first holds the lock")
        } catch {
            #expect(error.description.contains("the store \(folder.store) is in use by another rendertracker process"), "\(error)")
            #expect(error.description.contains("\(folder.store).lock is locked"), "\(error)")
        }
        // The refused attempt changed nothing for the first, which goes on writing.
        first.core.make([Call(1, "setFrameRenderFraction", [.string("a/b"), .int(1), .double(1)])], clock: first.clock)
        first.close()
        #expect(first.store.health.problem == nil)
    }

    @Test("once the first store is gone the lock is free and the state is there")
    func lockReleased() throws {
        let folder = TemporaryFolder()
        do {
            let first = try StoreLife(path: folder.store)
            first.core.make([Call(0, "startedRenderProject", [.string("a/b"), frames(1...2), .bool(false), .string("1")])], clock: first.clock)
        }
        let second = try StoreLife(path: folder.store)
        #expect(second.tracker.read { $0.projectNames } == ["a/b"])
    }

    @Test("a path whose folder cannot be created is refused with a message naming it")
    func folderCannotBeCreated() throws {
        let folder = TemporaryFolder()
        // A plain file where the store's folder should be.
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: folder.path + "/blocker"))
        let path = folder.path + "/blocker/state/tracker.db"
        do {
            _ = try SQLiteStore(path: path, logger: .silent)
            Issue.record("a store opened under a plain file")
        } catch {
            #expect(error.description.contains(path), "\(error)")
            #expect(error.description.contains("Not a directory"), "\(error)")
        }
    }

    @Test("a journal folder that cannot be made is refused at restore, naming it")
    func journalFolderBlocked() throws {
        let folder = TemporaryFolder()
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: folder.journal))
        let store = try SQLiteStore(path: folder.store, logger: .silent)
        do {
            _ = try store.restore(limits: TrackerLimits())
            Issue.record("restore went on without a journal")
        } catch {
            #expect(error.description.contains(folder.journal), "\(error)")
        }
    }
}
