import LuaHost
import Testing

/// `LuaHostFunctions`: the prelude's `HOST` table is generated from the Swift enum, so ids cannot
/// drift apart; and the table really runs in a Lua state.
@Suite("Host-function tables")
struct LuaHostFunctionsTests {
    enum Functions: Int32, LuaHostFunctions {
        case log = 1
        case httpPost = 2
        case estimateErrors = 7
    }

    @Test("names are the cases in snake case, ids their raw values, on one line")
    func table() {
        #expect(Functions.httpPost.luaName == "http_post")
        #expect(Functions.luaTable == "local HOST = { log = 1, http_post = 2, estimate_errors = 7 }")
        #expect(!Functions.luaTable.contains("\n"))
    }

    @Test("a prelude using the table calls the host with the case's id")
    func callsThrough() throws {
        let prelude = Functions.luaTable + "\nfunction ask() return host(HOST.estimate_errors, 'x') end\n"
        let state = try LuaState(memoryLimit: 8 << 20, prelude: prelude) { id, arguments in
            .success([.integer(Int64(id)), arguments.first ?? .null])
        }
        #expect(try state.call("ask", [], limits: LuaCallLimits()).get() == [.integer(7), .string("x")])
    }
}
