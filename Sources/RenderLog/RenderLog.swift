public import RenderTracker
public import RPC

/// One call as a render log keeps it: what the client sent, and from where.
public struct RecordedCall: Sendable, Equatable {
    public var method: String
    /// As the client sent them: ints stay ints, doubles stay doubles.
    public var params: [RPCValue]
    /// The client's IP address (no port); nil for a call that did not come over the network.
    public var client: String?

    public init(method: String, params: [RPCValue], client: String? = nil) {
        self.method = method
        self.params = params
        self.client = client
    }
}

/// The line that starts every recording session.
public struct RenderLogHeader: Sendable, Equatable {
    public var version: Int
    /// ISO-8601 wall time the session started; informational.
    public var started: String?
    /// Who wrote the session: `serve`, or `scenario <file>`.
    public var source: String?

    public init(version: Int = RenderLog.version, started: String?, source: String?) {
        self.version = version
        self.started = started
        self.source = source
    }
}

/// One line of a render log.
public enum RenderLogEntry: Sendable, Equatable {
    /// A session starts: a header after calls means the daemon restarted (and lost its state).
    case header(RenderLogHeader)
    /// A call, stamped with the tracker clock's reading when it was applied.
    case call(RecordedCall, time: Timestamp)
}

/// The render-log format (docs/scenarios.md, "Render logs"): JSON Lines, a header line per
/// session, then one line per call, `{"time","client","method","params"}`.
public enum RenderLog {
    public static let format = "rendertracker-log"
    /// The newest version this build writes and reads.
    public static let version = 1

    // MARK: Writing

    /// The line (with its newline) for an entry.
    public static func line(_ entry: RenderLogEntry) -> [UInt8] {
        var output: [UInt8] = []
        append(entry, to: &output)
        return output
    }

    /// Appends an entry's line, newline included. Fields are written in the documented order.
    public static func append(_ entry: RenderLogEntry, to output: inout [UInt8]) {
        switch entry {
        case .header(let header):
            output.append(contentsOf: #"{"format":"#.utf8)
            JSONWriter.write(.string(format), into: &output)
            output.append(contentsOf: #","version":"#.utf8)
            output.append(contentsOf: String(header.version).utf8)
            output.append(contentsOf: #","started":"#.utf8)
            JSONWriter.write(header.started.map(RPCValue.string) ?? .null, into: &output)
            output.append(contentsOf: #","source":"#.utf8)
            JSONWriter.write(header.source.map(RPCValue.string) ?? .null, into: &output)
            output.append(contentsOf: "}\n".utf8)
        case .call(let call, let time):
            output.append(contentsOf: #"{"time":"#.utf8)
            appendMilliseconds(time, to: &output)
            output.append(contentsOf: #","client":"#.utf8)
            JSONWriter.write(call.client.map(RPCValue.string) ?? .null, into: &output)
            output.append(contentsOf: #","method":"#.utf8)
            JSONWriter.write(.string(call.method), into: &output)
            output.append(contentsOf: #","params":"#.utf8)
            let params = RPCValue.array(call.params)
            JSONWriter.write(params.containsOpaque ? params.tagged : params, into: &output)
            output.append(contentsOf: "}\n".utf8)
        }
    }

    /// Seconds since 1970 with exactly three decimals, the millisecond `Timestamp.iso8601` shows,
    /// so a replayed frame log prints the same times as the recorded one.
    static func appendMilliseconds(_ time: Timestamp, to output: inout [UInt8]) {
        guard time.secondsSince1970.isFinite, abs(time.secondsSince1970) < 1e12 else {
            output.append(contentsOf: "0.000".utf8)
            return
        }
        // As iso8601 does it: microseconds first, then down to the millisecond.
        let micros = Int64((time.secondsSince1970 * 1e6).rounded())
        let millis = micros >= 0 ? micros / 1000 : (micros - 999) / 1000
        if millis < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = millis.magnitude
        output.append(contentsOf: String(magnitude / 1000).utf8)
        output.append(UInt8(ascii: "."))
        let fraction = magnitude % 1000
        output.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        output.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        output.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    // MARK: Reading

    /// What is wrong with one line (the reader adds the file and line number).
    public struct LineError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        /// The file cannot be read further (not a render log, or a newer version), as opposed to
        /// one damaged line.
        public var isFatal: Bool
        public var description: String { reason }

        init(_ reason: String, isFatal: Bool = false) {
            self.reason = reason
            self.isFatal = isFatal
        }
    }

    /// Parses one line (without its newline). Unknown fields are ignored.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(LineError) -> RenderLogEntry {
        let value: RPCValue
        do {
            value = try JSONReader.parse(bytes, maxDepth: 64)
        } catch {
            throw LineError("not JSON: \(error)")
        }
        guard case .structure(let fields) = value else {
            throw LineError("not a JSON object (a render-log line is {\"time\", \"client\", \"method\", \"params\"})")
        }
        if let format = fields["format"] {
            return .header(try header(fields, format: format))
        }
        guard let method = fields["method"] else { throw LineError("no \"method\"") }
        guard case .string(let name) = method else { throw LineError("\"method\" is \(method.typeName), not a string") }
        guard let params = fields["params"] else { throw LineError("no \"params\"") }
        guard case .array(var list) = params else { throw LineError("\"params\" is \(params.typeName), not an array") }
        let seconds: Double
        switch fields["time"] {
        case .double(let value)?: seconds = value
        case .int(let value)?: seconds = Double(value)
        case nil: throw LineError("no \"time\"")
        case let other?: throw LineError("\"time\" is \(other.typeName), not a number of seconds")
        }
        let client: String?
        switch fields["client"] {
        case nil, .null?: client = nil
        case .string(let address)?: client = address
        case let other?: throw LineError("\"client\" is \(other.typeName), not a string or null")
        }
        if params.containsStructure {
            list = try list.map { item throws(LineError) in try item.untagged() }
        }
        return .call(RecordedCall(method: name, params: list, client: client), time: Timestamp(secondsSince1970: seconds))
    }

    private static func header(_ fields: [String: RPCValue], format: RPCValue) throws(LineError) -> RenderLogHeader {
        guard format == .string(Self.format) else {
            throw LineError("not a render log: format is \(JSONWriter.string(format)), not \"\(Self.format)\"", isFatal: true)
        }
        guard case .int(let version)? = fields["version"] else {
            throw LineError("the header has no integer \"version\"", isFatal: true)
        }
        guard version <= Self.version else {
            throw LineError(
                "render-log version \(version) is newer than this rendertracker reads (\(Self.version)): use a newer rendertracker",
                isFatal: true)
        }
        guard version >= 1 else { throw LineError("render-log version \(version) does not exist", isFatal: true) }
        let text = { (name: String) -> String? in if case .string(let text)? = fields[name] { text } else { nil } }
        return RenderLogHeader(version: version, started: text("started"), source: text("source"))
    }
}

// Values JSON has no type for (never sent to a method that changes state, but a read recorded
// with --record-reads could carry one) travel as one-member objects: {"$base64": "..."} and
// {"$dateTime": "..."}.
extension RPCValue {
    fileprivate var containsOpaque: Bool {
        switch self {
        case .base64, .dateTime: true
        case .array(let items): items.contains { $0.containsOpaque }
        case .structure(let fields): fields.values.contains { $0.containsOpaque }
        default: false
        }
    }

    fileprivate var containsStructure: Bool {
        switch self {
        case .structure: true
        case .array(let items): items.contains { $0.containsStructure }
        default: false
        }
    }

    fileprivate var tagged: RPCValue {
        switch self {
        case .base64(let bytes):
            var text: [UInt8] = []
            Base64.encode(bytes, into: &text)
            return .structure(["$base64": .string(String(decoding: text, as: UTF8.self))])
        case .dateTime(let text): return .structure(["$dateTime": .string(text)])
        case .array(let items): return .array(items.map(\.tagged))
        case .structure(let fields): return .structure(fields.mapValues(\.tagged))
        default: return self
        }
    }

    fileprivate func untagged() throws(RenderLog.LineError) -> RPCValue {
        switch self {
        case .structure(let fields):
            if fields.count == 1, case .string(let text)? = fields["$dateTime"] { return .dateTime(text) }
            if fields.count == 1, case .string(let text)? = fields["$base64"] {
                guard let bytes = Base64.decode(Array(text.utf8)) else { throw RenderLog.LineError("\"$base64\" value is not base64") }
                return .base64(bytes)
            }
            var members: [String: RPCValue] = [:]
            for (name, value) in fields {
                members[name] = try value.untagged()
            }
            return .structure(members)
        case .array(let items):
            return .array(try items.map { item throws(RenderLog.LineError) in try item.untagged() })
        default:
            return self
        }
    }
}
