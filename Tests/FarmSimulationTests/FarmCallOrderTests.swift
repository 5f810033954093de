import FarmSimulation
import Testing
import RPC

/// Keeps every call and answers as a tracker would, enough for the farm to go on.
private final class CallLog: FarmCallSink {
    var calls: [FarmCall] = []

    func send(_ call: FarmCall) -> RPCValue? {
        calls.append(call)
        switch call.method {
        case "suggestInactiveProjectName": return call.params[0]
        case "applyProjectNameFormula": return .string("formula/name")
        case "getProjectSummary": return .null
        default: return .bool(true)
        }
    }

    /// `method(frame)` for frame calls, `method` for the others: the order at a glance.
    var sequence: [String] {
        calls.map { call in
            guard call.params.count > 1, case .int(let frame) = call.params[1] else { return call.method }
            return "\(call.method)(\(frame))"
        }
    }
}

@Suite("The simulated farm sends what HQueue clients send")
struct FarmCallOrderTests {
    private func render(_ route: RenderRoute, frames: [Int] = [7], configure: (inout RenderSpec) -> Void = { _ in }) -> CallLog {
        let log = CallLog()
        let farm = Farm(seed: 1, sink: log)
        farm.addMachines(count: 1, speed: 1, prefix: "node")
        var spec = RenderSpec(
            project: "p", user: "u", hipPath: "/jobs/s/shot.hip", frames: frames, frameSeconds: frames.map { _ in 100 }, route: route)
        spec.progressReports = 4
        configure(&spec)
        _ = farm.submit(spec)
        #expect(farm.run(until: .idle) == .idle)
        return log
    }

    @Test("IFD route: start, IFD written, render with callback fractions floored to 0.01, then 1.0")
    func ifdRoute() {
        let log = render(.ifd)
        #expect(log.sequence == [
            "suggestInactiveProjectName",
            "isRunning", "startedRenderProject",
            "isRunning", "startedGeneratingFrameIFD(7)", "endedGeneratingFrameIFD(7)",
            "isRunning", "startedFrameRender(7)", "isRunning", "getImagePath(7)",
            "setFrameRenderFraction(7)", "setFrameRenderFraction(7)", "setFrameRenderFraction(7)", "setFrameRenderFraction(7)",
        ])
        let fractions = log.calls.filter { $0.method == "setFrameRenderFraction" }.map { $0.params[2] }
        #expect(fractions == [.double(0.25), .double(0.5), .double(0.75), .double(1.0)])
        let started = log.calls.first { $0.method == "startedRenderProject" }
        #expect(started?.params == [.string("p"), .array([.int(7)]), .bool(true), .string("1000")])
        #expect(log.calls.first { $0.method == "startedFrameRender" }?.params[3] == .string("/jobs/s/render/shot.0007.exr"))
    }

    @Test("Render from hip: generate_ifds false, no IFD calls, 100.0 when a frame finishes")
    func hipRoute() {
        let log = render(.hip)
        #expect(!log.sequence.contains { $0.hasPrefix("startedGeneratingFrameIFD") })
        #expect(log.calls.first { $0.method == "startedRenderProject" }?.params[2] == .bool(false))
        #expect(log.calls.last { $0.method == "setFrameRenderFraction" }?.params[2] == .double(100.0))
    }

    // getProjectSummary is the monitor's question at each 5% milestone, for eta-report: asked once
    // the freed machine has taken its next job (its isRunning probe), never at the last frame
    // (nothing is left to estimate).
    @Test("Existing IFDs: no start of any kind, only 1.0 for each frame")
    func existingIFDs() {
        let log = render(.existingIFDs, frames: [1, 2])
        #expect(log.sequence == [
            "suggestInactiveProjectName", "isRunning", "setFrameRenderFraction(1)",
            "isRunning", "getProjectSummary", "setFrameRenderFraction(2)",
        ])
    }

    @Test("A failing attempt sends setFrameError with mantra's whole output, and HQueue's retry starts the frame again")
    func failureAndRetry() {
        let log = render(.ifd) { spec in
            spec.failingAttempts = [7: 1]
            spec.errorOutputBytes = 100_000
        }
        let error = log.calls.first { $0.method == "setFrameError" }
        guard case .string(let message)? = error?.params[2] else {
            Issue.record("no setFrameError")
            return
        }
        #expect(message.utf8.count >= 99_000 && message.contains("mantra exited with status 3"))
        #expect(log.sequence.filter { $0 == "startedFrameRender(7)" }.count == 2)
        #expect(log.calls.last { $0.method == "setFrameRenderFraction" }?.params[2] == .double(1.0))
    }

    @Test("Tiles: each tile job sends startedFrameRender for the frame with its own job id; only the first asks for the image path")
    func tiles() {
        let log = render(.ifd) { $0.tiles = 3 }
        let starts = log.calls.filter { $0.method == "startedFrameRender" }
        #expect(starts.count == 3)
        #expect(Set(starts.map { $0.params[2] }).count == 3)
        #expect(log.calls.filter { $0.method == "getImagePath" }.count == 1)
    }

    @Test("Cloud renders: the workstation downloads each rendered frame in quarters")
    func downloads() {
        let log = render(.hip) { $0.downloadSeconds = 20 }
        let downloads = log.calls.filter { $0.method == "setFrameDownloadFraction" }
        #expect(downloads.map { $0.params[2] } == [.double(0.25), .double(0.5), .double(0.75), .double(1.0)])
        #expect(downloads.allSatisfy { $0.client == "workstation" })
    }

    @Test("A project error before any frame fails the first job; no frame is rendered")
    func projectError() {
        let log = render(.hip) {
            $0.projectError = "Cannot find hip file"
            $0.retries = 0
        }
        #expect(log.calls.contains { $0.method == "setProjectError" && $0.params[1] == .string("Cannot find hip file") })
        #expect(!log.calls.contains { $0.method == "startedFrameRender" })
    }

    @Test("A lost machine's job runs again elsewhere once HQueue notices, and the render finishes")
    func lostMachine() {
        let log = CallLog()
        let farm = Farm(seed: 1, sink: log)
        farm.addMachines(count: 2, speed: 1, prefix: "node")
        var spec = RenderSpec(project: "p", user: "u", hipPath: "/h.hip", frames: [1, 2], frameSeconds: [600, 600], route: .hip)
        spec.prepareSeconds = 0
        let render = farm.submit(spec)
        #expect(farm.run(until: .time(300)) == .reached)
        #expect(farm.removeMachines(count: 1, prefix: nil) == ["node-002"])
        #expect(farm.run(until: .idle) == .idle)
        let progress = farm.progress(of: render)
        #expect(progress.done == 2)
        // Lost at 300 s, noticed 120 s later, rendered again for 600 s after the first frame freed node-001.
        #expect(progress.finishedAt == 1200)
    }

    @Test("The same seed gives the same farm, call for call")
    func deterministic() {
        func run() -> [String] {
            let log = CallLog()
            let farm = Farm(seed: 42, sink: log)
            farm.addMachines(count: 3, speed: 1, prefix: "node")
            var spec = RenderSpec(project: "p", user: "u", hipPath: "/h.hip", frames: Array(1...20), frameSeconds: Array(repeating: 50, count: 20), route: .ifd)
            spec.failureRate = 0.2
            _ = farm.submit(spec)
            _ = farm.run(until: .idle)
            return log.calls.map { "\($0.time) \($0.client) \($0.sequenceKey)" }
        }
        let first = run()
        #expect(first.contains { $0.contains("setFrameError") }, "a 20% failure rate fails some attempt of 20 frames")
        #expect(first == run())
    }
}

extension FarmCall {
    fileprivate var sequenceKey: String { "\(method) \(params.map(\.debugSummary).joined(separator: ","))" }
}
