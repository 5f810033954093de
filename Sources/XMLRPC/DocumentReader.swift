import RPC
/// Turns expat's element and text events into RPC values with a stack of open elements and a
/// stack of finished values, so no DOM is built and nesting never recurses.
///
/// Each open container remembers where its children start on the `values` (and, for structs,
/// `names`) stack; closing it collapses that tail into one value. Text is gathered in one
/// reusable byte buffer and turned into a String once per element.
///
/// A struct, mutated in place through the parse context pointer, so the per-event path has
/// no reference counting and no dynamic exclusivity checks.
struct DocumentReader {
    enum Root {
        case methodCall
        case methodResponse
    }

    private struct Frame {
        var element: ElementName
        var valueStart: Int
        var nameStart: Int
        var children = 0
        /// One bit per `ElementName.rawValue` already seen, for children allowed only once.
        var seen: UInt32 = 0
    }

    private let root: Root
    private let maxDepth: Int
    private var frames: [Frame] = []
    private var values: [RPCValue] = []
    private var names: [String] = []
    private var text: [UInt8] = []

    private(set) var methodName: String?
    private(set) var fault: (code: Int, message: String)?

    init(root: Root, maxDepth: Int) {
        self.root = root
        self.maxDepth = maxDepth
        frames.reserveCapacity(16)
        values.reserveCapacity(8)
        text.reserveCapacity(256)
    }

    /// The finished top-level values: the params of a request, the single result of a response.
    var results: [RPCValue] { values }

    // MARK: Events

    mutating func startElement(_ rawName: UnsafePointer<CChar>) throws(XMLRPCError) {
        // Checked before anything else so hostile nesting stops at the first level too many.
        guard frames.count < maxDepth else {
            throw XMLRPCError(
                kind: .tooDeep,
                message: "elements nested deeper than \(maxDepth) levels at <\(ElementName.displayName(rawName))>")
        }
        guard let element = ElementName(cString: rawName) else {
            throw unknownElement(rawName)
        }
        if frames.isEmpty {
            try checkRoot(element)
        } else {
            try checkChild(element, of: frames.count - 1)
        }
        frames.append(Frame(element: element, valueStart: values.count, nameStart: names.count))
        clearText()
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws(XMLRPCError) {
        guard let top = frames.last else { return }
        switch top.element {
        case .value, .name, .methodName, .int, .i4, .i8, .boolean, .string, .double, .dateTime, .base64:
            text.append(contentsOf: bytes)
        default:
            // Indentation between elements is fine; real text inside a container is not.
            guard bytes.allSatisfy(ScalarText.isWhitespace) else {
                throw invalid("text \(ScalarText.quoted(Array(bytes))) is not allowed inside \(top.element)")
            }
        }
    }

    mutating func endElement() throws(XMLRPCError) {
        // expat guarantees end tags match start tags, so the top frame is the element closing.
        guard let frame = frames.popLast() else { return }
        switch frame.element {
        case .int, .i4, .i8:
            switch ScalarText.integer(text) {
            case .value(let number): values.append(.int(number))
            case .notAnInteger: throw invalid("\(frame.element) holds \(ScalarText.quoted(text)), not an integer")
            case .outOfRange:
                throw invalid("\(frame.element) holds \(ScalarText.quoted(text)), outside the 64-bit integer range")
            }
        case .boolean:
            guard let flag = ScalarText.boolean(text) else {
                throw invalid("<boolean> holds \(ScalarText.quoted(text)), not 0 or 1")
            }
            values.append(.bool(flag))
        case .string:
            values.append(.string(String(decoding: text, as: UTF8.self)))
        case .double:
            guard let number = ScalarText.double(text) else {
                throw invalid("<double> holds \(ScalarText.quoted(text)), not a number")
            }
            values.append(.double(number))
        case .dateTime:
            let stamp = ScalarText.trimmed(text)
            guard !stamp.isEmpty else { throw invalid("empty <dateTime.iso8601>") }
            values.append(.dateTime(String(decoding: stamp, as: UTF8.self)))
        case .base64:
            guard let bytes = Base64.decode(text) else {
                throw invalid("<base64> holds invalid base64 \(ScalarText.quoted(text))")
            }
            values.append(.base64(bytes))
        case .null:
            values.append(.null)
        case .value:
            if frame.children == 0 {
                // An untyped value is a string, whitespace and all.
                values.append(.string(String(decoding: text, as: UTF8.self)))
            } else if !ScalarText.isBlank(text) {
                throw invalid("<value> mixes a typed value with text \(ScalarText.quoted(text))")
            }
        case .data:
            let elements = Array(values[frame.valueStart...])
            values.removeSubrange(frame.valueStart...)
            values.append(.array(elements))
        case .array:
            // `<array/>` without `<data>` is read as empty, as Python does.
            if frame.children == 0 { values.append(.array([])) }
        case .structure:
            var members: [String: RPCValue] = [:]
            members.reserveCapacity(names.count - frame.nameStart)
            // Each closed member left exactly one name and one value, so the tails pair up.
            for (name, value) in zip(names[frame.nameStart...], values[frame.valueStart...]) {
                members[name] = value
            }
            names.removeSubrange(frame.nameStart...)
            values.removeSubrange(frame.valueStart...)
            values.append(.structure(members))
        case .member:
            guard frame.seen & Self.bit(.name) != 0 else { throw invalid("<member> without <name>") }
            guard frame.seen & Self.bit(.value) != 0 else { throw invalid("<member> without <value>") }
        case .name:
            names.append(String(decoding: text, as: UTF8.self))
        case .param:
            guard frame.children == 1 else { throw invalid("<param> without <value>") }
        case .params:
            if root == .methodResponse, frame.children != 1 {
                throw invalid("<params> of a <methodResponse> must hold exactly one <param>")
            }
        case .fault:
            guard frame.children == 1, let faultValue = values.popLast() else {
                throw invalid("<fault> without <value>")
            }
            fault = try Self.faultFields(faultValue)
        case .methodName:
            let trimmed = ScalarText.trimmed(text)
            guard !trimmed.isEmpty else { throw invalid("empty <methodName>") }
            methodName = String(decoding: trimmed, as: UTF8.self)
        case .methodCall:
            guard methodName != nil else { throw invalid("<methodCall> without <methodName>") }
        case .methodResponse:
            guard frame.children == 1 else { throw invalid("<methodResponse> holds neither <params> nor <fault>") }
        }
        clearText()
    }

    /// Keeps the buffer's storage for the next element; skips the call when already empty,
    /// which most container elements are.
    private mutating func clearText() {
        if !text.isEmpty { text.removeAll(keepingCapacity: true) }
    }

    // MARK: Structure rules

    private func checkRoot(_ element: ElementName) throws(XMLRPCError) {
        let expected: ElementName = root == .methodCall ? .methodCall : .methodResponse
        guard element == expected else {
            throw invalid("root element is \(element), expected \(expected)")
        }
    }

    /// Validates `element` as the next child of the frame at `index` and counts it there.
    private mutating func checkChild(_ element: ElementName, of index: Int) throws(XMLRPCError) {
        let parent = frames[index]
        let allowed: Bool
        var onlyOnce = false
        switch parent.element {
        case .value:
            guard element.isScalar || element == .array || element == .structure else {
                throw invalid("\(element) is not a value type inside <value>")
            }
            guard parent.children == 0 else { throw invalid("<value> holds more than one value") }
            guard ScalarText.isBlank(text) else {
                throw invalid("<value> mixes text \(ScalarText.quoted(text)) with \(element)")
            }
            allowed = true
        case .methodCall:
            allowed = element == .methodName || element == .params
            onlyOnce = true
        case .methodResponse:
            allowed = element == .params || element == .fault
            if allowed, parent.children != 0 { throw invalid("<methodResponse> holds more than one of <params>/<fault>") }
        case .params:
            allowed = element == .param
        case .param, .fault:
            allowed = element == .value
            if allowed, parent.children != 0 { throw invalid("\(parent.element) holds more than one <value>") }
        case .array:
            allowed = element == .data
            if allowed, parent.children != 0 { throw invalid("<array> holds more than one <data>") }
        case .data:
            allowed = element == .value
        case .structure:
            allowed = element == .member
        case .member:
            allowed = element == .name || element == .value
            onlyOnce = true
        case .int, .i4, .i8, .boolean, .string, .double, .dateTime, .base64, .null, .name, .methodName:
            throw invalid("\(parent.element) holds text only, found \(element) inside it")
        }
        guard allowed else { throw invalid("\(element) is not allowed inside \(parent.element)") }
        if onlyOnce {
            guard parent.seen & Self.bit(element) == 0 else {
                throw invalid("\(parent.element) holds more than one \(element)")
            }
            frames[index].seen |= Self.bit(element)
        }
        frames[index].children += 1
    }

    private static func bit(_ element: ElementName) -> UInt32 { 1 << UInt32(element.rawValue) }

    private static func faultFields(_ value: RPCValue) throws(XMLRPCError) -> (code: Int, message: String) {
        guard case .structure(let members) = value else {
            throw invalid("<fault> holds \(value.typeName), expected a struct")
        }
        guard case .int(let code)? = members["faultCode"] else {
            throw invalid("<fault> struct needs an int faultCode")
        }
        guard case .string(let message)? = members["faultString"] else {
            throw invalid("<fault> struct needs a string faultString")
        }
        return (code, message)
    }

    private func unknownElement(_ rawName: UnsafePointer<CChar>) -> XMLRPCError {
        let name = "<\(ElementName.displayName(rawName))>"
        if let parent = frames.last?.element {
            if parent == .value { return invalid("unknown type \(name) inside <value>") }
            return invalid("unknown element \(name) inside \(parent)")
        }
        return invalid("root element is \(name), expected \(root == .methodCall ? "<methodCall>" : "<methodResponse>")")
    }

    private func invalid(_ message: String) -> XMLRPCError {
        Self.invalid(message)
    }

    private static func invalid(_ message: String) -> XMLRPCError {
        XMLRPCError(kind: .invalidStructure, message: message)
    }
}
