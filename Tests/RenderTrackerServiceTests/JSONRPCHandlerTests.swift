import RenderTracker
@testable import RenderTrackerService
import Testing
import RPC

/// `JSONRPCHandler` over the real method table: 2.0 calls, ids, named parameters, notifications,
/// batches, the 1.0 shape, and every error the handler itself produces.
struct JSONRPCHandlerTests {

    // MARK: - Helpers

    private let handler: JSONRPCHandler

    init() {
        handler = Self.makeHandler()
    }

    private static func makeHandler(maxDepth: Int = 64) -> JSONRPCHandler {
        let tracker = SharedTracker(Tracker(clock: ManualClock()))
        let methods = RenderTrackerMethods.all(tracker: tracker, nameFormula: BuiltInProjectNameFormula())
        return JSONRPCHandler(dispatcher: RPCDispatcher(methods: methods), maxDepth: maxDepth)
    }

    /// The raw answer to `text`, or nil when there is none.
    private func rawAnswer(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { handler.respond(to: $0) }
    }

    /// The parsed answer to `text`, or nil when there is none.
    private func answer(_ text: String) throws -> RPCValue? {
        guard let bytes = rawAnswer(text) else { return nil }
        return try JSONReader.parse(bytes)
    }

    /// The parsed answer to `text`, which must be a JSON object.
    private func object(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: RPCValue] {
        let value = try #require(try answer(text), "no answer", sourceLocation: sourceLocation)
        guard case .structure(let fields) = value else {
            Issue.record("answer is not an object: \(value)", sourceLocation: sourceLocation)
            return [:]
        }
        return fields
    }

    /// The `{code, message}` of an error response.
    private static func error(in response: [String: RPCValue], sourceLocation: SourceLocation = #_sourceLocation) -> (code: Int, message: String)? {
        guard case .structure(let error)? = response["error"], case .int(let code)? = error["code"],
            case .string(let message)? = error["message"]
        else {
            Issue.record("no {code, message} error in \(response)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(error.count == 2, sourceLocation: sourceLocation)
        return (code, message)
    }

    private static let startShot = #"""
        {"jsonrpc": "2.0", "method": "startedRenderProject", "params": ["ann/shot", [1, 2, 3], false, 77]}
        """#

    // MARK: - 2.0 calls

    @Test func aCallIsAnsweredWithItsResult() throws {
        let bytes = try #require(rawAnswer(#"{"jsonrpc": "2.0", "method": "isRunning", "id": 1}"#))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"id":1,"jsonrpc":"2.0","result":true}"#)
    }

    @Test func aCallWithPositionalParams() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "applyProjectNameFormula", "params": ["ann", "/h/shot.hip"], "id": 3}"#)
        #expect(response == ["jsonrpc": .string("2.0"), "result": .string("ann/shot"), "id": .int(3)])
    }

    @Test(arguments: [
        ("1", RPCValue.int(1)),
        ("-9", .int(-9)),
        ("\"abc\"", .string("abc")),
        ("\"\"", .string("")),
        ("null", .null),
        ("2.5", .double(2.5)),
    ])
    func theIdComesBackAsSent(idText: String, id: RPCValue) throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isRunning", "id": \#(idText)}"#)
        #expect(response["id"] == id)
        #expect(response["id"]?.typeName == id.typeName)
        #expect(response["result"] == .bool(true))
    }

    @Test func anErrorEchoesTheIdToo() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "nope", "id": "req-7"}"#)
        #expect(response["id"] == .string("req-7"))
        #expect(response["jsonrpc"] == .string("2.0"))
        #expect(response["result"] == nil)
        #expect(Self.error(in: response)?.code == -32601)
    }

    // MARK: - Named params

    @Test func namedParamsAreMatchedByName() throws {
        let response = try object(#"""
            {"jsonrpc": "2.0", "method": "applyProjectNameFormula", "params": {"local_hip_path": "C:\\h\\shot.hipnc", "user": "bo"}, "id": 1}
            """#)
        #expect(response["result"] == .string("bo/shot"))
    }

    @Test func namedParamsForAWrite() throws {
        let started = try object(#"""
            {"jsonrpc": "2.0", "method": "startedRenderProject", "id": 1,
             "params": {"job_id": "j1", "generate_ifds": true, "frames": [4, 5], "project": "p"}}
            """#)
        #expect(started["result"] == .bool(true))
        let frames = try object(#"{"jsonrpc": "2.0", "method": "getAllFramesInfo", "params": {"project": "p"}, "id": 2}"#)
        guard case .array(let rows)? = frames["result"] else {
            Issue.record("no frames: \(frames)")
            return
        }
        #expect(rows.count == 2)
        let generates = try object(#"{"jsonrpc": "2.0", "method": "doesProjectGenerateIFDs", "params": {"project": "p"}, "id": 3}"#)
        #expect(generates["result"] == .bool(true))
    }

    @Test func aMissingNamedParamIsInvalidParamsNamingIt() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "applyProjectNameFormula", "params": {"user": "bo"}, "id": 1}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32602)
        #expect(error.message == #"applyProjectNameFormula(user, local_hip_path): missing parameter "local_hip_path""#)
        #expect(response["id"] == .int(1))
    }

    @Test func anUnknownNamedParamIsInvalidParamsNamingIt() throws {
        let response = try object(#"""
            {"jsonrpc": "2.0", "method": "applyProjectNameFormula", "params": {"user": "bo", "local_hip_path": "x.hip", "zz": 1, "hip": 2}, "id": 1}
            """#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32602)
        // The first unknown name in sorted order.
        #expect(error.message == #"applyProjectNameFormula(user, local_hip_path) has no parameter named "hip""#)
    }

    @Test func namedParamsForAnUnknownMethodIsMethodNotFound() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "nope", "params": {"a": 1}, "id": 1}"#)
        #expect(Self.error(in: response)?.code == -32601)
    }

    @Test func emptyNamedParamsSuitAMethodWithoutParameters() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isRunning", "params": {}, "id": 1}"#)
        #expect(response["result"] == .bool(true))
    }

    // MARK: - Notifications and batches

    @Test func aNotificationIsRunButNotAnswered() throws {
        #expect(rawAnswer(Self.startShot) == nil)
        let projects = try object(#"{"jsonrpc": "2.0", "method": "getAllProjects", "id": 1}"#)
        #expect(projects["result"] == .array([.string("ann/shot")]))
    }

    @Test func aFailingNotificationIsNotAnsweredEither() {
        #expect(rawAnswer(#"{"jsonrpc": "2.0", "method": "nope"}"#) == nil)
        #expect(rawAnswer(#"{"jsonrpc": "2.0", "method": "isProjectDone", "params": ["ghost"]}"#) == nil)
        #expect(rawAnswer(#"{"jsonrpc": "2.0", "method": "isRunning", "params": [1, 2]}"#) == nil)
    }

    @Test func aBatchMixesCallsNotificationsAndErrors() throws {
        let batch = """
            [
              {"jsonrpc": "2.0", "method": "isRunning", "id": 1},
              \(Self.startShot),
              {"jsonrpc": "2.0", "method": "nope", "id": 2},
              5,
              {"jsonrpc": "2.0", "method": "getAllProjects", "id": "three"},
              {"jsonrpc": "2.0", "method": "isRunning", "params": [true], "id": 4},
              {"method": "isRunning", "params": [], "id": 5}
            ]
            """
        let value = try #require(try answer(batch))
        guard case .array(let responses) = value else {
            Issue.record("not an array: \(value)")
            return
        }
        try #require(responses.count == 6)
        func fields(_ index: Int) -> [String: RPCValue] {
            if case .structure(let fields) = responses[index] { return fields }
            Issue.record("response \(index) is not an object")
            return [:]
        }
        #expect(fields(0) == ["jsonrpc": .string("2.0"), "result": .bool(true), "id": .int(1)])
        #expect(fields(1)["id"] == .int(2))
        #expect(Self.error(in: fields(1))?.code == -32601)
        #expect(fields(2)["id"] == .null)
        #expect(Self.error(in: fields(2))?.code == -32600)
        // The notification before it in the same batch has already run.
        #expect(fields(3) == ["jsonrpc": .string("2.0"), "result": .array([.string("ann/shot")]), "id": .string("three")])
        #expect(fields(4)["id"] == .int(4))
        #expect(Self.error(in: fields(4))?.code == -32602)
        // Each request in a batch is answered in its own shape.
        #expect(fields(5) == ["result": .bool(true), "error": .null, "id": .int(5)])
    }

    @Test func aBatchOfOnlyNotificationsIsNotAnswered() throws {
        let batch = "[\(Self.startShot), {\"jsonrpc\": \"2.0\", \"method\": \"isRunning\"}, {\"method\": \"isRunning\", \"id\": null}]"
        #expect(rawAnswer(batch) == nil)
        let projects = try object(#"{"jsonrpc": "2.0", "method": "getAllProjects", "id": 1}"#)
        #expect(projects["result"] == .array([.string("ann/shot")]))
    }

    @Test(arguments: ["[]", " [ ] "])
    func anEmptyBatchIsAnInvalidRequest(text: String) throws {
        let response = try object(text)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32600)
        #expect(error.message == "empty batch")
        #expect(response["id"] == .null)
        #expect(response["jsonrpc"] == .string("2.0"))
    }

    @Test func aBatchOfNonObjectsAnswersEachWithInvalidRequest() throws {
        let value = try #require(try answer("[1, \"x\", [], null]"))
        guard case .array(let responses) = value else {
            Issue.record("not an array: \(value)")
            return
        }
        #expect(responses.count == 4)
        for response in responses {
            guard case .structure(let fields) = response else {
                Issue.record("not an object: \(response)")
                continue
            }
            #expect(fields["id"] == .null)
            #expect(Self.error(in: fields)?.code == -32600)
        }
    }

    // MARK: - Invalid requests

    @Test(arguments: ["5", "\"isRunning\"", "true", "null"])
    func aRequestThatIsNotAnObjectIsAnInvalidRequest(text: String) throws {
        let response = try object(text)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32600)
        #expect(error.message == "a JSON-RPC request must be an object")
        #expect(response["id"] == .null)
        #expect(response["jsonrpc"] == .string("2.0"))
    }

    @Test(arguments: [#""1.0""#, #""2""#, "2.0", "2", "null", "true"])
    func aWrongJSONRPCVersionIsAnInvalidRequest(version: String) throws {
        let response = try object(#"{"jsonrpc": \#(version), "method": "isRunning", "id": 7}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32600)
        #expect(error.message == #""jsonrpc" must be "2.0""#)
        #expect(response["id"] == .int(7))
        #expect(response["result"] == nil)
    }

    @Test(arguments: [
        #"{"jsonrpc": "2.0", "id": 1}"#,
        #"{"jsonrpc": "2.0", "method": 5, "id": 1}"#,
        #"{"jsonrpc": "2.0", "method": null, "id": 1}"#,
        #"{"jsonrpc": "2.0", "method": ["isRunning"], "id": 1}"#,
    ])
    func aRequestWithoutAStringMethodIsAnInvalidRequest(text: String) throws {
        let response = try object(text)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32600)
        #expect(error.message == #"a request needs a string "method""#)
        #expect(response["id"] == .int(1))
    }

    @Test(arguments: [
        (#""bar""#, "string"),
        ("5", "int"),
        ("1.5", "double"),
        ("true", "boolean"),
    ])
    func paramsOfTheWrongKindAreAnInvalidRequest(params: String, typeName: String) throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isRunning", "params": \#(params), "id": 1}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32600)
        #expect(error.message == #""params" must be an array or an object, not \#(typeName)"#)
    }

    @Test func nullParamsMeanNoParams() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isRunning", "params": null, "id": 1}"#)
        #expect(response["result"] == .bool(true))
    }

    @Test func aParamOfTheWrongTypeIsInvalidParams() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isProjectDone", "params": [5], "id": 1}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32602)
        #expect(error.message == "isProjectDone: parameter 1 (project) must be a string, got int 5")
    }

    @Test func theWrongNumberOfParamsIsInvalidParams() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isProjectDone", "params": [], "id": 1}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32602)
        #expect(error.message == "isProjectDone(project) takes 1 parameter; got 0")
    }

    /// JSON-RPC 2.0 §5: a request that is invalid is answered with -32600 and a null id, even
    /// when it has no id (the spec's own example is `{"jsonrpc": "2.0", "method": 1, "params": "bar"}`,
    /// and `{"foo": "boo"}` in its batch example).
    @Test(arguments: [
        #"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#,
        #"{"jsonrpc": "1.0", "method": "isRunning"}"#,
        #"{"foo": "boo"}"#,
        "{}",
    ])
    func anInvalidRequestWithoutAnIdIsStillAnswered(text: String) throws {
        let response = try object(text)
        #expect(Self.error(in: response)?.code == -32600)
        #expect(response["id"] == .null)
    }

    // MARK: - The 1.0 shape

    @Test func theOnePointZeroShapeIsAnsweredWithResultErrorAndId() throws {
        let bytes = try #require(rawAnswer(#"{"method": "isRunning", "params": [], "id": 1}"#))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"error":null,"id":1,"result":true}"#)
    }

    @Test func aOnePointZeroErrorHasANullResult() throws {
        let response = try object(#"{"method": "isProjectDone", "params": ["ghost"], "id": "x"}"#)
        #expect(response["result"] == .null)
        #expect(response["id"] == .string("x"))
        #expect(response["jsonrpc"] == nil)
        let error = try #require(Self.error(in: response))
        #expect(error.code == 1)
        #expect(error.message == #"no such project: "ghost""#)
    }

    @Test func aOnePointZeroRequestWithoutParamsIsCalledWithNone() throws {
        let response = try object(#"{"method": "getAllProjects", "id": 9}"#)
        #expect(response == ["result": .array([]), "error": .null, "id": .int(9)])
    }

    @Test func aOnePointZeroNotificationHasANullIdAndIsNotAnswered() throws {
        #expect(rawAnswer(#"{"method": "startedRenderProject", "params": ["p1", [1], false, "j"], "id": null}"#) == nil)
        let projects = try object(#"{"method": "getAllProjects", "params": [], "id": 1}"#)
        #expect(projects["result"] == .array([.string("p1")]))
    }

    @Test func aOnePointZeroInvalidRequestIsAnsweredInTheOnePointZeroShape() throws {
        let response = try object(#"{"method": 5, "id": 2}"#)
        #expect(response["result"] == .null)
        #expect(response["id"] == .int(2))
        #expect(response["jsonrpc"] == nil)
        #expect(Self.error(in: response)?.code == -32600)
    }

    // MARK: - Errors

    @Test(arguments: [
        ("{", 1),
        ("", 0),
        ("{\"jsonrpc\": \"2.0\", \"method\": \"isRunning\", \"id\": 1", 49),
        ("[1,]", 3),
        ("{\"jsonrpc\": \"2.0\"} x", 19),
    ])
    func aParseErrorIsAnsweredWithANullId(text: String, offset: Int) throws {
        let response = try object(text)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32700)
        #expect(error.message.hasPrefix("JSON parse error: "))
        #expect(error.message.hasSuffix(" at byte \(offset)"))
        #expect(response["id"] == .null)
        #expect(response["jsonrpc"] == .string("2.0"))
        #expect(response["result"] == nil)
    }

    @Test func invalidUTF8IsAParseError() throws {
        let bytes: [UInt8] = Array(#"{"jsonrpc": "2.0", "method": "is"#.utf8) + [0xFF] + Array(#"", "id": 1}"#.utf8)
        let answer = try #require(bytes.withUnsafeBytes { handler.respond(to: $0) })
        guard case .structure(let response) = try JSONReader.parse(answer) else {
            Issue.record("not an object")
            return
        }
        #expect(Self.error(in: response)?.message == "JSON parse error: string is not valid UTF-8 at byte 34")
    }

    @Test func nestingBeyondTheHandlersDepthIsAParseError() throws {
        let handler = Self.makeHandler(maxDepth: 3)
        let shallow = Array(#"{"jsonrpc": "2.0", "method": "isRunning", "params": [], "id": 1}"#.utf8)
        let ok = try #require(shallow.withUnsafeBytes { handler.respond(to: $0) })
        #expect(String(decoding: ok, as: UTF8.self) == #"{"id":1,"jsonrpc":"2.0","result":true}"#)

        let deep = Array(#"{"jsonrpc": "2.0", "method": "isProjectDone", "params": [[[1]]], "id": 1}"#.utf8)
        let refused = try #require(deep.withUnsafeBytes { handler.respond(to: $0) })
        guard case .structure(let response) = try JSONReader.parse(refused) else {
            Issue.record("not an object")
            return
        }
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32700)
        #expect(error.message.contains("nesting deeper than 3 levels"))
    }

    @Test func aHundredThousandBracketsAreAParseError() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let answer = try #require(bytes.withUnsafeBytes { handler.respond(to: $0) })
        guard case .structure(let response) = try JSONReader.parse(answer) else {
            Issue.record("not an object")
            return
        }
        #expect(Self.error(in: response)?.message == "JSON parse error: nesting deeper than 64 levels at byte 64")
    }

    @Test func anUnknownMethodIsMethodNotFound() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "renderEverything", "params": [], "id": 1}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == -32601)
        #expect(error.message == #"no method named "renderEverything" (system.listMethods lists them)"#)
    }

    @Test func isProjectDoneOnAnUnknownProjectIsFaultOne() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "isProjectDone", "params": ["ghost"], "id": 1}"#)
        let error = try #require(Self.error(in: response))
        #expect(error.code == 1)
        #expect(error.message == #"no such project: "ghost""#)
        #expect(response["result"] == nil)
    }

    @Test func isProjectDoneOnAKnownProjectAnswers() throws {
        #expect(rawAnswer(Self.startShot) == nil)
        let response = try object(#"{"jsonrpc": "2.0", "method": "isProjectDone", "params": ["ann/shot"], "id": 1}"#)
        #expect(response["result"] == .bool(false))
    }

    @Test func systemMethodsAreReachable() throws {
        let response = try object(#"{"jsonrpc": "2.0", "method": "system.methodSignature", "params": ["isProjectDone"], "id": 1}"#)
        #expect(response["result"] == .array([.array([.string("boolean"), .string("string")])]))
    }
}
