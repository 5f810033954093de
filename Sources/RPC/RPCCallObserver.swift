/// Told of every call a dispatcher answers, and of every request refused before it named a method
/// (malformed XML or JSON): where metrics count, logs note faults and render logs record reads,
/// without the dispatcher knowing any of them. Called on the caller's task, after the call, with
/// no lock held; keep it cheap (count, append to a buffer), it is on every call's path.
public protocol RPCCallObserver: Sendable {
    /// - Parameters:
    ///   - method: the method that ran, or nil when none has that name (or the call was refused
    ///     before one was chosen).
    ///   - client: the caller's IP address; nil for a call from inside the process.
    func dispatcher(finished name: String, params: [RPCValue], client: String?, method: RPCMethod?, result: Result<RPCValue, RPCFault>)

    /// A request that was not a call at all: it never reached a method.
    func dispatcher(refused fault: RPCFault)
}

extension RPCCallObserver {
    public func dispatcher(refused fault: RPCFault) {}
}
