public import RenderTracker
public import RPC

/// A `getRenderHistory` entry.
extension PastRender {
    public init(answer value: RPCValue) throws(UnexpectedAnswer) {
        let fields = try AnswerFields(value, what: "a getRenderHistory entry")
        let stateName = try fields.string("state")
        let endingName = try fields.string("ending")
        guard let state = ProjectState(rawValue: stateName), let ending = PastRender.Ending(rawValue: endingName) else {
            throw UnexpectedAnswer(description: "a getRenderHistory entry has an unknown state \"\(stateName)\" or ending \"\(endingName)\"")
        }
        self.init(
            renderID: try fields.integer("render_id"), project: try fields.string("project"), jobID: try fields.string("job_id"),
            startedAt: try fields.time("started"), endedAt: try fields.time("ended"), state: state, ending: ending,
            frames: try fields.integer("frames"), done: try fields.integer("done"), errors: try fields.integer("errors"),
            renderSeconds: try fields.number("render_seconds"))
    }

    /// The whole `getRenderHistory` answer.
    public static func list(answer value: RPCValue) throws(UnexpectedAnswer) -> [PastRender] {
        guard case .array(let entries) = value else {
            throw UnexpectedAnswer(description: "getRenderHistory answered \(value.debugSummary), not an array")
        }
        return try entries.map { entry throws(UnexpectedAnswer) in try PastRender(answer: entry) }
    }
}

/// The `getRenderReport` answer: the render and its frames; the figures are the model's, worked
/// out again from the frames (`RenderReport`), so client and daemon agree by construction.
extension RenderReport {
    /// - Returns: nil for the tracker's nil (an unknown render id).
    public init?(answer value: RPCValue) throws(UnexpectedAnswer) {
        if value == .null { return nil }
        let fields = try AnswerFields(value, what: "getRenderReport")
        guard case .array(let entries) = try fields.value("frames") else {
            throw UnexpectedAnswer(description: "getRenderReport's frames is not an array")
        }
        let frames = try entries.map { entry throws(UnexpectedAnswer) -> FrameResult in
            let frame = try AnswerFields(entry, what: "a getRenderReport frame")
            let statusName = try frame.string("status")
            guard let status = FrameStatus.allCases.first(where: { $0.name == statusName }) else {
                throw UnexpectedAnswer(description: "a getRenderReport frame has an unknown status \"\(statusName)\"")
            }
            return FrameResult(
                number: try frame.integer("frame"), status: status, renderSeconds: try frame.optionalNumber("render_seconds"),
                attempts: try frame.integer("attempts"), machineSeconds: try frame.number("machine_seconds"),
                machine: try frame.optionalString("machine"), error: try frame.optionalString("error"),
                renderStartedAt: try frame.optionalString("started").flatMap(Timestamp.init(iso8601:)),
                finishedAt: try frame.optionalString("finished").flatMap(Timestamp.init(iso8601:)),
                failedOn: try frame.strings("failed_on"))
        }
        self.init(render: try PastRender(answer: fields.value("render")), frames: frames)
    }
}

extension AnswerFields {
    func strings(_ name: String) throws(UnexpectedAnswer) -> [String] {
        guard case .array(let values) = try value(name) else { throw UnexpectedAnswer(description: "\"\(name)\" is not an array") }
        return try values.map { value throws(UnexpectedAnswer) in
            guard case .string(let text) = value else { throw UnexpectedAnswer(description: "\"\(name)\" holds \(value.debugSummary), not a string") }
            return text
        }
    }

    func time(_ name: String) throws(UnexpectedAnswer) -> Timestamp {
        let text = try string(name)
        guard let time = Timestamp(iso8601: text) else { throw UnexpectedAnswer(description: "\"\(name)\" is \"\(text)\", not an ISO-8601 time") }
        return time
    }
}
