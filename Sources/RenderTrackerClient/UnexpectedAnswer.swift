/// An answer without the members or types the command needs (a tracker of another version?).
public struct UnexpectedAnswer: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
