/// What a TD asks after a night's render (`getRenderReport`): every frame's outcome, and the
/// figures over them: frame-time percentiles, the slowest frames, machine time, retries, failures
/// by machine, completions and concurrency over time. Computed from the frames when asked, so a
/// store keeps only the frames.
public struct RenderReport: Sendable, Equatable {
    public var render: PastRender
    /// Sorted by frame number.
    public var frames: [FrameResult]

    public init(render: PastRender, frames: [FrameResult]) {
        self.render = render
        self.frames = frames.sorted { $0.number < $1.number }
    }

    /// A project's render as it stands.
    public init(_ project: Project, ending: PastRender.Ending) {
        self.init(render: PastRender(project, ending: ending), frames: project.framesInOrder.map(FrameResult.init))
    }

    /// Render seconds of the frames that finished, sorted.
    public var frameTimes: [Double] {
        frames.compactMap(\.renderSeconds).sorted()
    }

    /// The frame time below which `fraction` of the finished frames fall (nearest rank); nil
    /// without finished frames.
    public func frameTime(percentile fraction: Double) -> Double? {
        let times = frameTimes
        guard !times.isEmpty else { return nil }
        let rank = Int((fraction * Double(times.count)).rounded(.up))
        return times[min(times.count, max(1, rank)) - 1]
    }

    /// The `count` frames that took longest, slowest first.
    public func slowestFrames(_ count: Int = 10) -> [FrameResult] {
        Array(frames.filter { $0.renderSeconds != nil }.sorted { ($0.renderSeconds ?? 0) > ($1.renderSeconds ?? 0) }.prefix(count))
    }

    /// Renders started beyond each frame's first.
    public var retries: Int {
        frames.reduce(0) { $0 + max(0, $1.attempts - 1) }
    }

    /// Failed attempts per machine, retried ones included (a frame in Error that no machine
    /// reported counts under "unknown"), most first.
    public var failuresByMachine: [(machine: String, failures: Int)] {
        var counts: [String: Int] = [:]
        for frame in frames {
            for machine in frame.failedOn {
                counts[machine, default: 0] += 1
            }
            if frame.status == .error, frame.failedOn.isEmpty {
                counts["unknown", default: 0] += 1
            }
        }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    /// Frames finished per machine and their mean frame time, busiest first.
    public var frameTimesByMachine: [(machine: String, frames: Int, meanSeconds: Double)] {
        var sums: [String: (count: Int, seconds: Double)] = [:]
        for frame in frames {
            guard let seconds = frame.renderSeconds else { continue }
            let entry = sums[frame.machine ?? "unknown", default: (0, 0)]
            sums[frame.machine ?? "unknown"] = (entry.count + 1, entry.seconds + seconds)
        }
        return sums.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
            .map { ($0.key, $0.value.count, $0.value.seconds / Double($0.value.count)) }
    }

    /// One slice of the render's time line.
    public struct TimeSlice: Sendable, Equatable {
        public var start: Timestamp
        /// Frames that finished in the slice.
        public var completions: Int
        /// Frames rendering at the slice's middle (each frame's last render).
        public var rendering: Int
    }

    /// The render's span cut into `slices` equal parts: completions and concurrency over time.
    public func timeline(slices: Int = 24) -> [TimeSlice] {
        let span = render.endedAt.seconds(since: render.startedAt)
        guard slices > 0, span > 0 else { return [] }
        let width = span / Double(slices)
        var timeline = (0..<slices).map {
            TimeSlice(start: render.startedAt.advanced(bySeconds: Double($0) * width), completions: 0, rendering: 0)
        }
        func slice(of time: Timestamp) -> Int {
            min(slices - 1, max(0, Int(time.seconds(since: render.startedAt) / width)))
        }
        for frame in frames {
            if frame.status == .done, let finished = frame.finishedAt {
                timeline[slice(of: finished)].completions += 1
            }
            guard let start = frame.renderStartedAt else { continue }
            let end = frame.renderSeconds.map { start.advanced(bySeconds: $0) } ?? frame.finishedAt ?? render.endedAt
            let first = slice(of: start)
            for index in first...max(first, slice(of: end)) {
                let middle = timeline[index].start.advanced(bySeconds: width / 2)
                if start <= middle, middle < end {
                    timeline[index].rendering += 1
                }
            }
        }
        return timeline
    }
}
