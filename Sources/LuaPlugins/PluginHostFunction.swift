import Foundation
import LuaHost
import Logging
import RenderTracker

/// The functions the `tracker` table offers plugins besides registration, called by the prelude
/// as `host(HOST.<snake_case name>, plugin, ...)`.
enum PluginHostFunction: Int32, LuaHostFunctions {
    case log = 1
    case httpPost = 2
    case exec = 3
    case environment = 4
    case now = 5
}

/// Carries out host calls for one Lua state: checks the arguments (a wrong one raises a Lua
/// error naming it) and hands notifications to the effects.
struct PluginHost: Sendable {
    var effects: any PluginEffects
    var clock: any TrackerClock
    var logger: Logger
    var environment: [String: String]

    /// The same checks, with log lines and notifications dropped.
    var quiet: PluginHost {
        PluginHost(
            effects: DiscardedPluginEffects(), clock: clock, logger: Logger(label: logger.label) { _ in SwiftLogNoOpLogHandler() },
            environment: environment
        )
    }

    /// The longest `tracker.log` (or `print`) message written, in UTF-8 bytes: longer ones keep
    /// their head and tail around a note of what was cut. A log line is for a person to read; a
    /// plugin that logged a whole 8 MB response would bury every other line, and log storage.
    static let maximumLogBytes = 4096

    func call(_ id: Int32, _ arguments: [LuaValue]) -> Result<[LuaValue], LuaHostError> {
        guard let function = PluginHostFunction(rawValue: id), let plugin = arguments.first?.stringValue else {
            return .failure(LuaHostError(message: "unknown host function \(id)"))
        }
        let arguments = Array(arguments.dropFirst())
        do {
            return .success(try call(function, plugin: plugin, arguments))
        } catch {
            return .failure(error)
        }
    }

    private func call(_ function: PluginHostFunction, plugin: String, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        switch function {
        case .log:
            let levelName = try string(arguments, 0, "tracker.log", "level")
            guard let level = Logger.Level(rawValue: levelName) else {
                throw LuaHostError(message: "tracker.log: unknown level \"\(levelName)\" (use trace, debug, info, notice, warning, error or critical)")
            }
            let message = arguments.count > 1 ? try string(arguments, 1, "tracker.log", "message") : ""
            logger.log(level: level, "\(message.clipped(toBytes: Self.maximumLogBytes))", metadata: ["plugin": "\(plugin)"])
            return []
        case .httpPost:
            let url = try string(arguments, 0, "tracker.http_post", "url")
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw LuaHostError(message: "tracker.http_post: url must be an http:// or https:// address, got \"\(url)\"")
            }
            let body = arguments.count > 1 && arguments[1] != .null ? try string(arguments, 1, "tracker.http_post", "body") : ""
            let headers = try stringMap(arguments.count > 2 ? arguments[2] : .null, "tracker.http_post", "headers")
            if let framing = headers.keys.first(where: { Self.headersPluginsCannotSet.contains($0.lowercased()) }) {
                throw LuaHostError(message: "tracker.http_post: headers cannot set \(framing): the url and the body decide it")
            }
            let options = try stringKeyed(arguments.count > 3 ? arguments[3] : .null, "tracker.http_post", "options", known: ["follow_redirects"])
            let follow: Bool
            switch options["follow_redirects"] ?? .null {
            case .null: follow = false
            case .bool(let value): follow = value
            case let other: throw LuaHostError(message: "tracker.http_post: options.follow_redirects must be true or false, got \(other.typeName)")
            }
            effects.send(.httpPost(plugin: plugin, url: url, body: body, headers: headers, followRedirects: follow))
            return [.bool(true)]
        case .exec:
            guard let argv = arguments.first?.arrayElements, let program = argv.first?.stringValue, !program.isEmpty else {
                throw LuaHostError(message: "tracker.exec: argv must be a list of strings starting with the program, e.g. {\"/usr/sbin/sendmail\", \"-t\"}")
            }
            var strings = [program]
            for (offset, element) in argv.enumerated().dropFirst() {
                guard let string = element.stringValue else {
                    throw LuaHostError(message: "tracker.exec: argv[\(offset + 1)] must be a string, got \(element.typeName)")
                }
                strings.append(string)
            }
            let input = arguments.count > 1 && arguments[1] != .null ? try string(arguments, 1, "tracker.exec", "input") : nil
            effects.send(.exec(plugin: plugin, arguments: strings, input: input))
            return [.bool(true)]
        case .environment:
            return [.optional(environment[try string(arguments, 0, "tracker.env", "name")])]
        case .now:
            return [.number(clock.now().secondsSince1970)]
        }
    }

    private func string(_ arguments: [LuaValue], _ index: Int, _ function: String, _ name: String) throws(LuaHostError) -> String {
        let value = index < arguments.count ? arguments[index] : .null
        switch value {
        case .string(let string): return string
        case .integer(let integer): return String(integer)
        case .number(let number): return String(number)
        default: throw LuaHostError(message: "\(function): \(name) must be a string, got \(value.typeName)")
        }
    }

    /// Headers that say where a request goes and how its body is framed: `Host` would send the
    /// post to another site than the address checked by the destination rule.
    static let headersPluginsCannotSet: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// A table with string keys from `known` (another key raises an error naming it), or nil.
    private func stringKeyed(_ value: LuaValue, _ function: String, _ name: String, known: Set<String>) throws(LuaHostError) -> [String: LuaValue] {
        switch value {
        case .null: return [:]
        case .table(let table):
            var result: [String: LuaValue] = [:]
            for (key, element) in table {
                guard let key = key.stringValue, known.contains(key) else {
                    throw LuaHostError(message: "\(function): unknown \(name) key \(key.stringValue ?? key.typeName) (known: \(known.sorted().joined(separator: ", ")))")
                }
                result[key] = element
            }
            return result
        default: throw LuaHostError(message: "\(function): \(name) must be a table, got \(value.typeName)")
        }
    }

    private func stringMap(_ value: LuaValue, _ function: String, _ name: String) throws(LuaHostError) -> [String: String] {
        switch value {
        case .null: return [:]
        case .table(let table):
            var map: [String: String] = [:]
            for (key, element) in table {
                guard let key = key.stringValue, let element = element.stringValue else {
                    throw LuaHostError(message: "\(function): \(name) must map strings to strings, got \(key.typeName) = \(element.typeName)")
                }
                map[key] = element
            }
            return map
        default: throw LuaHostError(message: "\(function): \(name) must be a table, got \(value.typeName)")
        }
    }
}
