/// A project's state, derived from its frames' statuses.
public enum ProjectState: String, Sendable, Equatable, CaseIterable {
    /// Some frame still has work ahead of it (or no frame is known yet).
    case running
    /// Every frame is Done.
    case done
    /// No frame has work ahead of it and at least one is in Error.
    case failed
}
