import RenderTracker

/// One write as the journal keeps it: enough to apply it again, exactly, on top of the last
/// checkpoint: the command, the clock's reading it was applied at, and the client that sent it.
/// `sequence` numbers every journaled write, so a replay can tell a gap (writes lost) from the end.
struct JournalRecord: Equatable {
    var sequence: UInt64
    var time: Timestamp
    var client: String?
    var command: TrackerCommand

    /// `[length: u32][crc32 of the body: u32][body]`, written straight into `output` (no array of
    /// its own: this runs for every write inside the tracker's lock).
    func append(to output: inout [UInt8]) {
        let start = output.count
        var writer = ByteWriter(bytes: output)
        output = []
        writer.integer(UInt64(0))  // length and checksum, filled in below
        writer.integer(sequence)
        writer.double(time.secondsSince1970)
        writer.optional(client) { $0.string($1) }
        Self.encode(command, into: &writer)
        output = writer.bytes
        let bodyStart = start + 8
        let length = UInt32(output.count - bodyStart)
        let crc = CRC32.checksum(output[bodyStart...])
        for index in 0..<4 {
            output[start + index] = UInt8(truncatingIfNeeded: length >> (8 * index))
            output[start + 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * index))
        }
    }

    /// The records in `bytes`, in order, up to the first one cut short or damaged; and how many
    /// bytes they take (the rest is a torn tail).
    static func records(in bytes: [UInt8]) -> (records: [JournalRecord], validBytes: Int) {
        var records: [JournalRecord] = []
        var reader = ByteReader(bytes)
        var valid = 0
        while !reader.isAtEnd {
            guard let length = try? reader.integer(UInt32.self), let crc = try? reader.integer(UInt32.self),
                reader.offset + Int(length) <= bytes.count,
                CRC32.checksum(bytes[reader.offset..<(reader.offset + Int(length))]) == crc
            else { break }
            var body = ByteReader(Array(bytes[reader.offset..<(reader.offset + Int(length))]))
            guard let record = try? decode(&body) else { break }
            records.append(record)
            _ = try? reader.skip(Int(length))
            valid = reader.offset
        }
        return (records, valid)
    }

    private static func decode(_ body: inout ByteReader) throws(ByteReader.Truncated) -> JournalRecord {
        let sequence = try body.integer(UInt64.self)
        let time = Timestamp(secondsSince1970: try body.double())
        let client = try body.optional { reader throws(ByteReader.Truncated) in try reader.string() }
        return JournalRecord(sequence: sequence, time: time, client: client, command: try decodeCommand(&body))
    }

    private static func encode(_ command: TrackerCommand, into body: inout ByteWriter) {
        switch command {
        case let .startedRenderProject(project, frames, generatesIFDs, jobID):
            body.integer(UInt8(0))
            body.string(project)
            body.integer(UInt32(frames.count))
            for frame in frames { body.integer(Int64(frame)) }
            body.bool(generatesIFDs)
            body.string(jobID)
        case let .startedGeneratingFrameIFD(project, frame):
            frameCommand(1, project, frame, into: &body)
        case let .endedGeneratingFrameIFD(project, frame):
            frameCommand(2, project, frame, into: &body)
        case let .startedFrameRender(project, frame, jobID, imagePath):
            frameCommand(3, project, frame, into: &body)
            body.string(jobID)
            body.string(imagePath)
        case let .setFrameRenderFraction(project, frame, fraction):
            frameCommand(4, project, frame, into: &body)
            body.double(fraction)
        case let .setFrameDownloadFraction(project, frame, fraction):
            frameCommand(5, project, frame, into: &body)
            body.double(fraction)
        case let .setFrameError(project, frame, message):
            frameCommand(6, project, frame, into: &body)
            body.string(message)
        case let .setProjectError(project, message):
            body.integer(UInt8(7))
            body.string(project)
            body.string(message)
        case let .removeProject(project):
            body.integer(UInt8(8))
            body.string(project)
        case .incrementAndGetLastEventID:
            body.integer(UInt8(9))
        }
    }

    private static func frameCommand(_ tag: UInt8, _ project: String, _ frame: Int, into body: inout ByteWriter) {
        body.integer(tag)
        body.string(project)
        body.integer(Int64(frame))
    }

    private static func decodeCommand(_ body: inout ByteReader) throws(ByteReader.Truncated) -> TrackerCommand {
        let tag = try body.integer(UInt8.self)
        switch tag {
        case 0:
            let project = try body.string()
            let count = Int(try body.integer(UInt32.self))
            var frames: [Int] = []
            frames.reserveCapacity(min(count, 1 << 20))
            for _ in 0..<count { frames.append(Int(try body.integer(Int64.self))) }
            return .startedRenderProject(project: project, frames: frames, generatesIFDs: try body.bool(), jobID: try body.string())
        case 7:
            return .setProjectError(project: try body.string(), message: try body.string())
        case 8:
            return .removeProject(project: try body.string())
        case 9:
            return .incrementAndGetLastEventID
        case 1...6:
            let project = try body.string()
            let frame = Int(try body.integer(Int64.self))
            switch tag {
            case 1: return .startedGeneratingFrameIFD(project: project, frame: frame)
            case 2: return .endedGeneratingFrameIFD(project: project, frame: frame)
            case 3: return .startedFrameRender(project: project, frame: frame, jobID: try body.string(), imagePath: try body.string())
            case 4: return .setFrameRenderFraction(project: project, frame: frame, fraction: try body.double())
            case 5: return .setFrameDownloadFraction(project: project, frame: frame, fraction: try body.double())
            default: return .setFrameError(project: project, frame: frame, message: try body.string())
            }
        default:
            throw ByteReader.Truncated()
        }
    }
}
