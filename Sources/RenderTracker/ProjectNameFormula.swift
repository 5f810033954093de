/// Turns who rendered what into a project name. A protocol so a studio can script its own.
public protocol ProjectNameFormula: Sendable {
    func projectName(user: String, localHipPath: String) -> String
}

/// The built-in formula: `<user>/<hip file name without directory and .hip/.hipnc/.hiplc>`.
/// Both `/` and `\` separate directories (artists on Windows), and `"` becomes `'` because project
/// names travel through a quoted command line to mantra's tile callback.
public struct BuiltInProjectNameFormula: ProjectNameFormula {
    public init() {}

    public func projectName(user: String, localHipPath: String) -> String {
        let fileName = localHipPath.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last.map(String.init) ?? ""
        var base = fileName
        for fileExtension in [".hip", ".hipnc", ".hiplc"] where base.lowercased().hasSuffix(fileExtension) && base.count > fileExtension.count {
            base = String(base.dropLast(fileExtension.count))
            break
        }
        return ProjectNameRules.quotesReplaced("\(user)/\(base)")
    }
}

/// What every project name follows, whichever formula made it.
public enum ProjectNameRules {
    /// Longer names are refused: they would only ever come from a bug.
    public static let maximumBytes = 4096

    /// `"` becomes `'`: project names travel through a quoted command line to mantra's tile callback.
    public static func quotesReplaced(_ name: String) -> String {
        name.contains("\"") ? String(name.map { $0 == "\"" ? "'" : $0 }) : name
    }
}
