import Testing
import LuaHost

/// Values crossing from Lua to the host: a table counts each time it appears, a table inside
/// itself crosses once, and a transfer is bounded whatever Lua built cheaply.
@Suite struct LuaTransferTests {
    /// A state whose prelude defines `answer()` from `body`, and whose one host function echoes
    /// the number of arguments it got.
    private func state(_ body: String) throws -> LuaState {
        try LuaState(memoryLimit: 64 << 20, prelude: "function answer()\n\(body)\nend\nfunction pass(...) return host(1, ...) end") { _, arguments in
            .success([.integer(Int64(arguments.count))])
        }
    }

    @Test("a table whose halves are the same sub-table, 29 levels deep, is refused at once, not copied 2^30 times")
    func sharedHalves() throws {
        let lua = try state("local t = 1.5 for i = 1, 29 do t = {t, t} end return t")
        let started = ContinuousClock.now
        let result = lua.call("answer", [], limits: LuaCallLimits(instructions: .max, seconds: 60))
        #expect(ContinuousClock.now - started < .seconds(10), "refused as it counts, not after copying 2^30 values")
        guard case .failure(.error(let message)) = result else {
            Issue.record("expected an error, got \(result)")
            return
        }
        #expect(message.contains("more than 100000 values to pass to the host (a table counts each time it appears"), "\(message)")
        #expect(lua.memoryInUse < 1 << 20, "the state holds 29 tables, not copies")
    }

    @Test("just under the cap crosses; one level more does not (keys are values too)")
    func boundary() throws {
        // Depth 14: 16,383 tables, 32,766 keys, 16,384 numbers: 65,533 values. Depth 15: 131,069.
        let under = try state("local t = 1 for i = 1, 14 do t = {t, t} end return t")
        let underResult = under.call("answer", [], limits: LuaCallLimits(instructions: .max, seconds: 60))
        #expect((try? underResult.get()) != nil, "\(underResult)")
        let over = try state("local t = 1 for i = 1, 15 do t = {t, t} end return t")
        #expect((try? over.call("answer", [], limits: LuaCallLimits(instructions: .max, seconds: 60)).get()) == nil)
    }

    @Test("each value crossing costs an instruction of the call's budget")
    func chargedToTheBudget() throws {
        let build = "local t = {} for i = 1, 30000 do t[i] = i end"
        let counting = try state("\(build) return #t")
        let returning = try state("\(build) return t")
        // The smallest budget (to 10,000) that building the table needs.
        let budget = try #require(stride(from: 10_000, through: 1_000_000, by: 10_000).first { budget in
            (try? counting.call("answer", [], limits: LuaCallLimits(instructions: budget, seconds: 60)).get()) != nil
        })
        guard case .failure(.instructionLimit) = returning.call("answer", [], limits: LuaCallLimits(instructions: budget, seconds: 60)) else {
            Issue.record("returning the table's 60,001 values must not fit in the \(budget) instructions building it took")
            return
        }
        let enough = try returning.call("answer", [], limits: LuaCallLimits(instructions: budget + 70_000, seconds: 60)).get()
        #expect(enough.first?.arrayElements?.count == 30_000)
    }

    @Test("a table inside itself crosses once, with the inner occurrence opaque, even when it fans out")
    func cycles() throws {
        // Without cycle detection: 20 children, each 20 children... 32 levels deep.
        let lua = try state("local t = {} for i = 1, 20 do t[i] = t end return t")
        let values = try lua.call("answer", [], limits: LuaCallLimits(instructions: .max, seconds: 60)).get()
        let elements = try #require(values.first?.arrayElements)
        #expect(elements.count == 20 && elements.allSatisfy { $0 == .opaque(typeName: "table containing itself") })
    }

    @Test("a host function's arguments are bounded the same way, raised at the caller's line")
    func hostArguments() throws {
        let lua = try state("local t = 1 for i = 1, 29 do t = {t, t} end return pass('x', t)")
        guard case .failure(.error(let message)) = lua.call("answer", [], limits: LuaCallLimits(instructions: .max, seconds: 60)) else {
            Issue.record("expected an error")
            return
        }
        #expect(message.contains("more than 100000 values to pass to the host"), "\(message)")
    }
}
