package import RenderTracker

/// A live frame and a project's header as bytes, exactly: the PostgreSQL store keeps the live
/// state this way (one `bytea` per frame), because every daemon sharing the store must restore
/// the very values the others hold (a text column would refuse a NUL in a client's message, and
/// a restored name that differs by one byte is another project).
package enum FrameCoding {
    package static func encode(_ frame: Frame) -> [UInt8] {
        var writer = ByteWriter()
        writer.integer(Int64(frame.number))
        writer.integer(frame.status.rawValue)
        writer.double(frame.renderFraction)
        writer.double(frame.downloadFraction)
        writer.string(frame.jobID)
        writer.optional(frame.imagePath) { $0.string($1) }
        writer.optional(frame.errorMessage) { $0.string($1) }
        writer.integer(Int64(frame.eventID))
        for time in [frame.renderStartedAt, frame.downloadStartedAt, frame.finishedAt, frame.lastProgressAt] {
            writer.optional(time) { $0.double($1.secondsSince1970) }
        }
        writer.bool(frame.renderSeenFromStart)
        writer.optional(frame.machine) { $0.string($1) }
        writer.integer(Int64(frame.attempts))
        writer.optional(frame.renderSeconds) { $0.double($1) }
        writer.double(frame.machineSeconds)
        writer.integer(UInt32(frame.failedOn.count))
        for machine in frame.failedOn { writer.string(machine) }
        let log = FrameLogCoding.encode(frame.log)
        writer.integer(UInt32(log.count))
        writer.bytes += log
        return writer.bytes
    }

    package static func decodeFrame(_ bytes: [UInt8]) throws(ByteReader.Truncated) -> Frame {
        var reader = ByteReader(bytes)
        let number = Int(try reader.integer(Int64.self))
        let status = FrameStatus(rawValue: try reader.integer(FrameStatus.RawValue.self)) ?? .waiting
        let renderFraction = try reader.double()
        let downloadFraction = try reader.double()
        let jobID = try reader.string()
        let imagePath = try reader.optional { reader throws(ByteReader.Truncated) in try reader.string() }
        let errorMessage = try reader.optional { reader throws(ByteReader.Truncated) in try reader.string() }
        let eventID = Int(try reader.integer(Int64.self))
        var times: [Timestamp?] = []
        for _ in 0..<4 {
            times.append(try reader.optional { reader throws(ByteReader.Truncated) in Timestamp(secondsSince1970: try reader.double()) })
        }
        let renderSeenFromStart = try reader.bool()
        let machine = try reader.optional { reader throws(ByteReader.Truncated) in try reader.string() }
        let attempts = Int(try reader.integer(Int64.self))
        let renderSeconds = try reader.optional { reader throws(ByteReader.Truncated) in try reader.double() }
        let machineSeconds = try reader.double()
        var failedOn: [String] = []
        for _ in 0..<Int(try reader.integer(UInt32.self)) { failedOn.append(try reader.string()) }
        let logCount = Int(try reader.integer(UInt32.self))
        guard reader.offset + logCount == bytes.count else { throw ByteReader.Truncated() }
        let log = try FrameLogCoding.decode(Array(bytes[reader.offset...]), imagePath: imagePath)
        return Frame(
            number: number, status: status, renderFraction: renderFraction, downloadFraction: downloadFraction, jobID: jobID,
            imagePath: imagePath, errorMessage: errorMessage, eventID: eventID, log: log, renderStartedAt: times[0],
            renderSeenFromStart: renderSeenFromStart, downloadStartedAt: times[1], finishedAt: times[2], lastProgressAt: times[3],
            machine: machine, attempts: attempts, renderSeconds: renderSeconds, machineSeconds: machineSeconds, failedOn: failedOn)
    }

    package static func encode(_ record: ProjectRecord) -> [UInt8] {
        var writer = ByteWriter()
        writer.string(record.name)
        writer.string(record.jobID)
        writer.bool(record.generatesIFDs)
        writer.double(record.startedAt.secondsSince1970)
        writer.integer(Int64(record.createdEventID))
        writer.bool(record.createdImplicitly)
        writer.integer(Int64(record.lastEventID))
        writer.optional(record.lastProjectError) { $0.string($1) }
        writer.double(record.lastChangedAt.secondsSince1970)
        writer.integer(Int64(record.peakRendering))
        writer.doubles(record.renderDurations)
        writer.doubles(record.downloadDurations)
        writer.doubles(record.completionTimes)
        return writer.bytes
    }

    package static func decodeRecord(_ bytes: [UInt8]) throws(ByteReader.Truncated) -> ProjectRecord {
        var reader = ByteReader(bytes)
        return ProjectRecord(
            name: try reader.string(), jobID: try reader.string(), generatesIFDs: try reader.bool(),
            startedAt: Timestamp(secondsSince1970: try reader.double()), createdEventID: Int(try reader.integer(Int64.self)),
            createdImplicitly: try reader.bool(), lastEventID: Int(try reader.integer(Int64.self)),
            lastProjectError: try reader.optional { reader throws(ByteReader.Truncated) in try reader.string() },
            lastChangedAt: Timestamp(secondsSince1970: try reader.double()), peakRendering: Int(try reader.integer(Int64.self)),
            renderDurations: try reader.doubles(), downloadDurations: try reader.doubles(), completionTimes: try reader.doubles())
    }
}
