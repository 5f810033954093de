public import Logging
public import RPC

/// Logs every fault a caller gets and every refused request, at debug level: a misbehaving
/// client must not be able to flood the daemon's log at the default level.
public struct CallLog: RPCCallObserver {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func dispatcher(finished name: String, params: [RPCValue], client: String?, method: RPCMethod?, result: Result<RPCValue, RPCFault>) {
        guard case .failure(let fault) = result else { return }
        logger.debug("fault", metadata: ["method": "\(name)", "code": "\(fault.code)", "reason": "\(fault.message)"])
    }

    public func dispatcher(refused fault: RPCFault) {
        logger.debug("refused request", metadata: ["fault": "\(fault.code)", "reason": "\(fault.message)"])
    }
}
