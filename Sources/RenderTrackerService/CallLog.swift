public import Logging
public import RPC

/// Logs every fault a caller gets and every refused request, at debug level: a misbehaving
/// client must not be able to flood the daemon's log at the default level. A call an access rule
/// refused (`RPCFault.refusedCode`) is logged at info with the client's address: it is a
/// configuration (a farm node outside `allow-writes`, a script without the admin token) or an
/// attack, either of which the operator needs to see.
public struct CallLog: RPCCallObserver {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func dispatcher(finished name: String, params: [RPCValue], client: String?, method: RPCMethod?, result: Result<RPCValue, RPCFault>) {
        guard case .failure(let fault) = result else { return }
        if fault.code == RPCFault.refusedCode {
            logger.info("refused call", metadata: ["method": "\(name)", "client": "\(client ?? "this process")", "reason": "\(fault.message)"])
            return
        }
        logger.debug("fault", metadata: ["method": "\(name)", "code": "\(fault.code)", "reason": "\(fault.message)"])
    }

    public func dispatcher(refused fault: RPCFault) {
        logger.debug("refused request", metadata: ["fault": "\(fault.code)", "reason": "\(fault.message)"])
    }
}
