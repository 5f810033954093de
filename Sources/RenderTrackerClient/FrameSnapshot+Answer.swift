public import RenderTracker
public import RPC

/// `[frame, status_index, fraction]`, as `getAllFramesInfo` and `getChangedFrames` send frames.
extension FrameSnapshot {
    public init(answer value: RPCValue) throws(UnexpectedAnswer) {
        guard case .array(let fields) = value, fields.count == 3, case .int(let number) = fields[0], case .int(let index) = fields[1],
            let status = FrameStatus(rawValue: index), let fraction = fields[2].number
        else {
            throw UnexpectedAnswer(description: "a frame is not [frame, status index, fraction]: \(value.debugSummary)")
        }
        self.init(number: number, status: status, fraction: fraction)
    }

    public static func list(_ value: RPCValue, what: String) throws(UnexpectedAnswer) -> [FrameSnapshot] {
        guard case .array(let frames) = value else {
            throw UnexpectedAnswer(description: "\(what) answered \(value.debugSummary), not an array of frames")
        }
        return try frames.map { frame throws(UnexpectedAnswer) in try FrameSnapshot(answer: frame) }
    }
}
