/// A project apart from its frames, as plain values: what a store writes whenever the project
/// changes and reads back to rebuild it after a restart (`Project.record`,
/// `Project.init(restoring:frames:)`). Small, so it can be taken on every write.
public struct ProjectRecord: Sendable, Equatable {
    public var name: String
    public var jobID: String
    public var generatesIFDs: Bool
    public var startedAt: Timestamp
    /// Also the render's id in the history (`PastRender.renderID`): event ids never repeat.
    public var createdEventID: Int
    public var createdImplicitly: Bool
    public var lastEventID: Int
    public var lastProjectError: String?
    public var lastChangedAt: Timestamp
    public var peakRendering: Int
    /// The estimate's evidence, oldest sample first.
    public var renderDurations: [Double]
    public var downloadDurations: [Double]
    public var completionTimes: [Double]

    public init(
        name: String, jobID: String, generatesIFDs: Bool, startedAt: Timestamp, createdEventID: Int, createdImplicitly: Bool,
        lastEventID: Int, lastProjectError: String?, lastChangedAt: Timestamp, peakRendering: Int, renderDurations: [Double],
        downloadDurations: [Double], completionTimes: [Double]
    ) {
        self.name = name
        self.jobID = jobID
        self.generatesIFDs = generatesIFDs
        self.startedAt = startedAt
        self.createdEventID = createdEventID
        self.createdImplicitly = createdImplicitly
        self.lastEventID = lastEventID
        self.lastProjectError = lastProjectError
        self.lastChangedAt = lastChangedAt
        self.peakRendering = peakRendering
        self.renderDurations = renderDurations
        self.downloadDurations = downloadDurations
        self.completionTimes = completionTimes
    }
}
