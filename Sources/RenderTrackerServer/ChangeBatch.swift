import RenderTracker
import XMLRPC

/// One event-stream message (`EventStream`): what changed after a stream's cursor, read in one go
/// under the tracker's lock so that its parts and its `event_id` describe the same moment. Its
/// parts are the RPC methods' own answers, so a page applies them with the code it uses for RPC.
struct ChangeBatch {
    /// The event counter when read: the stream's next cursor, and the SSE `id`.
    var eventID: Int
    /// Every project name, sorted; nil when the stream already sent this list.
    var projectNames: [String]?
    /// `getProjectSummary` of each project changed after the cursor (every project when the cursor
    /// is 0 or ahead of the counter).
    var projects: [RPCValue]
    /// `getChangedFrames(project, cursor)` for the followed project; nil when it has nothing new.
    var changes: RPCValue?
    /// Whether the followed project exists, so that its disappearance is sent once.
    var projectExists: Bool

    /// What changed after `cursor`, for a stream that last sent `sentNames` and last saw the
    /// followed project existing or not (`projectExisted`, nil before the first batch).
    init(tracker: Tracker, since cursor: Int, following project: String?, sentNames: [String]?, projectExisted: Bool?) {
        eventID = tracker.lastEventID
        let names = tracker.projectNames
        projectNames = names == sentNames ? nil : names
        let everything = cursor <= 0 || cursor > tracker.lastEventID
        projects = names.compactMap { name in
            // Filter on the event id first: a summary computes the project's estimate.
            guard everything || (tracker.project(named: name)?.lastEventID ?? 0) > cursor,
                let summary = tracker.summary(of: name)
            else { return nil }
            return RenderTrackerMethods.wire(summary)
        }
        projectExists = project.map { tracker.project(named: $0) != nil } ?? false
        changes = nil
        if let project {
            let changed = tracker.changedFrames(in: project, since: cursor)
            // An unknown project answers "reset, no frames" to every cursor: send that once.
            let news = !changed.frames.isEmpty || changed.reset && (projectExists || projectExisted != false)
            changes = news ? RenderTrackerMethods.wire(changed) : nil
        }
    }

    /// Nothing worth a message (the counter may still have moved).
    var isEmpty: Bool {
        projectNames == nil && projects.isEmpty && changes == nil
    }

    /// The SSE message: `id: <event_id>` and one `data:` line of JSON (JSONWriter escapes line
    /// breaks, so the JSON is one line).
    var message: [UInt8] {
        var fields: [String: RPCValue] = ["event_id": .int(eventID), "projects": .array(projects)]
        fields["project_names"] = projectNames.map { .array($0.map(RPCValue.string)) }
        fields["changes"] = changes
        var output = Array("id: \(eventID)\ndata: ".utf8)
        JSONWriter.write(.structure(fields), into: &output)
        output.append(contentsOf: "\n\n".utf8)
        return output
    }
}
