#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a project's finished frames say about the ones still to render: a frame's cost by where
/// it lies in the shot, how much faster or slower each machine is, how much frame times stray,
/// and how much machine time failed and lost attempts waste.
///
/// Why by where in the shot rather than one recent mean: shots get heavier or lighter along their
/// frames (a camera moving into an FX section, a heavy middle), and HQueue's subdivision order
/// renders the ends and midpoints first, so the finished frames of a region say most about the
/// frames left in it. The shot's frame numbers are cut into up to `maximumBins` equal spans; a
/// span's cost is the mean of its finished frames, drawn towards the mean of the whole shot while
/// it has few; a span with none takes the line between its nearest spans with finished frames,
/// or the nearest one's value at the ends.
struct FrameCostModel: Sendable {
    static let maximumBins = 12
    /// Finished frames a span needs before its own mean counts as much as the shot's.
    static let binPrior = 3.0
    /// Finished frames a machine needs before its own speed counts as much as the farm's typical.
    static let machinePrior = 0.5

    private let lowestNumber: Int
    private let span: Int
    private let bins: [Double]
    /// Each machine's factor, by its number in `machineIndex` (the project's).
    private let machineFactors: [Double]
    private let machineIndex: [String: Int32]
    /// The shot's last render, and how much slower (above 1) this one renders the same frames.
    private let history: ShotHistory?
    let historyScale: Double
    /// Finished frames' cost over what the model expected of them, sorted, with suffix sums, for
    /// the time left of a frame that has run for a while (`remainingShare`).
    private let ratios: [Double]
    private let ratioSuffixSums: [Double]
    /// How much frame times stray from the model: the standard deviation of `ratios`.
    let spread: Double
    /// Machine time spent per second of successful render: 1 without failures or lost machines.
    let wasteFactor: Double
    /// Finished frames the model learned from.
    let sampleCount: Int

    /// The mean cost of the shot's frames, as the model has them.
    var meanCost: Double { bins.reduce(0, +) / Double(bins.count) }

    /// Before any frame finished: every frame costs `typical` (what the frames in flight imply).
    init(typical: Double) {
        lowestNumber = 0
        span = 1
        bins = [typical]
        machineFactors = []
        machineIndex = [:]
        history = nil
        historyScale = 1
        ratios = []
        ratioSuffixSums = [0]
        spread = 0.25
        wasteFactor = 1
        sampleCount = 0
    }

    /// A frame still rendering, with what it is expected to take in all: counted with the finished
    /// ones, because these are the frames that run long. Finished frames alone are biased short
    /// (of the frames started together, the quick ones finish first), which made every estimate
    /// short by about 15% early in a render.
    struct InFlight {
        var number: Int
        var seconds: Double
        var machine: String?
    }

    /// The model of `project`'s finished frames (and `inFlight`), starting from `history` when
    /// the shot rendered before; nil when no frame finished with a fair render time and there
    /// is no history with times. The finished frames are read from `Project.estimateEvidence`,
    /// compact values with machines numbered, not from the frames themselves.
    init?(project: Project, inFlight: [InFlight] = [], history: ShotHistory? = nil) {
        guard let numbers = project.numberRange else { return nil }
        let evidence = project.estimateEvidence
        let binCount = max(1, min(Self.maximumBins, project.frameCount / 16))
        let lowest = numbers.lowerBound
        lowestNumber = lowest
        span = max(1, (numbers.upperBound - lowest + binCount) / binCount)
        machineIndex = evidence.machineIndex

        var sums = [Double](repeating: 0, count: binCount)
        var counts = [Double](repeating: 0, count: binCount)
        var finished: [(bin: Int, number: Int, seconds: Double, machine: Int32?)] = []
        var machineTime = 0.0
        var renderTime = 0.0
        for frame in evidence.frames {
            guard let seconds = frame.renderSeconds else { continue }
            let bin = min(binCount - 1, (frame.number - lowest) / span)
            sums[bin] += seconds
            counts[bin] += 1
            finished.append((bin, frame.number, seconds, frame.machine))
            machineTime += max(frame.machineSeconds, seconds)
            renderTime += seconds
        }
        let past = history.map { history in history.numbers.compactMap { history.seconds(of: $0) } } ?? []
        guard !finished.isEmpty || !past.isEmpty else { return nil }
        for frame in inFlight where frame.seconds > 0 {
            let bin = min(binCount - 1, max(0, (frame.number - lowest) / span))
            sums[bin] += frame.seconds
            counts[bin] += 1
            finished.append((bin, frame.number, frame.seconds, frame.machine.flatMap { evidence.machineIndex[$0] }))
        }
        sampleCount = finished.count
        wasteFactor = renderTime > 0 ? min(3, max(1, machineTime / renderTime)) : 1

        let mean = finished.isEmpty ? past.reduce(0, +) / Double(past.count) : sums.reduce(0, +) / counts.reduce(0, +)
        var values = [Double?](repeating: nil, count: binCount)
        for bin in 0..<binCount where counts[bin] > 0 {
            values[bin] = (sums[bin] + Self.binPrior * mean) / (counts[bin] + Self.binPrior)
        }
        let bins = finished.isEmpty ? Array(repeating: mean, count: binCount) : Self.filled(values, trend: Self.trend(finished.map { ($0.number, $0.seconds) }, span: span))
        self.bins = bins
        self.history = history
        historyScale = history.map { Self.scale(finished.map { ($0.number, $0.seconds) }, against: $0) } ?? 1
        let scale = historyScale
        func expected(_ sample: (bin: Int, number: Int, seconds: Double, machine: Int32?)) -> Double {
            history?.seconds(of: sample.number).map { $0 * scale } ?? bins[sample.bin]
        }

        var logSums = [(sum: Double, count: Double)](repeating: (0, 0), count: machineIndex.count)
        for sample in finished {
            guard let machine = sample.machine.map(Int.init) else { continue }
            logSums[machine].sum += log(sample.seconds / expected(sample))
            logSums[machine].count += 1
        }
        // A machine without samples: exp(0) = 1, the typical machine.
        let factors = logSums.map { exp($0.sum / ($0.count + Self.machinePrior)) }
        machineFactors = factors

        let sorted = finished.map { sample in
            // Against the shot's spans, not the past render: a past render that timed the same frames
            // says nothing of how the frames it did not reach stray (a shot rendered the same way
            // twice strays by nothing against itself, and its last wave then had no allowance).
            sample.seconds / (bins[sample.bin] * (sample.machine.map { factors[Int($0)] } ?? 1))
        }.sorted()
        ratios = sorted
        var suffix = [Double](repeating: 0, count: sorted.count + 1)
        for index in sorted.indices.reversed() { suffix[index] = suffix[index + 1] + sorted[index] }
        ratioSuffixSums = suffix
        let ratioMean = suffix[0] / Double(max(1, sorted.count))
        let variance = sorted.reduce(0) { $0 + ($1 - ratioMean) * ($1 - ratioMean) } / Double(max(1, sorted.count))
        spread = sorted.count >= 4 ? variance.squareRoot() : 0.25
    }

    /// How this render's frames compare with the same frames last time: the geometric mean of
    /// their ratios, drawn towards 1 by one frame's worth when they are slower (revised up fast:
    /// a heavier version shows in its first frames) and by four when faster (revised down slowly:
    /// the light frames of a shot tend to finish first).
    private static func scale(_ samples: [(number: Int, seconds: Double)], against history: ShotHistory) -> Double {
        var sum = 0.0
        var count = 0.0
        for sample in samples {
            guard let before = history.seconds(of: sample.number), before > 0 else { continue }
            sum += log(sample.seconds / before)
            count += 1
        }
        guard count > 0 else { return 1 }
        return exp(sum / (count + (sum >= 0 ? 1 : 4)))
    }

    /// The trend of the finished frames' cost along the shot, in seconds per span, for the spans
    /// the render has not reached: the least-squares slope over every finished frame, drawn
    /// towards none when noisy (a flat shot must not be extrapolated from its noise): the slope
    /// times `t² / (t² + 4)`, `t` being the slope over its standard error. A shot getting heavier
    /// into an FX section or lighter as the camera pulls out is then costed ahead of the frames
    /// that show it. Over every finished frame rather than the newest spans: a heavy section
    /// just behind made the newest spans' slope fall steeply (heavy-middle-section: 10% to 32%
    /// off on the tuning set; every span, 10%; a ramp's shot 78% to 40%).
    private static func trend(_ samples: [(number: Int, seconds: Double)], span: Int) -> Double {
        guard samples.count >= 6 else { return 0 }
        let count = Double(samples.count)
        let meanX = samples.reduce(0) { $0 + Double($1.number) } / count
        let meanY = samples.reduce(0) { $0 + $1.seconds } / count
        var sxx = 0.0
        var sxy = 0.0
        for sample in samples {
            sxx += (Double(sample.number) - meanX) * (Double(sample.number) - meanX)
            sxy += (Double(sample.number) - meanX) * (sample.seconds - meanY)
        }
        guard sxx > 0 else { return 0 }
        let perFrame = sxy / sxx
        let residual = samples.reduce(0) { sum, sample in
            let off = sample.seconds - meanY - perFrame * (Double(sample.number) - meanX)
            return sum + off * off
        }
        let standardError = (residual / max(1, count - 2) / sxx).squareRoot()
        guard standardError > 0 else { return perFrame * Double(span) }
        let t2 = (perFrame / standardError) * (perFrame / standardError)
        return perFrame * Double(span) * t2 / (t2 + 4)
    }

    /// Spans without finished frames: the line between the nearest spans with some; beyond the
    /// first and last, the nearest one's value carried on along `trend` (per span), within a third
    /// and three times that value.
    private static func filled(_ values: [Double?], trend: Double) -> [Double] {
        let known = values.indices.filter { values[$0] != nil }
        return values.indices.map { bin in
            if let value = values[bin] { return value }
            let before = known.last { $0 < bin }
            let after = known.first { $0 > bin }
            switch (before, after) {
            case let (low?, high?):
                let share = Double(bin - low) / Double(high - low)
                return (values[low] ?? 0) * (1 - share) + (values[high] ?? 0) * share
            case let (low?, nil):
                let edge = values[low] ?? 0
                return min(3 * edge, max(edge / 3, edge + trend * Double(bin - low)))
            case let (nil, high?):
                let edge = values[high] ?? 0
                return min(3 * edge, max(edge / 3, edge - trend * Double(high - bin)))
            case (nil, nil): return 0
            }
        }
    }

    /// Expected seconds of frame `number` on a machine of the farm's typical speed: what it took
    /// last time, scaled by how this render compares, else by where it lies in the shot.
    func cost(of number: Int) -> Double {
        if let before = history?.seconds(of: number) { return before * historyScale }
        return bins[max(0, min(bins.count - 1, (number - lowestNumber) / span))]
    }

    /// How much slower (above 1) or faster a machine rendered than the model expected.
    func speedFactor(of machine: String?) -> Double {
        machine.flatMap { machineIndex[$0] }.map { machineFactors[Int($0)] } ?? 1
    }

    /// The expected time still ahead of a frame expected to take `expected` seconds that has run
    /// for `elapsed`, as frames like it finished: the mean overshoot of the finished frames that
    /// ran longer than this one has. A frame that has run longer than nearly all of them is a
    /// heavy one, of unknown weight: it is given half as long again as it has run.
    func remaining(expected: Double, elapsed: Double) -> Double {
        guard expected > 0 else { return elapsed / 2 }
        let share = elapsed / expected
        var low = 0
        var high = ratios.count
        while low < high {
            let middle = (low + high) / 2
            if ratios[middle] <= share { low = middle + 1 } else { high = middle }
        }
        let longer = ratios.count - low
        guard longer >= 3 else { return max(elapsed / 2, expected - elapsed) }
        return expected * (ratioSuffixSums[low] / Double(longer) - share)
    }
}
