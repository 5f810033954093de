#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeapModule

/// The rest of a render played out as HQueue runs it: each machine, as it frees up, takes the
/// next job in the queue, and a job renders its frames one after another on that machine. Unlike
/// total work over machines, this sees the last wave, where machines fall idle one by one while the
/// final frames render, and jobs of several frames, whose frames cannot spread over free machines.
struct RenderSchedule {
    /// A machine at work now: when it is free, and how uncertain that moment is (the standard
    /// deviation of the last thing it renders), when each frame it has left finishes, and how much
    /// longer than the typical machine it takes (`FrameCostModel.speedFactor`).
    struct Busy {
        var freeAt: Double
        var spread: Double
        var frameFinishes: [Double]
        var slowness: Double = 1
    }

    /// When the render's last frame is likely done, and when each frame still to render finishes
    /// (for the downloads behind them).
    struct Outcome {
        var finish: Double
        var frameFinishes: [Double]
    }

    /// Jobs in queue order, each its frames' expected seconds, all in one array: an array a job
    /// was an allocation a frame on every estimate of a render of one-frame jobs (10,000 of them
    /// at 20,000 frames half done).
    struct Jobs: ExpressibleByArrayLiteral {
        /// Every job's frames, job after job.
        private(set) var seconds: [Double] = []
        /// Where each job's frames end in `seconds`.
        private(set) var ends: [Int] = []

        init() {}

        init(arrayLiteral jobs: [Double]...) {
            for job in jobs { append(job) }
        }

        /// A job of these frames at the end of the queue.
        mutating func append(_ frames: some Sequence<Double>) {
            seconds.append(contentsOf: frames)
            ends.append(seconds.count)
        }

        /// One more frame for the last job (the first job, when there is none).
        mutating func appendToLast(_ frame: Double) {
            seconds.append(frame)
            if ends.isEmpty { ends.append(seconds.count) } else { ends[ends.count - 1] = seconds.count }
        }

        /// `other`'s jobs after these.
        mutating func append(contentsOf other: Jobs) {
            let offset = seconds.count
            ends.append(contentsOf: other.ends.lazy.map { $0 + offset })
            seconds.append(contentsOf: other.seconds)
        }

        /// Each job's frames, in queue order.
        var each: some Sequence<ArraySlice<Double>> {
            ends.indices.lazy.map { seconds[($0 == 0 ? 0 : ends[$0 - 1])..<ends[$0]] }
        }
    }

    /// `busy` machines finish their current work first; `idle` more are free now. `jobs` are in
    /// queue order, each its frames' expected seconds; `spread` is each frame's standard deviation
    /// as a share of its expected time. Frame times vary, so the last of several machines to
    /// finish at about the same moment runs long: the expected largest of them is taken, not the mean.
    static func play(busy: [Busy], idle: Int, jobs: Jobs, spread: Double) -> Outcome {
        var frameFinishes = busy.flatMap(\.frameFinishes)
        var machines = Heap(busy.map { Machine(freeAt: $0.freeAt, spread: $0.spread, slowness: $0.slowness) })
        for _ in 0..<max(0, idle) { machines.insert(Machine(freeAt: 0, spread: 0, slowness: 1)) }
        if machines.isEmpty { machines.insert(Machine(freeAt: 0, spread: 0, slowness: 1)) }
        frameFinishes.reserveCapacity(frameFinishes.count + jobs.seconds.count)
        for job in jobs.each {
            guard var machine = machines.popMin() else { break }
            for seconds in job {
                machine.freeAt += seconds * machine.slowness
                frameFinishes.append(machine.freeAt)
            }
            if let last = job.last { machine.spread = last * machine.slowness * spread }
            machines.insert(machine)
        }
        let final = machines.unordered
        guard let latest = final.max(by: { $0.freeAt < $1.freeAt }) else { return Outcome(finish: 0, frameFinishes: frameFinishes) }
        let contenders = final.filter { $0.freeAt >= latest.freeAt - latest.spread }.count
        return Outcome(finish: latest.freeAt + latest.spread * expectedLargestOfNormals(contenders), frameFinishes: frameFinishes)
    }

    /// When the last download ends: `slots` downloads at a time, each `seconds` long, of frames
    /// ready at `ready` (0 for those rendered and waiting now), after `inProgress` downloads end.
    static func downloads(ready: [Double], inProgress: [Double], slots: Int, seconds: Double) -> Double {
        var free = Heap(inProgress)
        while free.count < max(1, slots) { free.insert(0) }
        var finish = inProgress.max() ?? 0
        for start in ready.sorted() {
            guard let slot = free.popMin() else { break }
            let end = max(slot, start) + seconds
            finish = max(finish, end)
            free.insert(end)
        }
        return finish
    }

    /// The expected largest of `count` standard normal draws, by Blom's approximation
    /// `Φ⁻¹((n − 0.375) / (n + 0.25))` (within 0.03 of the exact values from 2 to 1,000: 0.589
    /// against 0.564 at 2, 1.546 against 1.539 at 10, 2.498 against 2.508 at 100).
    static func expectedLargestOfNormals(_ count: Int) -> Double {
        guard count > 1 else { return 0 }
        return upperNormalQuantile(0.625 / (Double(count) + 0.25))
    }

    /// `x` with `P(Z > x) = tail` for a standard normal `Z`, `tail` in (0, 0.5] (Abramowitz and
    /// Stegun 26.2.23, error below 4.5e-4).
    static func upperNormalQuantile(_ tail: Double) -> Double {
        let t = (-2 * log(min(0.5, max(tail, 1e-300)))).squareRoot()
        return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
    }

    private struct Machine: Comparable {
        var freeAt: Double
        var spread: Double
        var slowness: Double

        static func < (lhs: Machine, rhs: Machine) -> Bool { lhs.freeAt < rhs.freeAt }
        static func == (lhs: Machine, rhs: Machine) -> Bool { lhs.freeAt == rhs.freeAt }
    }
}
