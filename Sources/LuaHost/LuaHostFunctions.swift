/// The functions a host offers its Lua prelude through `host(id, ...)`, as one Swift list: the
/// enum's cases are the functions, their raw values the ids. The prelude's `HOST` table is
/// generated from the same cases (`luaTable`), so the two sides cannot drift apart.
public protocol LuaHostFunctions: CaseIterable, RawRepresentable where RawValue == Int32 {}

extension LuaHostFunctions {
    /// The name Lua calls the function by, `HOST.<name>`: the case name in snake case
    /// (`httpPost` is `HOST.http_post`).
    public var luaName: String {
        var name = ""
        for character in String(describing: self) {
            if character.isUppercase {
                name += "_" + character.lowercased()
            } else {
                name.append(character)
            }
        }
        return name
    }

    /// `local HOST = { log = 1, http_post = 2 }`: one line, for the top of a prelude (so line
    /// numbers in the prelude's errors do not move).
    public static var luaTable: String {
        "local HOST = { " + allCases.map { "\($0.luaName) = \($0.rawValue)" }.joined(separator: ", ") + " }"
    }
}
