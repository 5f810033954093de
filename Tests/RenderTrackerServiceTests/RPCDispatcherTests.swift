import RenderTracker
@testable import RenderTrackerService
import Testing
import RPC

/// `RPCDispatcher`: routing, arity, the `system.*` introspection methods, `system.multicall`, and
/// named-to-positional parameters.
struct RPCDispatcherTests {

    // MARK: - Helpers

    /// A small table of its own, so messages are predictable.
    private static let testMethods: [RPCMethod] = [
        RPCMethod(
            "echo", [.init("a", "int"), .init("b", "string"), .init("c", "double")], returns: "array", help: "Returns its parameters."
        ) { call in
            .array(call.params)
        },
        RPCMethod("one", [.init("x", "int")], returns: "int", help: "Doubles x.") { call throws(RPCFault) in
            .int(try call.integer(0) * 2)
        },
        RPCMethod("none", returns: "string", help: "Takes nothing.") { _ in
            .string("none")
        },
        RPCMethod("boom", returns: "nil", help: "Always fails.") { _ throws(RPCFault) in
            throw RPCFault(code: 42, message: "boom went the method")
        },
    ]

    private let dispatcher = RPCDispatcher(methods: Self.testMethods)

    private static func trackerDispatcher() -> RPCDispatcher {
        let tracker = SharedTracker(Tracker(clock: ManualClock()))
        return RPCDispatcher(methods: RenderTrackerMethods.all(tracker: tracker, nameFormula: BuiltInProjectNameFormula()))
    }

    private static func fault(
        _ result: Result<RPCValue, RPCFault>, sourceLocation: SourceLocation = #_sourceLocation
    ) -> RPCFault? {
        switch result {
        case .success(let value):
            Issue.record("expected a fault, got \(value)", sourceLocation: sourceLocation)
            return nil
        case .failure(let fault):
            return fault
        }
    }

    private static func value(
        _ result: Result<RPCValue, RPCFault>, sourceLocation: SourceLocation = #_sourceLocation
    ) -> RPCValue? {
        switch result {
        case .success(let value):
            return value
        case .failure(let fault):
            Issue.record("unexpected \(fault)", sourceLocation: sourceLocation)
            return nil
        }
    }

    private static func call(_ name: String, _ params: [RPCValue]) -> RPCValue {
        .structure(["methodName": .string(name), "params": .array(params)])
    }

    private static func faultStruct(_ code: Int, _ message: String) -> RPCValue {
        .structure(["faultCode": .int(code), "faultString": .string(message)])
    }

    // MARK: - Routing

    @Test func aKnownMethodIsCalledWithItsParams() throws {
        let params: [RPCValue] = [.int(1), .string("two"), .double(3)]
        #expect(Self.value(dispatcher.call("echo", params)) == .array(params))
        #expect(Self.value(dispatcher.call("one", [.int(21)])) == .int(42))
        #expect(Self.value(dispatcher.call("none", [])) == .string("none"))
    }

    @Test(arguments: ["nope", "", "ECHO", "system.nope", "echo "])
    func anUnknownMethodIsMethodNotFoundNamingIt(name: String) throws {
        let fault = try #require(Self.fault(dispatcher.call(name, [])))
        #expect(fault.code == -32601)
        #expect(fault.code == RPCFault.methodNotFoundCode)
        #expect(fault.message == "no method named \"\(name)\" (system.listMethods lists them)")
    }

    @Test(arguments: [
        ("echo", 2, "echo(a, b, c) takes 3 parameters; got 2"),
        ("echo", 4, "echo(a, b, c) takes 3 parameters; got 4"),
        ("echo", 0, "echo(a, b, c) takes 3 parameters; got 0"),
        ("one", 0, "one(x) takes 1 parameter; got 0"),
        ("one", 2, "one(x) takes 1 parameter; got 2"),
        ("none", 1, "none() takes 0 parameters; got 1"),
        ("system.listMethods", 1, "system.listMethods() takes 0 parameters; got 1"),
        ("system.multicall", 0, "system.multicall(calls) takes 1 parameter; got 0"),
    ])
    func theWrongArityIsInvalidParams(name: String, count: Int, message: String) throws {
        let fault = try #require(Self.fault(dispatcher.call(name, Array(repeating: .int(1), count: count))))
        #expect(fault.code == -32602)
        #expect(fault.message == message)
    }

    @Test func aMethodsFaultIsPassedThrough() throws {
        let fault = try #require(Self.fault(dispatcher.call("boom", [])))
        #expect(fault == RPCFault(code: 42, message: "boom went the method"))
    }

    @Test func aParameterOfTheWrongTypeIsInvalidParams() throws {
        let fault = try #require(Self.fault(dispatcher.call("one", [.string("x")])))
        #expect(fault == .invalidParams(#"one: parameter 1 (x) must be an integer, got string "x""#))
    }

    @Test func laterMethodsReplaceEarlierOnesOfTheSameName() throws {
        let dispatcher = RPCDispatcher(methods: [
            RPCMethod("twin", returns: "int", help: "first") { _ in .int(1) },
            RPCMethod("twin", returns: "int", help: "second") { _ in .int(2) },
        ])
        #expect(Self.value(dispatcher.call("twin", [])) == .int(2))
    }

    // MARK: - system.listMethods

    @Test func listMethodsIsSortedAndIncludesTheSystemMethods() throws {
        let value = try #require(Self.value(dispatcher.call("system.listMethods", [])))
        #expect(value == .array([
            "boom", "echo", "none", "one",
            "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall",
        ].map(RPCValue.string)))
    }

    @Test func listMethodsOverTheTrackerTable() throws {
        let dispatcher = Self.trackerDispatcher()
        guard case .array(let items)? = Self.value(dispatcher.call("system.listMethods", [])) else {
            Issue.record("not an array")
            return
        }
        let names = items.compactMap { item -> String? in
            if case .string(let name) = item { return name }
            return nil
        }
        #expect(names.count == items.count)
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
        #expect(names.count == dispatcher.methods.count)
        for name in [
            "isRunning", "isProjectDone", "startedRenderProject", "getChangedFrames", "getProjectSummary",
            "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall",
        ] {
            #expect(names.contains(name), "\(name) missing")
        }
    }

    // MARK: - system.methodHelp / methodSignature

    @Test func methodHelpForAKnownMethod() {
        #expect(Self.value(dispatcher.call("system.methodHelp", [.string("echo")])) == .string("echo(a, b, c): Returns its parameters."))
        #expect(Self.value(dispatcher.call("system.methodHelp", [.string("none")])) == .string("none(): Takes nothing."))
        #expect(
            Self.value(dispatcher.call("system.methodHelp", [.string("system.methodHelp")]))
                == .string("system.methodHelp(method): What a method does."))
    }

    @Test func methodHelpOverTheTrackerTable() throws {
        let help = Self.value(Self.trackerDispatcher().call("system.methodHelp", [.string("isProjectDone")]))
        #expect(help == .string("isProjectDone(project): True when every frame is Done. Fault 1 (no such project) for an unknown project."))
    }

    @Test(arguments: ["system.methodHelp", "system.methodSignature"])
    func introspectingAnUnknownMethodIsInvalidParams(method: String) throws {
        let fault = try #require(Self.fault(dispatcher.call(method, [.string("nope")])))
        #expect(fault.code == -32602)
        #expect(fault.message == "\(method): no method named \"nope\"")
    }

    @Test(arguments: ["system.methodHelp", "system.methodSignature"])
    func introspectingWithANonStringIsInvalidParams(method: String) throws {
        let fault = try #require(Self.fault(dispatcher.call(method, [.int(5)])))
        #expect(fault.code == -32602)
        #expect(fault.message == "\(method): parameter 1 (method) must be a string, got int 5")
    }

    @Test(arguments: [
        ("echo", ["array", "int", "string", "double"]),
        ("none", ["string"]),
        ("system.listMethods", ["array"]),
        ("system.methodSignature", ["array", "string"]),
        ("system.multicall", ["array", "array"]),
    ])
    func methodSignatureForAKnownMethod(name: String, signature: [String]) {
        let value = Self.value(dispatcher.call("system.methodSignature", [.string(name)]))
        #expect(value == .array([.array(signature.map(RPCValue.string))]))
    }

    @Test func methodSignatureOverTheTrackerTable() {
        let value = Self.value(Self.trackerDispatcher().call("system.methodSignature", [.string("startedRenderProject")]))
        #expect(value == .array([.array(["boolean", "string", "array", "boolean", "string"].map(RPCValue.string))]))
    }

    // MARK: - system.multicall

    @Test func multicallAnswersResultsAsOneElementArraysAndFaultsInPlace() throws {
        let calls: [RPCValue] = [
            Self.call("one", [.int(4)]),
            Self.call("nope", []),
            Self.call("echo", [.int(1)]),
            Self.call("boom", []),
            Self.call("none", []),
            Self.call("one", [.string("x")]),
            Self.call("echo", [.int(1), .string("b"), .double(2.5)]),
        ]
        let value = Self.value(dispatcher.call("system.multicall", [.array(calls)]))
        #expect(value == .array([
            .array([.int(8)]),
            Self.faultStruct(-32601, #"no method named "nope" (system.listMethods lists them)"#),
            Self.faultStruct(-32602, "echo(a, b, c) takes 3 parameters; got 1"),
            Self.faultStruct(42, "boom went the method"),
            .array([.string("none")]),
            Self.faultStruct(-32602, #"one: parameter 1 (x) must be an integer, got string "x""#),
            .array([.array([.int(1), .string("b"), .double(2.5)])]),
        ]))
    }

    @Test func anEmptyMulticallAnswersAnEmptyArray() {
        #expect(Self.value(dispatcher.call("system.multicall", [.array([])])) == .array([]))
    }

    @Test func aMulticallEntryWithoutParamsIsCalledWithNone() {
        let calls: RPCValue = .array([
            .structure(["methodName": .string("none")]),
            .structure(["methodName": .string("one")]),
        ])
        #expect(Self.value(dispatcher.call("system.multicall", [calls])) == .array([
            .array([.string("none")]),
            Self.faultStruct(-32602, "one(x) takes 1 parameter; got 0"),
        ]))
    }

    @Test func aNestedMulticallIsRefusedAndTheRestStillRun() throws {
        let dispatcher = Self.trackerDispatcher()
        let nested = Self.call("system.multicall", [.array([
            Self.call("startedRenderProject", [.string("hidden"), .array([.int(1)]), .bool(false), .string("j")])
        ])])
        let calls: [RPCValue] = [
            nested,
            Self.call("startedRenderProject", [.string("shown"), .array([.int(1), .int(2)]), .bool(false), .int(99)]),
            Self.call("getAllProjects", []),
            Self.call("getFrameJobID", [.string("shown"), .int(2)]),
        ]
        let value = Self.value(dispatcher.call("system.multicall", [.array(calls)]))
        #expect(value == .array([
            Self.faultStruct(-32600, "system.multicall: call 1 is a nested system.multicall, which is refused"),
            .array([.bool(true)]),
            .array([.array([.string("shown")])]),
            .array([.string("99")]),
        ]))
    }

    @Test(arguments: [
        (RPCValue.structure(["params": .array([])]), "system.multicall: call 1 is not a struct with a string methodName"),
        (.structure(["methodName": .int(5), "params": .array([])]), "system.multicall: call 1 is not a struct with a string methodName"),
        (.string("none"), "system.multicall: call 1 is not a struct with a string methodName"),
        (.array([.string("none")]), "system.multicall: call 1 is not a struct with a string methodName"),
        (.structure(["methodName": .string("one"), "params": .int(5)]), "system.multicall: call 1 (one) has params that are not an array"),
        (.structure(["methodName": .string("one"), "params": .null]), "system.multicall: call 1 (one) has params that are not an array"),
        (.structure(["methodName": .string("one"), "params": .structure(["x": .int(1)])]),
         "system.multicall: call 1 (one) has params that are not an array"),
    ])
    func aMalformedEntryIsAFaultInPlace(entry: RPCValue, message: String) throws {
        let value = Self.value(dispatcher.call("system.multicall", [.array([entry, Self.call("one", [.int(1)])])]))
        #expect(value == .array([Self.faultStruct(-32602, message), .array([.int(2)])]))
    }

    @Test func theFaultNamesTheEntrysPosition() {
        let value = Self.value(dispatcher.call("system.multicall", [.array([
            Self.call("none", []), Self.call("none", []), .int(3),
        ])]))
        #expect(value == .array([
            .array([.string("none")]), .array([.string("none")]),
            Self.faultStruct(-32602, "system.multicall: call 3 is not a struct with a string methodName"),
        ]))
    }

    @Test(arguments: [RPCValue.structure(["methodName": .string("none")]), .string("calls"), .null, .int(1)])
    func theCallsParameterMustBeAnArray(calls: RPCValue) throws {
        let fault = try #require(Self.fault(dispatcher.call("system.multicall", [calls])))
        #expect(fault.code == -32602)
        #expect(fault.message == "system.multicall: parameter 1 (calls) must be an array of {methodName, params} structs")
    }

    @Test func multicallCanCallTheIntrospectionMethods() {
        let value = Self.value(dispatcher.call("system.multicall", [.array([
            Self.call("system.methodHelp", [.string("one")]),
            Self.call("system.methodSignature", [.string("one")]),
        ])]))
        #expect(value == .array([
            .array([.string("one(x): Doubles x.")]),
            .array([.array([.array([.string("int"), .string("int")])])]),
        ]))
    }

    // MARK: - positional(_:_:)

    @Test func namedParamsAreOrderedByTheMethodsParameters() throws {
        let result = dispatcher.positional("echo", ["c": .double(3), "a": .int(1), "b": .string("two")])
        #expect(try result.get() == [.int(1), .string("two"), .double(3)])
    }

    @Test func noNamedParamsForAMethodWithoutParameters() throws {
        #expect(try dispatcher.positional("none", [:]).get() == [])
    }

    @Test func aMissingNamedParamIsInvalidParams() throws {
        let result = dispatcher.positional("echo", ["a": .int(1), "c": .double(3)])
        let fault = try #require(Self.faultOf(result))
        #expect(fault == .invalidParams(#"echo(a, b, c): missing parameter "b""#))
    }

    @Test func theFirstMissingNamedParamIsNamed() throws {
        let fault = try #require(Self.faultOf(dispatcher.positional("echo", [:])))
        #expect(fault.message == #"echo(a, b, c): missing parameter "a""#)
    }

    @Test func anUnknownNamedParamIsInvalidParamsNamingTheFirstInSortedOrder() throws {
        let result = dispatcher.positional("echo", ["a": .int(1), "b": .string(""), "c": .double(0), "zz": .null, "d": .null])
        let fault = try #require(Self.faultOf(result))
        #expect(fault == .invalidParams(#"echo(a, b, c) has no parameter named "d""#))
    }

    @Test func anUnknownNameIsReportedBeforeAMissingOne() throws {
        let fault = try #require(Self.faultOf(dispatcher.positional("one", ["y": .int(1)])))
        #expect(fault.message == #"one(x) has no parameter named "y""#)
    }

    @Test func positionalForAnUnknownMethodIsMethodNotFound() throws {
        let fault = try #require(Self.faultOf(dispatcher.positional("nope", ["a": .int(1)])))
        #expect(fault == .methodNotFound("nope"))
        #expect(fault.code == -32601)
    }

    private static func faultOf(
        _ result: Result<[RPCValue], RPCFault>, sourceLocation: SourceLocation = #_sourceLocation
    ) -> RPCFault? {
        switch result {
        case .success(let params):
            Issue.record("expected a fault, got \(params)", sourceLocation: sourceLocation)
            return nil
        case .failure(let fault):
            return fault
        }
    }
}
