public import RenderTracker
public import RPC
public import RenderLog

/// Where a replay sends its calls: a tracker in this process (virtual time) or a live one.
public protocol ReplayTarget: AnyObject {
    /// For the summary: "in-process" or the URL.
    var name: String { get }
    /// A session header after calls: the recorded daemon restarted and lost its state.
    func restart() async throws
    /// Sends one recorded call. `offset` is the seconds since the first call, already divided by
    /// the speed; `time` is the recorded time. Throws only when the target cannot be reached.
    func send(_ call: RecordedCall, time: Timestamp, offset: Double) async throws -> Result<RPCValue, RPCFault>
    /// A read for the summary, not counted as a replayed call.
    func read(_ method: String, _ params: [RPCValue]) async throws -> Result<RPCValue, RPCFault>
    /// Frames Done and frames in all of a project, when known; asked after calls that may finish a frame.
    func progress(of project: String) async throws -> (done: Int, total: Int)?
    /// Called once at the end: lets plugin hooks finish; notifications captured per plugin.
    func finish() async -> [String: Int]
}
