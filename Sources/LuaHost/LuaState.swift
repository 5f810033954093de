import CLuaShim

/// Limits for one call into Lua.
public struct LuaCallLimits: Sendable, Equatable {
    /// VM instructions a call may run (checked every 1,000).
    public var instructions: Int
    /// Wall-clock time a call may take, in seconds.
    public var seconds: Double

    public init(instructions: Int = 10_000_000, seconds: Double = 0.25) {
        self.instructions = instructions
        self.seconds = seconds
    }
}

/// Why a call into Lua gave no result.
public enum LuaCallFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A Lua error: the message with its traceback (`file.lua:12: ...`).
    case error(String)
    case outOfMemory(limitBytes: Int)
    /// Where the plugin was (`file.lua:12`) when it was stopped, if known.
    case instructionLimit(instructions: Int, location: String)
    case timeLimit(seconds: Double, location: String)
    case noFunction(String)

    public var description: String {
        switch self {
        case .error(let message): message
        case .outOfMemory(let limit): "not enough memory: the plugins' Lua state is capped at \(limit) bytes"
        case let .instructionLimit(instructions, location):
            "stopped\(location.isEmpty ? "" : " at \(location)"): ran more than \(instructions) Lua instructions in one call"
        case let .timeLimit(seconds, location):
            "stopped\(location.isEmpty ? "" : " at \(location)"): took longer than \(seconds) s in one call"
        case .noFunction(let name): "no function \(name)"
        }
    }

    /// The first line of the message: `file.lua:12: what went wrong`, without the traceback.
    public var summary: String {
        description.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? description
    }
}

/// A function the host offers Lua: takes the Lua arguments, returns results or an error message
/// that is raised in Lua.
public typealias LuaHostFunction = (_ id: Int32, _ arguments: [LuaValue]) -> Result<[LuaValue], LuaHostError>

public struct LuaHostError: Error {
    public var message: String

    public init(message: String) {
        self.message = message
    }
}

/// One Lua state with the safe libraries and a prelude, whose memory is capped. Not thread-safe:
/// its owner serialises every use (a lock or one thread).
public final class LuaState {
    private let handle: OpaquePointer
    private let host: LuaHostBox
    public let memoryLimit: Int

    public init(memoryLimit: Int, prelude: String, host: @escaping LuaHostFunction) throws(LuaCallFailure) {
        self.memoryLimit = memoryLimit
        self.host = LuaHostBox(host)
        var error = rt_buffer()
        defer { rt_buffer_free(&error) }
        let context = Unmanaged.passUnretained(self.host).toOpaque()
        let opened = prelude.utf8CString.withUnsafeBufferPointer { text in
            rt_lua_open(memoryLimit, text.baseAddress, text.count - 1, callHost, context, &error)
        }
        guard let opened else { throw .error(String(bufferText: error)) }
        handle = opened
    }

    deinit {
        rt_lua_close(handle)
    }

    public var memoryInUse: Int { rt_lua_memory_in_use(handle) }

    /// Calls the prelude's global function `name`.
    public func call(_ name: String, _ arguments: [LuaValue], limits: LuaCallLimits) -> Result<[LuaValue], LuaCallFailure> {
        call(name, encodedArguments: LuaValueCodec.encode(arguments), limits: limits)
    }

    /// Calls the prelude's global function `name` with arguments already encoded, one after another.
    public func call(_ name: String, encodedArguments encoded: [UInt8], limits: LuaCallLimits) -> Result<[LuaValue], LuaCallFailure> {
        var results = rt_buffer()
        defer { rt_buffer_free(&results) }
        // Clamped to a year so any configured limit converts to nanoseconds without overflow.
        let deadline = rt_monotonic_ns() &+ UInt64(min(max(0, limits.seconds), 31_536_000) * 1e9)
        let status = encoded.withUnsafeBufferPointer { bytes in
            rt_lua_call(handle, name, bytes.baseAddress, bytes.count, UInt64(max(0, limits.instructions)), deadline, &results)
        }
        switch status {
        case RT_CALL_OK:
            let bytes = UnsafeRawBufferPointer(start: results.bytes, count: results.length)
            guard let values = try? LuaValueCodec.decode(bytes) else { return .failure(.error("malformed results from \(name)")) }
            return .success(values)
        case RT_CALL_OUT_OF_MEMORY: return .failure(.outOfMemory(limitBytes: memoryLimit))
        case RT_CALL_INSTRUCTION_LIMIT: return .failure(.instructionLimit(instructions: limits.instructions, location: String(bufferText: results)))
        case RT_CALL_TIME_LIMIT: return .failure(.timeLimit(seconds: limits.seconds, location: String(bufferText: results)))
        case RT_CALL_NO_FUNCTION: return .failure(.noFunction(name))
        default: return .failure(.error(String(bufferText: results)))
        }
    }
}

extension String {
    fileprivate init(bufferText buffer: rt_buffer) {
        self = String(decoding: UnsafeRawBufferPointer(start: buffer.bytes, count: buffer.length), as: UTF8.self)
    }
}

/// Holds the host function for the C side, which gets it back as its context pointer.
private final class LuaHostBox {
    let function: LuaHostFunction
    init(_ function: @escaping LuaHostFunction) { self.function = function }
}

/// The C side calls this for `host(id, ...)`. It runs between C frames of a Lua call, so it never
/// calls Lua: it only decodes, works and encodes; C raises the error it reports.
private func callHost(
    context: UnsafeMutableRawPointer?, id: Int32, arguments: UnsafePointer<UInt8>?, length: Int, results: UnsafeMutablePointer<rt_buffer>?
) -> Int32 {
    guard let context, let results else { return -1 }
    let host = Unmanaged<LuaHostBox>.fromOpaque(context).takeUnretainedValue()
    let outcome: Result<[LuaValue], LuaHostError>
    if let decoded = try? LuaValueCodec.decode(UnsafeRawBufferPointer(start: arguments, count: length)) {
        outcome = host.function(id, decoded)
    } else {
        outcome = .failure(LuaHostError(message: "malformed arguments"))
    }
    let values: [LuaValue]
    switch outcome {
    case .success(let returned): values = returned
    case .failure(let error): values = [.string(error.message)]
    }
    let bytes = LuaValueCodec.encode(values)
    let appended = bytes.withUnsafeBytes { rt_buffer_append(results, $0.baseAddress, $0.count) }
    guard appended != 0, case .success = outcome else { return -1 }
    return Int32(values.count)
}
