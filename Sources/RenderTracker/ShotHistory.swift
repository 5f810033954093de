/// What the last finished render of a shot cost, frame by frame: where a new render of the same
/// shot starts from (`BuiltInTimeLeftEstimator`). Renders of one shot are matched by
/// `ShotHistory.key(of:)`: `bob/sh010_fx_v012` and `bob/sh010_fx_v013` are the same shot.
public struct ShotHistory: Sendable {
    /// The render it came from: its project name and id (`Project.createdEventID`).
    public let project: String
    public let renderID: Int
    /// Every frame of that render, sorted, and the seconds each took to render (NaN when never
    /// seen rendering from its start).
    public let numbers: [Int]
    private let seconds: [Double]

    /// A past render the store kept, as a history; nil without frames.
    public init?(of report: RenderReport) {
        guard !report.frames.isEmpty else { return nil }
        project = report.render.project
        renderID = report.render.renderID
        let frames = report.frames.sorted { $0.number < $1.number }
        numbers = frames.map(\.number)
        seconds = frames.map { $0.renderSeconds ?? .nan }
    }

    /// A finished render's frames as a history; nil without frames.
    public init?(of project: Project) {
        let frames = project.framesInOrder
        guard !frames.isEmpty else { return nil }
        self.project = project.name
        renderID = project.createdEventID
        numbers = frames.map(\.number)
        seconds = frames.map { $0.renderSeconds ?? .nan }
    }

    /// Whether two histories (or none) are one: the same render with the same frames and times.
    /// At once for copies of one value, whose arrays share storage; a render's history taken again
    /// after it changed (a frame rendered again, the render done again) is another.
    static func areSame(_ one: ShotHistory?, _ other: ShotHistory?) -> Bool {
        guard let one, let other else { return one == nil && other == nil }
        // `==` on the times is false for NaN (a frame never timed) unless the storage is shared:
        // two equal histories kept apart read as different, never the other way round.
        return one.renderID == other.renderID && one.project == other.project && one.numbers == other.numbers
            && one.seconds == other.seconds
    }

    /// Seconds frame `number` took last time; nil for a frame that render did not have or time.
    public func seconds(of number: Int) -> Double? {
        var low = 0
        var high = numbers.count
        while low < high {
            let middle = (low + high) / 2
            if numbers[middle] < number { low = middle + 1 } else { high = middle }
        }
        guard low < numbers.count, numbers[low] == number, !seconds[low].isNaN else { return nil }
        return seconds[low]
    }

    /// The shot a project renders: its name with the version number made generic (the last `v`
    /// followed by digits, e.g. `_v012`, becomes `v#`) and without the ` (2)` that
    /// `suggestInactiveProjectName` adds. A name without a version is its own shot.
    public static func key(of name: String) -> String {
        var name = Substring(name)
        if name.hasSuffix(")"), let open = name.lastIndex(of: "("), open > name.startIndex,
            name[name.index(before: open)] == " ", name[name.index(after: open)..<name.index(before: name.endIndex)].allSatisfy(\.isNumber)
        {
            name = name[..<name.index(before: open)]
        }
        let characters = Array(name)
        var index = characters.count - 1
        while index > 0 {
            if characters[index].isNumber {
                var start = index
                while start > 0, characters[start - 1].isNumber { start -= 1 }
                if start > 0, characters[start - 1] == "v" || characters[start - 1] == "V",
                    start == 1 || !(characters[start - 2].isLetter)
                {
                    return String(characters[..<start]) + "#" + String(characters[(index + 1)...])
                }
                index = start - 1
            } else {
                index -= 1
            }
        }
        return String(name)
    }
}

/// The newest finished render of each shot, for at most `capacity` shots (the least recently
/// finished leave first): a render's history costs 16 bytes a frame, so 256 shots of 5,000
/// frames take about 20 MB.
struct ShotHistories: Sendable {
    static let capacity = 256
    private var byKey: [String: ShotHistory] = [:]
    private var order: [String] = []

    /// Keeps `project`'s frames as its shot's history, replacing an older render's.
    mutating func record(_ project: Project) {
        ShotHistory(of: project).map { record($0) }
    }

    /// Every shot's history, the least recently finished first.
    var all: [ShotHistory] { order.compactMap { byKey[$0] } }

    mutating func record(_ history: ShotHistory) {
        let key = ShotHistory.key(of: history.project)
        if byKey.updateValue(history, forKey: key) != nil {
            order.removeAll { $0 == key }
        }
        order.append(key)
        if order.count > Self.capacity {
            byKey[order.removeFirst()] = nil
        }
    }

    /// The history a project's estimate starts from: its shot's last finished render, if that
    /// is another render than this one.
    func history(for project: Project) -> ShotHistory? {
        guard let history = byKey[ShotHistory.key(of: project.name)], history.renderID != project.createdEventID else { return nil }
        return history
    }
}
