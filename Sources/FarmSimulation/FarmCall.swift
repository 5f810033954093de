public import RPC

/// One call a process on the simulated farm makes to the tracker, as the real HQueue clients
/// make it: `time` in virtual seconds since the scenario began, `client` the machine (or the
/// artist's workstation) that sent it.
public struct FarmCall: Sendable {
    public var time: Double
    public var client: String
    public var method: String
    public var params: [RPCValue]
}

/// Where the simulated farm's calls go. The answer is the call's result, or nil when the tracker
/// faulted (a real farm job would fail; the simulation carries on and the sink counts it).
public protocol FarmCallSink: AnyObject {
    func send(_ call: FarmCall) -> RPCValue?
}
