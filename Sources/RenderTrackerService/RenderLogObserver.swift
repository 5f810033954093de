public import RenderLog
public import RenderTracker
public import RPC

/// Puts a render log (`serve --record`) on both paths a call can take: every write the pipeline
/// applies, stamped with the write's own time inside the tracker's lock (so concurrent clients are
/// recorded in the order their writes applied), and, when the recorder records reads, every
/// successful read the dispatcher answers, stamped with `clock`.
public struct RenderLogObserver: TrackerObserver, RPCCallObserver {
    public let recorder: RenderLogRecorder
    public let clock: any TrackerClock

    public init(recorder: RenderLogRecorder, clock: any TrackerClock) {
        self.recorder = recorder
        self.clock = clock
    }

    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        if let call = write.call {
            recorder.append(call, at: write.outcome.time)
        }
    }

    /// system.* are never recorded (a multicall's inner calls are, one by one); writes were
    /// recorded by the pipeline.
    public func dispatcher(finished name: String, params: [RPCValue], client: String?, method: RPCMethod?, result: Result<RPCValue, RPCFault>) {
        guard recorder.recordReads, case .success = result, let method, !method.changesState, !name.hasPrefix("system.") else { return }
        recorder.append(RecordedCall(method: name, params: params, client: client), at: clock.now())
    }
}
