public import RenderTracker
public import RPC

/// The `getChangedFrames` answer.
extension ChangedFrames {
    public init(answer value: RPCValue) throws(UnexpectedAnswer) {
        let fields = try AnswerFields(value, what: "getChangedFrames")
        self.init(
            eventID: try fields.integer("event_id"), frames: try FrameSnapshot.list(fields.value("frames"), what: "getChangedFrames"),
            reset: try fields.bool("reset"))
    }
}
