package import RenderTracker

/// A `TrackerCommand` as bytes: a tag, then its fields. The SQLite store's journal records and
/// the PostgreSQL store's shared log of writes carry commands this way, so a write is applied
/// again exactly as it was the first time.
package enum CommandCoding {
    package static func encode(_ command: TrackerCommand, into body: inout ByteWriter) {
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

    package static func decode(_ body: inout ByteReader) throws(ByteReader.Truncated) -> TrackerCommand {
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
