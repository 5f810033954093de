import RPC

/// A render farm in virtual time: machines take HQueue jobs first come, first served, and each
/// job makes the tracker calls the real HQueue client scripts make, in their order and with their
/// quirks (hqueue-clients.md). Deterministic for a seed. Not thread-safe: one scenario drives it.
public final class Farm {
    /// Why `run` returned.
    public enum RunResult: Equatable, Sendable {
        /// The stop condition held.
        case reached
        /// Nothing is left to do (every render finished or failed) before the condition held.
        case idle
        /// Jobs are waiting and no machine is alive to run them.
        case stuck(waitingJobs: Int)
    }

    public enum StopCondition: Sendable {
        /// Until nothing is left to do.
        case idle
        /// Until this virtual time, in seconds since the scenario began.
        case time(Double)
        /// Until a render (by index) has at least this fraction of its frames done.
        case framesDone(render: Int, fraction: Double)
    }

    /// Milestones, in percent of frames done, at which estimates are sampled.
    public static let milestones = Array(stride(from: 5, through: 95, by: 5))
    /// Seconds before HQueue notices a lost machine and reschedules its job.
    public var lostMachineSeconds = 120.0
    /// The artist's workstation, which submits and (cloud renders) downloads.
    public let workstation = "workstation"

    public private(set) var now = 0.0 {
        didSet { if now != oldValue { onTimeAdvance?(now) } }
    }
    /// Told whenever virtual time moves on (the tracker side looks for stalled frames).
    public var onTimeAdvance: ((Double) -> Void)?
    public private(set) var callsMade = 0
    private let sink: any FarmCallSink
    private var random: SeededRandom
    private var events = EventQueue()
    private var machines: [Machine] = []
    private var jobs: [FarmJob] = []
    private var renders: [SimulatedRender] = []
    /// Ready jobs by index, by priority, then first come first served.
    private var readyJobs = ReadyQueue()
    /// Jobs to run before the queue: reruns after a failure or a lost machine, as HQueue does.
    private var rerunJobs: [Int] = []
    private var downloads: [(render: Int, position: Int, generation: Int)] = []
    private var downloadHead = 0
    private var activeDownloads = 0
    private var nextJobID = 1000

    public init(seed: UInt64, sink: any FarmCallSink) {
        random = SeededRandom(seed: seed)
        self.sink = sink
    }

    // MARK: The farm's shape

    /// Adds machines named `prefix-001`, ... (numbering on from machines already named so).
    /// `failureRate`: the chance that an attempt on one of them fails (bad nodes). `bootSeconds`:
    /// they join the farm that much later (cloud machines starting).
    @discardableResult
    public func addMachines(count: Int, speed: Double, prefix: String, failureRate: Double = 0, bootSeconds: Double = 0) -> [String] {
        let taken = machines.filter { $0.name.hasPrefix(prefix + "-") }.count
        let names = (0..<max(0, count)).map { index in
            let number = String(taken + index + 1)
            return "\(prefix)-" + String(repeating: "0", count: max(0, 3 - number.count)) + number
        }
        let added = names.map { Machine(name: $0, speed: speed, failureRate: failureRate) }
        machines += added
        if bootSeconds > 0 {
            for machine in added { machine.alive = false }
            events.schedule(at: now + bootSeconds) { [unowned self] in
                for machine in added where !machine.leaving { machine.alive = true }
            }
        }
        dispatch()
        return names
    }

    /// Sets the speed of the machines whose names start with `prefix` (all with nil) for the work
    /// they start from now on. Returns how many changed.
    @discardableResult
    public func setSpeed(_ speed: Double, prefix: String?) -> Int {
        let chosen = machines.filter { prefix.map($0.name.hasPrefix) ?? true }
        for machine in chosen { machine.speed = speed }
        return chosen.count
    }

    /// Takes machines off the farm now, the busy ones first (those are the losses that matter),
    /// newest first. Their jobs are rescheduled once HQueue notices, `lostMachineSeconds` later.
    /// With `drain`, busy machines finish their job first and take no new one (a workstation
    /// whose artist comes back in the morning, a node taken out of the pool).
    @discardableResult
    public func removeMachines(count: Int, prefix: String?, drain: Bool = false) -> [String] {
        let candidates = machines.indices.reversed().filter { index in
            machines[index].alive && !machines[index].leaving && (prefix.map { machines[index].name.hasPrefix($0) } ?? true)
        }
        let chosen = (candidates.filter { machines[$0].job != nil } + candidates.filter { machines[$0].job == nil }).prefix(max(0, count))
        for index in chosen {
            let machine = machines[index]
            if drain {
                machine.leaving = true
                if machine.job == nil { machine.alive = false }
                continue
            }
            machine.alive = false
            machine.token += 1
            if let lost = machine.job {
                machine.job = nil
                jobs[lost].currentFraction = 0
                events.schedule(at: now + lostMachineSeconds) { [unowned self] in
                    guard jobs[lost].state == .running(machine: index) else { return }
                    jobs[lost].state = .ready
                    rerunJobs.append(lost)
                }
            }
        }
        return chosen.map { machines[$0].name }
    }

    public var machineCounts: (alive: Int, busy: Int) {
        (machines.filter(\.alive).count, machines.filter { $0.alive && $0.job != nil }.count)
    }

    // MARK: Renders

    /// Submits a render from the workstation: the project name comes from the tracker (formula,
    /// then `suggestInactiveProjectName`), then its jobs queue. Returns the render's index.
    public func submit(_ spec: RenderSpec) -> Int {
        var name = spec.project ?? ""
        if spec.project == nil, case .string(let formula)? = call(workstation, "applyProjectNameFormula", [.string(spec.user), .string(spec.hipPath)]) {
            name = formula
        }
        if case .string(let suggested)? = call(workstation, "suggestInactiveProjectName", [.string(name)]) {
            name = suggested
        }
        let jobID = spec.jobID ?? takeJobID()
        nextJobID = max(nextJobID, jobID + 1)
        renders.append(SimulatedRender(spec: spec, project: name, jobID: jobID))
        queueJobs(of: renders.count - 1)
        dispatch()
        return renders.count - 1
    }

    /// HQueue's reschedule of a whole render: its jobs stop and run again from the first, which
    /// sends startedRenderProject again and so clears what the tracker knew.
    public func rerender(_ index: Int) {
        let render = renders[index]
        for job in render.jobs {
            if case .running(let machineIndex) = jobs[job].state {
                machines[machineIndex].job = nil
                machines[machineIndex].token += 1
            }
            jobs[job].state = .cancelled
        }
        render.generation += 1
        render.frames = Array(repeating: .init(), count: render.frameCount)
        render.jobs = []
        render.waitingForIFD = [:]
        render.startedAt = nil
        render.finishedAt = nil
        render.failed = false
        render.failedAt = nil
        render.stoppedAt = nil
        render.doneCount = 0
        render.samples = [:]
        queueJobs(of: index)
        dispatch()
    }

    public var renderCount: Int { renders.count }

    public func project(of render: Int) -> String { renders[render].project }

    /// What the farm knows of a render, independent of the tracker.
    public func progress(of render: Int) -> (done: Int, total: Int, startedAt: Double?, finishedAt: Double?, failed: Bool) {
        let render = renders[render]
        return (render.doneCount, render.frameCount, render.startedAt, render.finishedAt, render.failed)
    }

    /// Estimates sampled at each milestone reached so far, by milestone.
    public func samples(of render: Int) -> [EstimateSample] {
        renders[render].samples.values.sorted { $0.milestone < $1.milestone }
    }

    /// When the render's work ended, the truth its estimates are judged against: its last frame
    /// done, or for a failed render its last job stopped; nil while it goes on.
    public func endedAt(of render: Int) -> Double? {
        renders[render].finishedAt ?? renders[render].stoppedAt
    }

    /// The three estimates' errors at `milestone` percent; nil until the render ended, if the
    /// milestone was never sampled, or (a failed render) sampled after its failure.
    public func estimateErrors(of index: Int, at milestone: Int) -> EstimateErrors? {
        let render = renders[index]
        guard let finishedAt = endedAt(of: index), let sample = render.samples[milestone] else { return nil }
        if let failedAt = render.failedAt, sample.time >= failedAt { return nil }
        return sample.errors(finishedAt: finishedAt)
    }

    /// Whether the tracker's estimates of a render learned from a past render of its shot.
    public func learned(_ index: Int) -> Bool {
        renders[index].samples.values.contains(where: \.learned)
    }

    /// How much each estimate's predicted finish (a clock time) moved between consecutive samples
    /// of a render that ended, as a share of the render's duration: the mean over its samples
    /// before the end (and, failed, before the failure). nil for an estimate with fewer than two.
    public func finishDrift(of index: Int) -> (tracker: Double?, straightLine: Double?, averageFrame: Double?)? {
        let render = renders[index]
        guard let endedAt = endedAt(of: index), let startedAt = render.startedAt, endedAt > startedAt else { return nil }
        let samples = samples(of: index).filter { $0.time < (render.failedAt ?? endedAt) }
        func drift(_ estimate: KeyPath<EstimateSample, Double?>) -> Double? {
            let finishes = samples.compactMap { sample in sample[keyPath: estimate].map { sample.time + $0 } }
            guard finishes.count >= 2 else { return nil }
            let moves = zip(finishes, finishes.dropFirst()).map { abs($1 - $0) }
            return moves.reduce(0, +) / Double(moves.count) / (endedAt - startedAt)
        }
        return (drift(\.tracker), drift(\.straightLine), drift(\.averageFrame))
    }

    // MARK: Running

    /// Runs `action` at virtual second `time` (never before now) among the farm's own events, after
    /// those already scheduled for that moment: how a render log replayed in a scenario
    /// interleaves its calls with the simulated farm's, on one timeline.
    public func schedule(at time: Double, _ action: @escaping () -> Void) {
        events.schedule(at: max(time, now), action)
    }

    public func run(until condition: StopCondition) -> RunResult {
        dispatch()
        while true {
            if holds(condition) { return .reached }
            guard let next = events.nextTime else {
                if case .time(let limit) = condition {
                    now = max(now, limit)
                    return .reached
                }
                let waiting = jobs.filter { $0.state == .ready || $0.state == .blocked }.count
                return waiting > 0 ? .stuck(waitingJobs: waiting) : .idle
            }
            if case .time(let limit) = condition, next > limit {
                now = limit
                return .reached
            }
            guard let (time, action) = events.pop() else { continue }
            now = max(now, time)
            action()
            dispatch()
        }
    }

    private func holds(_ condition: StopCondition) -> Bool {
        switch condition {
        case .idle: false
        case .time(let limit): now >= limit && (events.nextTime.map { $0 > limit } ?? true)
        case let .framesDone(index, fraction): Double(renders[index].doneCount) >= fraction * Double(renders[index].frameCount)
        }
    }

    // MARK: Jobs

    private func takeJobID() -> Int {
        defer { nextJobID += 1 }
        return nextJobID
    }

    private func addJob(render: Int, _ kind: FarmJob.Kind, state: FarmJob.State, missingIFDs: Int = 0) -> Int {
        // The first job carries the render's job id (what startedRenderProject reports); others number on.
        let id = kind.isStart ? renders[render].jobID : takeJobID()
        jobs.append(FarmJob(id: id, render: render, kind: kind, state: state, missingIFDs: missingIFDs))
        let index = jobs.count - 1
        renders[render].jobs.append(index)
        if state == .ready { makeReady(index) }
        return index
    }

    /// The jobs a render starts with: its first job, or (existing IFDs) its render jobs.
    private func queueJobs(of render: Int) {
        if renders[render].spec.route == .existingIFDs {
            queueRenderJobs(of: render, waitForIFDs: false)
        } else {
            _ = addJob(render: render, .start, state: .ready)
        }
    }

    private func queueRenderJobs(of index: Int, waitForIFDs: Bool) {
        let render = renders[index]
        let spec = render.spec
        let positions = Array(spec.frames.indices)
        for batch in stride(from: 0, to: positions.count, by: spec.framesPerJob).map({ Array(positions[$0..<min($0 + spec.framesPerJob, positions.count)]) }) {
            for tile in 0..<spec.tiles {
                let job = addJob(render: index, .render(positions: batch, tile: tile), state: waitForIFDs ? .blocked : .ready, missingIFDs: waitForIFDs ? batch.count : 0)
                if waitForIFDs {
                    for position in batch { render.waitingForIFD[position, default: []].append(job) }
                }
            }
        }
    }

    /// Gives ready jobs to idle machines.
    private func dispatch() {
        while let machineIndex = machines.firstIndex(where: \.isIdle), let job = takeReadyJob() {
            start(job, on: machineIndex)
        }
    }

    private func makeReady(_ job: Int) {
        readyJobs.append(job, priority: renders[jobs[job].render].spec.priority)
    }

    private func takeReadyJob() -> Int? {
        while let job = rerunJobs.first {
            rerunJobs.removeFirst()
            if jobs[job].state == .ready { return job }
        }
        return readyJobs.take { jobs[$0].state == .ready }
    }

    /// Runs `body` `seconds` from now if the machine is still doing the same work then.
    private func later(_ seconds: Double, on machineIndex: Int, _ body: @escaping () -> Void) {
        let machine = machines[machineIndex]
        let token = machine.token
        events.schedule(at: now + seconds) {
            guard machine.alive, machine.token == token else { return }
            body()
        }
    }

    private func start(_ jobIndex: Int, on machineIndex: Int) {
        let job = jobs[jobIndex]
        let machine = machines[machineIndex]
        let render = renders[job.render]
        job.state = .running(machine: machineIndex)
        machine.job = jobIndex
        machine.token += 1
        if render.startedAt == nil { render.startedAt = now }
        // The job script's getConnection probes the tracker first.
        _ = call(machine.name, "isRunning", [])
        switch job.kind {
        case .start:
            runStart(jobIndex, on: machineIndex)
        case .ifd(let positions):
            writeIFDs(jobIndex, positions[...], on: machineIndex)
        case .render(let positions, let tile):
            let startup = render.spec.startupSeconds / machine.speed
            guard startup > 0 else { return renderFrames(jobIndex, positions[...], tile: tile, on: machineIndex) }
            later(startup, on: machineIndex) { [unowned self] in renderFrames(jobIndex, positions[...], tile: tile, on: machineIndex) }
        }
    }

    private func runStart(_ jobIndex: Int, on machineIndex: Int) {
        let job = jobs[jobIndex]
        let render = renders[job.render]
        let spec = render.spec
        let client = machines[machineIndex].name
        _ = call(client, "startedRenderProject", [
            .string(render.project), .array(spec.frames.map(RPCValue.int)), .bool(spec.route == .ifd), .string(String(job.id)),
        ])
        if spec.spuriousDriverError {
            _ = call(client, "setProjectError", [.string(render.project), .string("Output driver '/out/mantra1' does not exist.")])
        }
        later(spec.prepareSeconds / machines[machineIndex].speed, on: machineIndex) { [unowned self] in
            if let message = spec.projectError {
                _ = call(client, "setProjectError", [.string(render.project), .string(message)])
                fail(jobIndex, on: machineIndex)
                return
            }
            if spec.route == .ifd {
                let positions = Array(spec.frames.indices)
                for start in stride(from: 0, to: positions.count, by: spec.ifdFramesPerJob) {
                    _ = addJob(render: job.render, .ifd(positions: Array(positions[start..<min(start + spec.ifdFramesPerJob, positions.count)])), state: .ready)
                }
            }
            queueRenderJobs(of: job.render, waitForIFDs: spec.route == .ifd)
            finish(jobIndex, on: machineIndex)
        }
    }

    private func writeIFDs(_ jobIndex: Int, _ positions: ArraySlice<Int>, on machineIndex: Int) {
        guard let position = positions.first else {
            finish(jobIndex, on: machineIndex)
            return
        }
        let render = renders[jobs[jobIndex].render]
        let client = machines[machineIndex].name
        let frame = render.spec.frames[position]
        _ = call(client, "startedGeneratingFrameIFD", [.string(render.project), .int(frame)])
        later(render.spec.ifdSeconds / machines[machineIndex].speed, on: machineIndex) { [unowned self] in
            _ = call(client, "endedGeneratingFrameIFD", [.string(render.project), .int(frame)])
            render.frames[position].ifdWritten = true
            for waiting in render.waitingForIFD[position] ?? [] where jobs[waiting].state == .blocked {
                jobs[waiting].missingIFDs -= 1
                if jobs[waiting].missingIFDs == 0 {
                    jobs[waiting].state = .ready
                    makeReady(waiting)
                }
            }
            writeIFDs(jobIndex, positions.dropFirst(), on: machineIndex)
        }
    }

    private func renderFrames(_ jobIndex: Int, _ positions: ArraySlice<Int>, tile: Int, on machineIndex: Int) {
        guard let position = positions.first else {
            finish(jobIndex, on: machineIndex)
            return
        }
        let job = jobs[jobIndex]
        let render = renders[job.render]
        let spec = render.spec
        let machine = machines[machineIndex]
        let frame = spec.frames[position]
        let project = RPCValue.string(render.project)
        let failing = render.frames[position].failedAttempts < spec.failingAttempts[frame, default: 0]
            || (spec.failureRate > 0 && random.unit() < spec.failureRate)
            || (machine.failureRate > 0 && random.unit() < machine.failureRate)
        let retried = render.frames[position].failedAttempts > 0 ? spec.retrySecondsFactor : 1
        let seconds = spec.frameSeconds[position] * spec.tileShare(tile) * retried / machine.speed
        let reportsProgress = spec.route != .existingIFDs
        if reportsProgress {
            _ = call(machine.name, "startedFrameRender", [project, .int(frame), .string(String(job.id)), .string(render.imagePath(frame))])
            // mantra's tile callback is a process of its own: it probes, and its first tile asks for the image path.
            _ = call(machine.name, "isRunning", [])
            if tile == 0 { _ = call(machine.name, "getImagePath", [project, .int(frame)]) }
        }
        let reports = reportsProgress ? spec.progressReports : 1
        let stopAt = failing ? spec.failurePoint : 1
        var lastSent = 0.0
        func report(_ step: Int) {
            let reached = Double(step) / Double(reports)
            guard reached < stopAt else {
                later(seconds * stopAt - seconds * Double(step - 1) / Double(reports), on: machineIndex) { [unowned self] in
                    job.currentFraction = 0
                    if failing {
                        render.frames[position].failedAttempts += 1
                        _ = call(machine.name, "setFrameError", [project, .int(frame), .string(MantraOutput.failure(frame: frame, bytes: spec.errorOutputBytes))])
                        fail(jobIndex, on: machineIndex)
                        return
                    }
                    // mantra exits 0: the callback sends 1.0; a render from the hip file sends 100.0.
                    _ = call(machine.name, "setFrameRenderFraction", [project, .int(frame), .double(spec.route == .hip ? 100.0 : 1.0)])
                    tileRendered(position, of: job.render, seconds: seconds * machine.speed)
                    renderFrames(jobIndex, positions.dropFirst(), tile: tile, on: machineIndex)
                }
                return
            }
            later(seconds / Double(reports), on: machineIndex) { [unowned self] in
                // The tile callback floors to 0.01 and sends only a changed value.
                let fraction = (reached * 100).rounded(.down) / 100
                job.currentFraction = fraction / Double(spec.tiles)
                if fraction != lastSent {
                    lastSent = fraction
                    _ = call(machine.name, "setFrameRenderFraction", [project, .int(frame), .double(fraction)])
                }
                report(step + 1)
            }
        }
        report(1)
    }

    private func tileRendered(_ position: Int, of index: Int, seconds: Double) {
        let render = renders[index]
        render.frames[position].tilesRendered += 1
        render.frames[position].renderSeconds += seconds
        guard render.frames[position].tilesRendered >= render.spec.tiles, !render.frames[position].rendered else { return }
        render.frames[position].rendered = true
        if render.spec.downloadSeconds != nil {
            downloads.append((index, position, render.generation))
            startDownloads()
        } else {
            frameDone(position, of: index)
        }
    }

    /// Cloud renders: the workstation fetches finished frames a few at a time.
    private func startDownloads() {
        while downloadHead < downloads.count {
            let (index, position, generation) = downloads[downloadHead]
            let render = renders[index]
            guard let seconds = render.spec.downloadSeconds, activeDownloads < render.spec.downloadSlots else { return }
            downloadHead += 1
            guard generation == render.generation else { continue }
            activeDownloads += 1
            let frame = render.spec.frames[position]
            for step in 1...4 {
                events.schedule(at: now + seconds * Double(step) / 4) { [unowned self] in
                    guard generation == render.generation else {
                        if step == 4 { activeDownloads -= 1; startDownloads() }
                        return
                    }
                    _ = call(workstation, "setFrameDownloadFraction", [.string(render.project), .int(frame), .double(Double(step) / 4)])
                    if step == 4 {
                        activeDownloads -= 1
                        frameDone(position, of: index)
                        startDownloads()
                    }
                }
            }
        }
    }

    private func frameDone(_ position: Int, of index: Int) {
        let render = renders[index]
        guard !render.frames[position].done else { return }
        render.frames[position].done = true
        render.doneCount += 1
        if render.doneCount == render.frameCount { render.finishedAt = now }
        let reached = Self.milestones.filter { render.samples[$0] == nil && render.doneCount * 100 >= $0 * render.frameCount }
        guard !reached.isEmpty, render.doneCount < render.frameCount else { return }
        // Sampled once the event that finished the frame is over and the freed machine has taken
        // its next job (HQueue hands it one at once): at the instant a frame finishes, its machine
        // reads idle for no reason a monitor would ever see.
        let generation = render.generation
        events.schedule(at: now) { [unowned self] in
            guard render.generation == generation else { return }
            var sample = sampleEstimates(of: index)
            for milestone in reached where render.samples[milestone] == nil {
                sample.milestone = milestone
                render.samples[milestone] = sample
            }
        }
    }

    /// The tracker's estimate, asked as a monitor asks, and the two baselines from the farm's view.
    private func sampleEstimates(of index: Int) -> EstimateSample {
        let render = renders[index]
        var tracker: Double?
        var range: (low: Double, high: Double)?
        var learned = false
        if case .structure(let summary)? = call("monitor", "getProjectSummary", [.string(render.project)]) {
            tracker = summary["seconds_left"]?.number
            if let low = summary["seconds_left_low"]?.number, let high = summary["seconds_left_high"]?.number { range = (low, high) }
            if case .string? = summary["learned_from"] { learned = true }
        }
        let total = Double(render.frameCount)
        let done = Double(render.doneCount)
        let elapsed = now - (render.startedAt ?? now)
        let working = render.jobs.filter { jobs[$0].isRenderJob && jobs[$0].state.isRunning }
        let partial = working.reduce(0.0) { $0 + jobs[$1].currentFraction }
        let percent = 100 * (done + partial) / total
        let straightLine = percent > 0 && elapsed > 0 ? elapsed * 100 / percent - elapsed : nil
        let finished = render.frames.filter(\.done)
        let averageFrame: Double? = finished.isEmpty || working.isEmpty
            ? nil : finished.reduce(0.0) { $0 + $1.renderSeconds } / Double(finished.count) * (total - done) / Double(working.count)
        return EstimateSample(
            milestone: 0, time: now, framesDone: render.doneCount, tracker: tracker, trackerRange: range, learned: learned,
            straightLine: straightLine, averageFrame: averageFrame)
    }

    private func finish(_ jobIndex: Int, on machineIndex: Int) {
        jobs[jobIndex].state = .finished
        release(machineIndex)
        noteStopped(jobs[jobIndex].render)
    }

    /// The machine's job is over: it takes the next one, or leaves if it was draining.
    private func release(_ machineIndex: Int) {
        machines[machineIndex].job = nil
        if machines[machineIndex].leaving { machines[machineIndex].alive = false }
    }

    /// A failed render stops once none of its jobs runs or waits any more.
    private func noteStopped(_ index: Int) {
        let render = renders[index]
        guard render.failed, render.stoppedAt == nil else { return }
        let active = render.jobs.contains { job in
            switch jobs[job].state {
            case .ready, .blocked, .running: true
            case .finished, .failed, .cancelled: false
            }
        }
        if !active { render.stoppedAt = now }
    }

    /// A failed job: HQueue reruns it while retries last; after that the render cannot finish.
    private func fail(_ jobIndex: Int, on machineIndex: Int) {
        let job = jobs[jobIndex]
        release(machineIndex)
        job.failures += 1
        if job.failures <= renders[job.render].spec.retries {
            job.state = .ready
            rerunJobs.append(jobIndex)
        } else {
            job.state = .failed
            if !renders[job.render].failed { renders[job.render].failedAt = now }
            renders[job.render].failed = true
        }
        noteStopped(job.render)
    }

    private func call(_ client: String, _ method: String, _ params: [RPCValue]) -> RPCValue? {
        callsMade += 1
        return sink.send(FarmCall(time: now, client: client, method: method, params: params))
    }
}

extension RPCValue {
    fileprivate var number: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
}

extension FarmJob.Kind {
    fileprivate var isStart: Bool {
        if case .start = self { true } else { false }
    }
}

extension FarmJob.State {
    fileprivate var isRunning: Bool {
        if case .running = self { true } else { false }
    }
}
