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
        return "\(user)/\(base)".replacingQuotes()
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        contains("\"") ? String(map { $0 == "\"" ? "'" : $0 }) : self
    }
}
