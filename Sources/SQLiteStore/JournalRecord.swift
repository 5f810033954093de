import RenderTracker
import StoreCoding

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
        CommandCoding.encode(command, into: &writer)
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
        return JournalRecord(sequence: sequence, time: time, client: client, command: try CommandCoding.decode(&body))
    }
}
