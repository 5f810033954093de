/// A strict reader of the Prometheus text exposition format (version 0.0.4), for checking what
/// `GET /metrics` writes: every line must be a HELP, TYPE or comment line or a well-formed sample,
/// every sample must belong to a family declared by a TYPE line before it, and no series may repeat.
public struct PrometheusText {
    public struct Sample: Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var text: String
        public var description: String { "line \(line): \(reason): \(text)" }
    }

    public private(set) var types: [String: String] = [:]
    public private(set) var samples: [Sample] = []

    public init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw ParseError(line: 0, reason: "the text must end with a line feed", text: "") }
        var seen: Set<[String]> = []
        for (index, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            let fail = { (reason: String) in ParseError(line: index + 1, reason: reason, text: line) }
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, Self.isMetricName(parts[0]) else { throw fail("malformed TYPE line") }
                guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[1]) else { throw fail("unknown type") }
                guard types[parts[0]] == nil else { throw fail("a second TYPE line for the same family") }
                guard !samples.contains(where: { Self.family(of: $0.name, in: [parts[0]: parts[1]]) != nil }) else {
                    throw fail("TYPE after the family's samples")
                }
                types[parts[0]] = parts[1]
            } else if line.hasPrefix("# HELP ") {
                guard let name = line.dropFirst(7).split(separator: " ").first, Self.isMetricName(String(name)) else {
                    throw fail("malformed HELP line")
                }
            } else if line.hasPrefix("#") || line.isEmpty {
                continue
            } else {
                let sample = try Self.sample(line, fail: fail)
                guard let family = Self.family(of: sample.name, in: types) else { throw fail("a sample with no TYPE line before it") }
                if types[family] == "histogram", sample.name.hasSuffix("_bucket"), sample.labels["le"] == nil {
                    throw fail("a histogram bucket without le")
                }
                let series = [sample.name] + sample.labels.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
                guard seen.insert(series).inserted else { throw fail("a series written twice") }
                samples.append(sample)
            }
        }
    }

    /// The value of the series with exactly these labels, or nil if it is not there.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every series of a metric.
    public func series(_ name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    /// The family a sample belongs to: its own name, or for histograms and summaries the name
    /// without `_bucket`, `_sum` or `_count`.
    private static func family(of name: String, in types: [String: String]) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let type = types[base], type == "histogram" || type == "summary" { return base }
        }
        return nil
    }

    private static func sample(_ line: String, fail: (String) -> ParseError) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard isMetricName(name) else { throw fail("malformed metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard isLabelName(label) else { throw fail("malformed label name") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw fail("a label without =\"value\"") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        switch rest.first {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw fail("an invalid escape in a label value")
                        }
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw fail("an unterminated label value") }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: label) == nil else { throw fail("a label given twice") }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("labels not separated by commas") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw fail("no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), let value = number(String(fields[0])) else { throw fail("malformed value") }
        if fields.count == 2, Int(fields[1]) == nil { throw fail("malformed timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    private static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
