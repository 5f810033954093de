/// The render tracker: every project, the global event counter, and the RPC service's semantics.
/// A value type with no I/O and no locking: the server owns one behind a lock, a replay owns one
/// outright, and time comes from the injected clock.
public struct Tracker: Sendable {
    public let clock: any TrackerClock
    public var limits: TrackerLimits
    public var estimator: any TimeLeftEstimating
    /// How long a Rendering frame must have been silent for a new startedFrameRender to count as a
    /// rerun (its render timed from then) rather than another tile of the same render.
    public static let silenceBeforeRerunSeconds = 300.0
    /// The global, monotonically increasing event counter (`incrementAndGetLastEventId`).
    public private(set) var lastEventID = 0
    private var projects: [ProjectKey: Project] = [:]
    /// The last finished render of each shot, which a new render of it learns from.
    private var histories = ShotHistories()

    public init(
        clock: any TrackerClock = SystemClock(),
        limits: TrackerLimits = TrackerLimits(),
        estimator: any TimeLeftEstimating = BuiltInTimeLeftEstimator()
    ) {
        self.clock = clock
        self.limits = limits
        self.estimator = estimator
    }

    /// A tracker as a store kept it: its projects, the event counter and the shots' histories
    /// (`projects`, `lastEventID`, `shotHistories`; past renders the store kept, when it has none).
    public init(
        restoring projects: [Project], lastEventID: Int, histories: [ShotHistory] = [], clock: any TrackerClock = SystemClock(),
        limits: TrackerLimits = TrackerLimits(), estimator: any TimeLeftEstimating = BuiltInTimeLeftEstimator()
    ) {
        self.init(clock: clock, limits: limits, estimator: estimator)
        self.lastEventID = lastEventID
        var finished = histories
        for project in projects {
            self.projects[project.name] = project
            if project.state == .done, !project.createdImplicitly, let history = ShotHistory(of: project) { finished.append(history) }
        }
        for history in finished.sorted(by: { $0.renderID < $1.renderID }) {
            self.histories.record(history)
        }
    }

    /// The last finished render of each shot (at most `ShotHistories.capacity`), oldest first:
    /// what a store gives back on a restart so estimates learn as before.
    public var shotHistories: [ShotHistory] { histories.all }

    /// Moves the event counter on by `offset` without a change: ids given out after it cannot be
    /// mistaken for ids below it (a daemon serving alone, whose ids the shared state later
    /// replaces; see `SharedTracker.setAsideEventIDs`).
    public mutating func advanceEventCounter(by offset: Int) {
        lastEventID += offset
    }

    // MARK: - Writes

    /// Applies one command. Writes never fail: an unknown project or frame is created on the spot,
    /// because a fault would fail the farm job that sent it.
    /// - Parameter client: the address of the machine that sent it, kept as the machine that
    ///   rendered a frame (the render report's per-machine figures); nil when unknown.
    public mutating func apply(_ command: TrackerCommand, from client: String? = nil) -> TrackerOutcome {
        apply(command, from: client, at: clock.now())
    }

    /// Applies one command at a given time instead of the clock's: a write that was ordered
    /// elsewhere (a store shared by several daemons) applied at the time it was taken, so every
    /// daemon that applies the same writes in the same order has the same frames, logs and ids.
    public mutating func apply(_ command: TrackerCommand, from client: String?, at now: Timestamp) -> TrackerOutcome {
        var events: [TrackerEvent] = []
        var ended: [EndedRender] = []
        let method = command.methodName
        switch command {
        case let .startedRenderProject(name, frameNumbers, generatesIFDs, jobID):
            startProject(
                name, frames: frameNumbers, generatesIFDs: generatesIFDs, jobID: clip(jobID), at: now, events: &events, ended: &ended)

        case let .startedGeneratingFrameIFD(name, number):
            updateFrame(name, number, via: method, at: now, events: &events) { frame in
                frame.status = .generatingIFD
                return .generatingIFD
            }

        case let .endedGeneratingFrameIFD(name, number):
            updateFrame(name, number, via: method, at: now, events: &events) { frame in
                frame.status = .ifdReady
                return .ifdReady
            }

        case let .startedFrameRender(name, number, jobID, imagePath):
            let jobID = clip(jobID)
            let imagePath = clip(imagePath)
            updateFrame(name, number, via: method, at: now, events: &events) { frame in
                let previous = frame.status
                // A start on a frame still Rendering is another tile of it, or a rerun of a job whose
                // machine was lost. Tiles keep the first tile's start; a rerun, after the frame has
                // been silent for minutes (HQueue noticing the loss), times its render from now,
                // not from the lost attempt.
                if previous == .rendering, let heard = frame.lastProgressAt ?? frame.renderStartedAt,
                    now.seconds(since: heard) >= Self.silenceBeforeRerunSeconds
                {
                    // The lost attempt ran until it was last heard of.
                    frame.machineSeconds += max(0, heard.seconds(since: frame.renderStartedAt ?? heard))
                    frame.attempts += 1
                    frame.renderStartedAt = now
                }
                frame.machine = client ?? frame.machine
                frame.status = .rendering
                frame.renderFraction = 0
                frame.renderSeenFromStart = true
                frame.jobID = jobID
                frame.imagePath = imagePath
                frame.lastProgressAt = now
                return .renderStarted(jobID: jobID, imagePath: imagePath, previous: previous)
            }

        case let .setFrameRenderFraction(name, number, reported):
            guard let fraction = Fraction.normalized(reported) else { break }
            updateFrame(name, number, via: method, at: now, events: &events) { frame in
                if frame.status != .rendering {
                    // Only a render first seen near its start gives a fair duration sample.
                    frame.renderSeenFromStart = fraction < 0.1
                }
                frame.renderFraction = fraction
                frame.lastProgressAt = now
                frame.machine = frame.machine ?? client
                frame.status = fraction >= 1 ? .done : .rendering
                return fraction >= 1 ? .done : .renderProgress(fraction)
            }

        case let .setFrameDownloadFraction(name, number, reported):
            guard let fraction = Fraction.normalized(reported) else { break }
            updateFrame(name, number, via: method, at: now, events: &events) { frame in
                frame.downloadFraction = fraction
                frame.lastProgressAt = now
                frame.status = fraction >= 1 ? .done : .downloading
                return fraction >= 1 ? .done : .downloadProgress(fraction)
            }

        case let .setFrameError(name, number, message):
            let message = clip(message)
            updateFrame(name, number, via: method, at: now, events: &events) { frame in
                if let machine = frame.machine ?? client {
                    frame.failedOn = Array((frame.failedOn + [machine]).suffix(Frame.maxFailuresKept))
                }
                frame.status = .error
                frame.errorMessage = message
                return .error(message)
            }

        case let .setProjectError(name, message):
            failProject(name, message: clip(message), via: method, at: now, events: &events)

        case let .removeProject(name):
            if let project = projects.removeValue(forKey: name) {
                ended.append(EndedRender(project: project, reason: .removed))
                events.append(.projectRemoved(project: name))
            }

        case .incrementAndGetLastEventID:
            _ = nextEventID()
        }
        if projects.count > limits.maxLiveProjects {
            evictProjects(events: &events, ended: &ended)
        }
        // A render that ends without having finished (replaced, removed) still says what its
        // frames cost; one seen only finishing (existing IFDs) says it at its end, when its frames are all known.
        for render in ended where render.project.state == .done || render.project.allFrames.contains(where: { $0.renderSeconds != nil }) {
            histories.record(render.project)
        }
        return TrackerOutcome(lastEventID: lastEventID, time: now, events: events, endedRenders: ended)
    }

    /// Past `limits.maxLiveProjects`, projects leave memory to make room: finished ones first,
    /// longest unchanged first, then the running ones silent longest. A store keeps them as past
    /// renders. A twentieth of the limit leaves at once, so the O(projects log projects) choice is
    /// paid once per that many new projects, not by every write of a flood (per write, a 10,000
    /// limit would otherwise cost milliseconds).
    private mutating func evictProjects(events: inout [TrackerEvent], ended: inout [EndedRender]) {
        let excess = max(projects.count - limits.maxLiveProjects, limits.maxLiveProjects / 20)
        let leaving = projects.values
            .map { (name: $0.name, finished: $0.state != .running, changed: $0.lastChangedAt) }
            .sorted { ($0.finished ? 0 : 1, $0.changed) < ($1.finished ? 0 : 1, $1.changed) }
            .prefix(excess)
        for candidate in leaving {
            if let project = projects.removeValue(forKey: candidate.name) {
                ended.append(EndedRender(project: project, reason: .evicted))
                events.append(.projectEvicted(project: candidate.name))
            }
        }
    }

    private mutating func nextEventID() -> Int {
        lastEventID += 1
        return lastEventID
    }

    private func clip(_ text: String) -> String {
        text.clipped(toBytes: limits.messageBytes)
    }

    /// "Re-rendering a project clears all previous knowledge about it": a fresh project replaces any
    /// of that name, every frame Waiting with the project's job id.
    private mutating func startProject(
        _ name: String, frames numbers: [Int], generatesIFDs: Bool, jobID: String, at now: Timestamp,
        events: inout [TrackerEvent], ended: inout [EndedRender]
    ) {
        let previous = projects.removeValue(forKey: name)
        let replaced = previous != nil
        if let previous {
            ended.append(EndedRender(project: previous, reason: .replaced))
        }
        var project = Project(
            name: name, jobID: jobID, generatesIFDs: generatesIFDs, startedAt: now,
            createdEventID: nextEventID(), createdImplicitly: false)
        // HQueue sends frames in subdivision order; sorted, every frame appends to the ordered index.
        let sorted = Set(numbers).sorted()
        project.reserveCapacity(forMoreFrames: sorted.count)
        for number in sorted {
            let eventID = nextEventID()
            let (slot, _) = project.slot(for: number, jobID: jobID, eventID: eventID)
            _ = project.update(slot: slot, eventID: eventID, at: now, limits: limits) { _ in
                .waiting(jobID: jobID)
            }
        }
        events.append(.projectStarted(project: name, jobID: jobID, frameCount: project.frameCount, replacedExisting: replaced))
        projects[name] = project
    }

    /// Takes a project out of the table for in-place mutation (so its frames are not copied),
    /// creating it if the tracker never heard of it. Put it back with `projects[name] = project`.
    private mutating func takeProject(
        _ name: String, via method: String, at now: Timestamp, events: inout [TrackerEvent]
    ) -> (project: Project, created: Bool) {
        if let project = projects.removeValue(forKey: name) {
            return (project, false)
        }
        events.append(.projectCreatedImplicitly(project: name, method: method))
        let project = Project(
            name: name, jobID: "", generatesIFDs: false, startedAt: now,
            createdEventID: nextEventID(), createdImplicitly: true)
        return (project, true)
    }

    /// The one path every frame write takes: finds or adds the frame, applies `change`, stamps a
    /// new event id, logs, and reports status and project-state changes.
    private mutating func updateFrame(
        _ name: String, _ number: Int, via method: String, at now: Timestamp, events: inout [TrackerEvent],
        _ change: (inout Frame) -> FrameEvent
    ) {
        var (project, projectIsNew) = takeProject(name, via: method, at: now, events: &events)
        let stateBefore = project.state
        let eventID = nextEventID()
        let (slot, added) = project.slot(for: number, jobID: project.jobID, eventID: eventID)
        if added {
            _ = project.update(slot: slot, eventID: eventID, at: now, limits: limits) { _ in
                .addedImplicitly(method: method, projectCreated: projectIsNew)
            }
            events.append(.frameAddedImplicitly(project: name, frame: number, method: method))
        }
        let (before, after) = project.update(slot: slot, eventID: eventID, at: now, limits: limits, change)
        if before != after {
            let frame = project.frame(atSlot: slot)
            events.append(.frameStatusChanged(
                project: name, frame: number, from: before, to: after, jobID: frame.jobID, message: frame.errorMessage))
        }
        noteStateChange(of: project, from: stateBefore, events: &events)
        projects[name] = project
    }

    /// `setProjectError`: every frame not Done goes to Error with the message; Done frames keep their
    /// status and the message is logged on them.
    private mutating func failProject(
        _ name: String, message: String, via method: String, at now: Timestamp, events: inout [TrackerEvent]
    ) {
        var (project, _) = takeProject(name, via: method, at: now, events: &events)
        let stateBefore = project.state
        project.lastProjectError = message
        events.append(.projectError(project: name, message: message))
        for slot in project.slots {
            let (before, after) = project.update(slot: slot, eventID: nextEventID(), at: now, limits: limits) { frame in
                if frame.status == .done {
                    return .projectError(message, keptStatus: .done)
                }
                frame.status = .error
                frame.errorMessage = message
                return .projectError(message, keptStatus: nil)
            }
            if before != after {
                let frame = project.frame(atSlot: slot)
                events.append(.frameStatusChanged(
                    project: name, frame: frame.number, from: before, to: after, jobID: frame.jobID, message: message))
            }
        }
        noteStateChange(of: project, from: stateBefore, events: &events)
        projects[name] = project
    }

    private mutating func noteStateChange(of project: Project, from before: ProjectState, events: inout [TrackerEvent]) {
        let after = project.state
        if before != after {
            events.append(.projectStateChanged(project: project.name, from: before, to: after))
            // A project created by its first finished frame reads done after each: its history
            // waits for its end.
            if after == .done, !project.createdImplicitly { histories.record(project) }
        }
    }

    // MARK: - Reads

    public func project(named name: String) -> Project? {
        projects[name]
    }

    /// Every project name, sorted by bytes.
    public var projectNames: [String] {
        projects.keys.sorted().map(\.name)
    }

    public var projectCount: Int { projects.count }

    /// Every project, in no particular order (for a store writing them all).
    public var allProjects: some Collection<Project> { projects.values }

    /// Projects per state and frames per status over every project (for metrics): O(projects).
    public var totals: TrackerTotals {
        var totals = TrackerTotals(lastEventID: lastEventID)
        for project in projects.values {
            totals.projects[project.state, default: 0] += 1
            totals.frames.add(project.statusCounts)
        }
        return totals
    }

    /// What changed in a project since the cursor `since`. A cursor of 0, one older than the
    /// project's (re)creation, or one ahead of the counter (a restarted tracker) cannot be trusted:
    /// the answer is every frame with `reset` set.
    public func changedFrames(in name: String, since: Int) -> ChangedFrames {
        guard let project = projects[name] else {
            return ChangedFrames(eventID: lastEventID, frames: [], reset: true)
        }
        if since <= 0 || since < project.createdEventID || since > lastEventID {
            return ChangedFrames(eventID: lastEventID, frames: project.snapshotsInOrder, reset: true)
        }
        return ChangedFrames(eventID: lastEventID, frames: project.snapshots(changedAfter: since), reset: false)
    }

    /// Seconds until the project is likely done, from the configured estimator; nil when unknown.
    public func estimatedSecondsLeft(for name: String) -> Double? {
        guard let project = projects[name] else { return nil }
        return estimator.estimate(for: project, history: histories.history(for: project), at: clock.now())?.seconds
    }

    /// `name` if no running project has it, else the first of `name (2)`, `name (3)`, ... that none has.
    public func suggestInactiveProjectName(_ name: String) -> String {
        var candidate = name
        var suffix = 2
        while projects[candidate]?.state == .running {
            candidate = "\(name) (\(suffix))"
            suffix += 1
        }
        return candidate
    }

    public func summary(of name: String) -> ProjectSummary? {
        guard let project = projects[name] else { return nil }
        let now = clock.now()
        let history = histories.history(for: project)
        var summary = ProjectSummary(project: project, now: now, estimate: estimator.estimate(for: project, history: history, at: now))
        summary.learnedFrom = project.state == .running || project.createdImplicitly ? history?.project : nil
        return summary
    }
}

/// The `getChangedFrames` answer.
public struct ChangedFrames: Sendable, Equatable {
    /// The cursor to send next time.
    public var eventID: Int
    public var frames: [FrameSnapshot]
    /// True when the client must drop what it knows and take `frames` as the whole project.
    public var reset: Bool

    public init(eventID: Int, frames: [FrameSnapshot], reset: Bool) {
        self.eventID = eventID
        self.frames = frames
        self.reset = reset
    }
}
