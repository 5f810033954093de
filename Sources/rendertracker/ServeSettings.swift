import ArgumentParser
import Configuration
import Foundation

/// Where `serve`'s settings come from, in one precedence: a flag (`--port 5003`) over the
/// environment (`RENDERTRACKER_PORT=5003`; for the port, `PORT` too, which platforms that pick
/// the port set) over the configuration file (`port: 5003`) over the built-in default. Every
/// setting has the same name in all three: the flag's name, the file's key, and upper case with
/// `_` after `RENDERTRACKER_` in the environment (`--max-body-bytes`, `max-body-bytes:`,
/// `RENDERTRACKER_MAX_BODY_BYTES`).
///
/// The file is read with swift-configuration (1.4, which Hummingbird depends on already): its
/// `FileProvider` of YAML, asked directly rather than behind a `ConfigReader` with the
/// environment, so that each value's source is known for `serve --print-config`; the environment
/// is a dictionary look-up by the name above. YAML, not JSON, so that the example file (`examples/rendertracker.yaml`)
/// can say in comments what each setting does. Text from the environment and the file is parsed by
/// the same `ExpressibleByArgument` conformance as the flag, so `5002`, `5002.0` or `yes` mean the
/// same in all three, and a value that does not parse is an error naming where it came from.
///
/// The file is `--config FILE`, else `$RENDERTRACKER_CONFIG`, else `/etc/rendertracker/rendertracker.yaml`
/// when it exists (the package installs it there). A key the daemon does not know is an error,
/// so a misspelt `alow-writes:` cannot silently leave writes open.
struct ServeSettings {
    /// The file looked for when neither `--config` nor `RENDERTRACKER_CONFIG` names one.
    static let defaultFile = "/etc/rendertracker/rendertracker.yaml"

    /// One resolved setting, for `--print-config`.
    struct Resolved {
        let key: String
        let value: String
        let source: String
    }

    private let environment: [String: String]
    private let file: (path: String, provider: FileProvider<YAMLSnapshot>)?
    private(set) var resolved: [Resolved] = []

    /// Reads the file (if any). Throws `ValidationError` for a file that cannot be read or parsed.
    init(configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        self.environment = environment
        let named = configFile ?? environment["RENDERTRACKER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = named ?? Self.defaultFile
        guard named != nil || FileManager.default.fileExists(atPath: path) else {
            file = nil
            return
        }
        // A file of comments only (the example, before any line is uncommented) sets nothing;
        // YAML reads it as no document at all, which the provider refuses.
        guard try !Self.topLevelKeys(ofYAMLFile: path).isEmpty else {
            file = nil
            return
        }
        do {
            file = (path, try await FileProvider<YAMLSnapshot>(filePath: .init(path)))
        } catch {
            throw ValidationError("configuration file \(path): \(error)")
        }
    }

    /// Once every setting was resolved: throws `ValidationError` when the file sets one that is
    /// not among them.
    func checkFileKeys() throws {
        guard let file else { return }
        let unknown = try Self.topLevelKeys(ofYAMLFile: file.path).subtracting(resolved.map(\.key))
        guard unknown.isEmpty else {
            throw ValidationError(
                "configuration file \(file.path): unknown setting\(unknown.count == 1 ? "" : "s") \(unknown.sorted().joined(separator: ", ")) "
                    + "(rendertracker serve --help lists them, without the leading --)")
        }
    }

    /// Flags and defaults only, for commands whose result must not depend on where they run.
    init(flagsOnly: Void) {
        environment = [:]
        file = nil
    }

    /// `RENDERTRACKER_MAX_BODY_BYTES` for `max-body-bytes`.
    static func environmentName(_ key: String) -> String {
        "RENDERTRACKER_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The flag's value if given, else the environment's, else the file's, else `fallback`;
    /// remembered with its source. `secret` values print as `<set>`.
    mutating func value<Value: ExpressibleByArgument>(
        _ key: String, flag: Value?, default fallback: Value, secret: Bool = false, show: (Value) -> String = { "\($0)" }
    ) throws -> Value {
        let (value, source) = try lookUp(key, flag: flag) ?? (fallback, "default")
        resolved.append(Resolved(key: key, value: secret ? "<set>" : show(value), source: source))
        return value
    }

    /// An optional setting: nil when no source sets it.
    mutating func optional<Value: ExpressibleByArgument>(
        _ key: String, flag: Value?, secret: Bool = false, show: (Value) -> String = { "\($0)" }
    ) throws -> Value? {
        guard let (value, source) = try lookUp(key, flag: flag) else {
            resolved.append(Resolved(key: key, value: "(none)", source: "default"))
            return nil
        }
        resolved.append(Resolved(key: key, value: secret ? "<set>" : show(value), source: source))
        return value
    }

    /// A list: repeated flags, or comma-separated in the environment, or a YAML sequence (or a
    /// comma-separated string) in the file.
    mutating func list(_ key: String, flag: [String], default fallback: [String]) throws -> [String] {
        if !flag.isEmpty {
            resolved.append(Resolved(key: key, value: flag.joined(separator: ","), source: "flag --\(key)"))
            return flag
        }
        let variable = Self.environmentName(key)
        if let text = environment[variable] {
            let items = Self.split(text)
            resolved.append(Resolved(key: key, value: items.joined(separator: ","), source: "environment \(variable)"))
            return items
        }
        if let file, let content = try fileContent(key, type: .stringArray, in: file) {
            let items: [String] =
                switch content {
                case .stringArray(let items): items
                case .string(let text): Self.split(text)
                default: []
                }
            resolved.append(Resolved(key: key, value: items.joined(separator: ","), source: "file \(file.path)"))
            return items
        }
        resolved.append(Resolved(key: key, value: fallback.joined(separator: ","), source: "default"))
        return fallback
    }

    /// `--print-config`: one setting a line, `key = value  (source)`, aligned.
    var printed: String {
        let width = resolved.map(\.key.count).max() ?? 0
        let valueWidth = min(resolved.map(\.value.count).max() ?? 0, 48)
        return resolved.map { setting in
            setting.key.padding(toLength: width, withPad: " ", startingAt: 0) + " = "
                + setting.value.padding(toLength: max(valueWidth, setting.value.count), withPad: " ", startingAt: 0) + "  (\(setting.source))"
        }.joined(separator: "\n")
    }

    private func lookUp<Value: ExpressibleByArgument>(_ key: String, flag: Value?) throws -> (Value, String)? {
        if let flag {
            return (flag, "flag --\(key)")
        }
        let variables = key == "port" ? [Self.environmentName(key), "PORT"] : [Self.environmentName(key)]
        for variable in variables {
            if let text = environment[variable] {
                guard let value = Value(argument: text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("environment \(variable)=\(text): not a valid value for --\(key)")
                }
                return (value, "environment \(variable)")
            }
        }
        if let file, let content = try fileContent(key, type: .string, in: file) {
            guard case .string(let text) = content, let value = Value(argument: text) else {
                let shown = if case .string(let text) = content { text } else { "\(content)" }
                throw ValidationError("configuration file \(file.path): \(key): \(shown) is not a valid value for --\(key)")
            }
            return (value, "file \(file.path)")
        }
        return nil
    }

    private func fileContent(_ key: String, type: ConfigType, in file: (path: String, provider: FileProvider<YAMLSnapshot>)) throws
        -> ConfigContent?
    {
        do {
            return try file.provider.value(forKey: AbsoluteConfigKey([key]), type: type).value?.content
        } catch {
            // A scalar where a list was asked for: take it as comma-separated text.
            if type == .stringArray, case .string(let text)? = try? file.provider.value(forKey: AbsoluteConfigKey([key]), type: .string).value?.content {
                return .string(text)
            }
            throw ValidationError("configuration file \(file.path): \(key): \(error)")
        }
    }

    private static func split(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The keys at the start of a line, outside comments: the settings the file sets. The file is
    /// flat (one setting per key), so that is every key it has.
    private static func topLevelKeys(ofYAMLFile path: String) throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("configuration file \(path): no such file") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("configuration file \(path): cannot be read as UTF-8 text")
        }
        var keys: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            guard let first = line.first, first != " ", first != "\t", first != "#", first != "-",
                let colon = line.firstIndex(of: ":")
            else { continue }
            keys.insert(String(line[..<colon]).trimmingCharacters(in: .whitespaces))
        }
        return keys
    }
}
