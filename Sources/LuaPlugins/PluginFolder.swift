import Foundation

/// One plugin as read from disk: its text and its settings.
public struct PluginFile: Sendable, Equatable {
    /// The file name, `slack-notify.lua`: what errors and logs name.
    public var name: String
    public var text: String
    public var settings: [String: String]

    public init(name: String, text: String, settings: [String: String] = [:]) {
        self.name = name
        self.text = text
        self.settings = settings
    }
}

public struct PluginFolderError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A folder of plugins: every `*.lua` in it, sorted by name, each with the settings from
/// `NAME.conf` beside it, overridden by `RENDERTRACKER_<NAME>_<KEY>` environment variables.
public struct PluginFolder: Sendable {
    public let path: String
    private let environment: [String: String]

    public init(path: String, environment: [String: String]? = nil) {
        self.path = path
        self.environment = environment ?? ProcessInfo.processInfo.environment
    }

    public func read() throws(PluginFolderError) -> [PluginFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".lua") && !$0.hasPrefix(".") }.sorted()
        } catch {
            throw PluginFolderError(description: "cannot read the plugin folder \(path): \(error.localizedDescription)")
        }
        var files: [PluginFile] = []
        for name in names {
            let text = try contents(of: name)
            let base = String(name.dropLast(".lua".count))
            let settingsName = base + ".conf"
            var settings = FileManager.default.fileExists(atPath: path + "/" + settingsName)
                ? try Self.parseSettings(try contents(of: settingsName), file: settingsName) : [:]
            let prefix = "RENDERTRACKER_" + Self.environmentName(base) + "_"
            for (variable, value) in environment where variable.hasPrefix(prefix) && variable.count > prefix.count {
                settings[String(variable.dropFirst(prefix.count)).lowercased()] = value
            }
            files.append(PluginFile(name: name, text: text, settings: settings))
        }
        return files
    }

    /// Names, sizes and modification times of the plugin files: changes when anything a reload
    /// would read changes.
    public func signature() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".lua") || $0.hasSuffix(".conf") }.sorted().map { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(name) \(size) \(modified)"
        }
    }

    private func contents(of name: String) throws(PluginFolderError) -> String {
        guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
            throw PluginFolderError(description: "cannot read \(path)/\(name)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PluginFolderError(description: "\(name) is not UTF-8 text (plugins are Lua source; bytecode is refused)")
        }
        return text
    }

    /// `key = value` lines; `#` starts a comment line; keys are case-insensitive.
    static func parseSettings(_ text: String, file: String) throws(PluginFolderError) -> [String: String] {
        var settings: [String: String] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw PluginFolderError(description: "\(file):\(offset + 1): expected `key = value`, got `\(line)`")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else { throw PluginFolderError(description: "\(file):\(offset + 1): the key before `=` is empty") }
            settings[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return settings
    }

    /// `slack-notify` → `SLACK_NOTIFY`.
    static func environmentName(_ base: String) -> String {
        String(base.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
