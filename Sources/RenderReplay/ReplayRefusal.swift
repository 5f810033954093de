/// Why a replay into a live tracker was not started, or was stopped after its first call: the
/// safe default, since a replay writes into a tracker that farm clients and monitors use.
public enum ReplayRefusal: Error, CustomStringConvertible {
    /// The tracker has projects the log names; replaying would replace or change them.
    case projectsExist(url: String, projects: [String])
    /// The tracker records to the log being replayed: every call sent is appended to it, so the
    /// replay would never reach its end.
    case targetRecordsThisLog(url: String, path: String)

    public var description: String {
        switch self {
        case let .projectsExist(url, projects):
            let shown = projects.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (projects.count > 5 ? " and \(projects.count - 5) more" : "")
            return "\(url) already has \(projects.count == 1 ? "a project" : "\(projects.count) projects") this log names (\(shown)): "
                + "replaying would change or replace \(projects.count == 1 ? "it" : "them"); give --replace to replay anyway"
        case let .targetRecordsThisLog(url, path):
            return "\(url) records to \(path), the log being replayed: each call sent comes back as a new line of it, so the replay "
                + "would never end; stopped after the first call (replay a copy of the log, or into another tracker)"
        }
    }
}
