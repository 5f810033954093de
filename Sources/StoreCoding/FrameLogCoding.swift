package import RenderTracker

/// A frame's log as the `log` blob of its row: `[dropped: u32][count: u32]` then each entry's
/// time and event, oldest first.
package enum FrameLogCoding {
    package static func encode(_ log: FrameLog) -> [UInt8] {
        var writer = ByteWriter()
        let entries = log.entries
        writer.integer(UInt32(clamping: log.droppedCount))
        writer.integer(UInt32(entries.count))
        for entry in entries {
            writer.double(entry.time.secondsSince1970)
            encode(entry.event, into: &writer)
        }
        return writer.bytes
    }

    /// - Parameter imagePath: the frame's image path: log entries naming the same path share its
    ///   storage instead of each holding a copy (a restart would otherwise take more memory than
    ///   the tracker it restores).
    package static func decode(_ bytes: [UInt8], imagePath: String?) throws(ByteReader.Truncated) -> FrameLog {
        var reader = ByteReader(bytes)
        let dropped = Int(try reader.integer(UInt32.self))
        let count = Int(try reader.integer(UInt32.self))
        var entries: [FrameLogEntry] = []
        entries.reserveCapacity(min(count, 4096))
        for _ in 0..<count {
            let time = Timestamp(secondsSince1970: try reader.double())
            var event = try decodeEvent(&reader)
            if case let .renderStarted(jobID, path, previous) = event, let imagePath, path == imagePath {
                event = .renderStarted(jobID: jobID, imagePath: imagePath, previous: previous)
            }
            entries.append(FrameLogEntry(time: time, event: event))
        }
        return FrameLog(entries: entries, droppedCount: dropped)
    }

    private static func encode(_ event: FrameEvent, into writer: inout ByteWriter) {
        switch event {
        case .waiting(let jobID):
            writer.integer(UInt8(0))
            writer.string(jobID)
        case let .addedImplicitly(method, projectCreated):
            writer.integer(UInt8(1))
            writer.string(method)
            writer.bool(projectCreated)
        case .generatingIFD:
            writer.integer(UInt8(2))
        case .ifdReady:
            writer.integer(UInt8(3))
        case let .renderStarted(jobID, imagePath, previous):
            writer.integer(UInt8(4))
            writer.string(jobID)
            writer.string(imagePath)
            writer.integer(UInt8(previous.rawValue))
        case .renderProgress(let fraction):
            writer.integer(UInt8(5))
            writer.double(fraction)
        case .downloadProgress(let fraction):
            writer.integer(UInt8(6))
            writer.double(fraction)
        case .done:
            writer.integer(UInt8(7))
        case .error(let message):
            writer.integer(UInt8(8))
            writer.string(message)
        case let .projectError(message, keptStatus):
            writer.integer(UInt8(9))
            writer.string(message)
            writer.optional(keptStatus) { $0.integer(UInt8($1.rawValue)) }
        }
    }

    private static func decodeEvent(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> FrameEvent {
        switch try reader.integer(UInt8.self) {
        case 0: return .waiting(jobID: try reader.string())
        case 1: return .addedImplicitly(method: try reader.string(), projectCreated: try reader.bool())
        case 2: return .generatingIFD
        case 3: return .ifdReady
        case 4: return .renderStarted(jobID: try reader.string(), imagePath: try reader.string(), previous: try status(&reader))
        case 5: return .renderProgress(try reader.double())
        case 6: return .downloadProgress(try reader.double())
        case 7: return .done
        case 8: return .error(try reader.string())
        case 9:
            let message = try reader.string()
            return .projectError(message, keptStatus: try reader.optional { reader throws(ByteReader.Truncated) in try status(&reader) })
        default: throw ByteReader.Truncated()
        }
    }

    package static func status(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> FrameStatus {
        guard let status = FrameStatus(rawValue: Int(try reader.integer(UInt8.self))) else { throw ByteReader.Truncated() }
        return status
    }
}
