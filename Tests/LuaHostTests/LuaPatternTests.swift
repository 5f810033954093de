import Testing
import LuaHost

/// The shim's own string.find, match, gmatch and gsub: Lua 5.4's pattern language, with every
/// matching step charged to the call so that a runaway pattern stops at the call's limits.
@Suite struct LuaPatternTests {
    /// Each case's results (or error) through `pcall`, as `tostring`s joined by commas.
    static let cases = #"""
local cases = {
  [=[("hello world"):find("o w")]=], [=[("hello world"):find("o", 6)]=], [=[("hello world"):find("o", -3)]=], [=[("hello"):find("l", 0)]=],
  [=[("hello"):find("l", -100)]=], [=[("hello"):find("", 10)]=], [=[("hello"):find("", 6)]=], [=[("hello"):find("")]=], [=[("a.b"):find(".", 1, true)]=],
  [=[("a+b"):find("+", 1, true)]=], [=[("a+b"):find("a+")]=], [=[("hello"):find("^h")]=], [=[("hello"):find("^e")]=], [=[("hello"):find("o$")]=],
  [=[("hello"):find("(l)(l)")]=], [=[("hello"):find("()ll()")]=], [=[("x$y"):find("$y")]=], [=[("a\0b"):find("\0")]=], [=[("a\0b"):find("%z")]=],
  [=[("  key = value  "):match("^%s*(%S+)%s*=%s*(.-)%s*$")]=], [=[("2024-01-05"):match("(%d+)-(%d+)-(%d+)")]=],
  [=[("abc123XYZ"):match("%a+")]=], [=[("abc123XYZ"):match("%d+")]=], [=[("abc123XYZ"):match("%u+")]=], [=[("abc123XYZ"):match("%l+")]=],
  [=[("abc 123"):match("%w+%s%w+")]=], [=[("a,b;c"):match("%p")]=], [=[("\1\2x"):match("%c+")]=], [=[(" \tx"):match("%g")]=], [=[("0x1F"):match("%x+", 2)]=],
  [=[("abc"):match("%A")]=], [=[("abc12"):match("%D+")]=], [=[("a b"):match("%S+ %S+")]=], [=[("hello"):match("[aeiou]+")]=], [=[("hello"):match("[^aeiou]+")]=],
  [=[("a-z"):match("[a%-]+")]=], [=[("a]b"):match("[]]")]=], [=[("a]b"):match("[^]]+")]=], [=[("x-y"):match("[x-]+")]=], [=[("abc"):match("[b-c]+")]=],
  [=[("f(a(b)c)d"):match("%b()")]=], [=[("f(a(b c)d"):match("%b()")]=], [=[("THE (quick) fox"):find("%f[%a]%a+%f[%A]")]=],
  [=[("hello world"):match("%f[%w]%w+", 2)]=], [=[("aaa"):match("a-b")]=], [=[("aaab"):match("a-b")]=], [=[("aaab"):match("^a-")]=], [=[("ab"):match("a?b")]=],
  [=[("b"):match("a?b")]=], [=[("aaa"):match("a*")]=], [=[("aaa"):match("a+$")]=], [=[("xyz"):match("a*")]=], [=[("abab"):match("(ab)%1")]=],
  [=[("abcabc"):match("(a(b)c)%1")]=], [=[("abc"):match("()b()")]=], [=[("hello"):match(".-(l+)(.*)")]=], [=[("[test]"):match("^%[(.*)%]$")]=],
  [=[("a.b.c"):match("^(.-)%.")]=], [=[("a.b.c"):match("^(.*)%.")]=], [=[("abc"):match("^(a)(b)(c)$")]=], [=[("x"):match("()")]=], [=[("abc"):match("b", -1)]=],
  [=[("abc"):match("", 4)]=], [=[("abc"):match("", 5)]=], [=[("a^b"):match("a^b")]=],
  [=[(function() local t = {} for w in ("one two  three"):gmatch("%a+") do t[#t+1] = w end return table.concat(t, "|") end)()]=],
  [=[(function() local t = {} for w in ("baaac"):gmatch("a*") do t[#t+1] = "<" .. w .. ">" end return table.concat(t) end)()]=],
  [=[(function() local t = {} for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do t[#t+1] = k .. v end return table.concat(t, ",") end)()]=],
  [=[(function() local t = {} for p in ("abc"):gmatch("()") do t[#t+1] = p end return table.concat(t, ",") end)()]=],
  [=[(function() local t = {} for w in ("one two three"):gmatch("%a+", 5) do t[#t+1] = w end return table.concat(t, "|") end)()]=],
  [=[(function() local t = {} for w in ("one two three"):gmatch("%a+", -5) do t[#t+1] = w end return table.concat(t, "|") end)()]=],
  [=[(function() local t = {} for w in ("^a^b"):gmatch("^.") do t[#t+1] = w end return table.concat(t, "|") end)()]=],
  [=[(function() local t = {} for w in ("abc"):gmatch("x*", 10) do t[#t+1] = "<" .. w .. ">" end return #t end)()]=],
  [=[("hello world"):gsub("o", "0")]=], [=[("hello world"):gsub("(%w+)", "<%1>")]=], [=[("hello world"):gsub("%w+", "%0 %0", 1)]=],
  [=[("abc"):gsub("", "-")]=], [=[("abc"):gsub("%w", "%%")]=], [=[("hello"):gsub("l", {l = "L"})]=], [=[("hello"):gsub("(h)(e)", {h = 1})]=],
  [=[("hello"):gsub(".", function(c) if c == "l" then return nil end return c:upper() end)]=], [=[("abc"):gsub("b", false and "" or function() return false end)]=],
  [=[("abc"):gsub("%w", function(c) return c:byte() end)]=], [=[("abc"):gsub("b", 42)]=], [=[("abc"):gsub("^a", "X")]=], [=[("aaa"):gsub("^a", "X")]=],
  [=[("abc"):gsub("x*", "-")]=], [=[("abc"):gsub("(b)", "%1%1", 0)]=], [=[("abc"):gsub("()", "%1")]=], [=[("a b c"):gsub(" ", "", -1)]=],
  [=[("hello world from lua"):gsub("(%w+) (%w+)", "%2 %1")]=], [=[("$1 $2"):gsub("%$(%d)", "[%1]")]=],
  [=[("x"):find("%")]=], [=[("x"):find("[a")]=], [=[("x"):find("[a%")]=], [=[("x"):match("(()")]=], [=[("x"):match(")")]=], [=[("x"):match("%1")]=],
  [=[("x"):match("(x)%2")]=], [=[("x"):match("%f")]=], [=[("x"):match("%fx")]=], [=[("x"):match("%b")]=], [=[("x"):match("%bx")]=],
  [=[("x"):match(string.rep("(", 33) .. "x" .. string.rep(")", 33))]=], [=[("x"):gsub("x", "%2")]=], [=[("x"):gsub("x", "%")]=], [=[("x"):gsub("x", "%a")]=],
  [=[("x"):gsub("x", {x = {}})]=], [=[("x"):gsub("x", true)]=], [=[(string.rep("a", 300)):match(string.rep("a?", 300))]=], [=[("x"):gsub("(x", "y")]=],
  [=[string.find("abc", "b", nil, nil)]=], [=[string.find(123, 2)]=], [=[string.gsub("abc", "b", "%0%0")]=], [=[("a.b"):gsub("%.", "%%")]=],
  [=[("abc"):find("b", 1.0)]=], [=[("αβγ"):match("[\128-\255]+")]=], [=[("x"):match("[%a-z]")]=], [=[("-"):match("[%a-z]")]=], [=[("ab"):match("[a-]b")]=],
}
-- Control characters written as \<byte>, so the answers are printable.
local function shown(value)
  if type(value) ~= "string" then return tostring(value) end
  local bytes = {}
  for index = 1, #value do
    local byte = value:byte(index)
    bytes[index] = (byte < 32 or byte == 127) and ("\\" .. byte) or string.char(byte)
  end
  return table.concat(bytes)
end
function answer()
  local out = {}
  for i, code in ipairs(cases) do
    local results = table.pack(pcall(load("return " .. code)))
    local parts = {}
    for j = 1, results.n do parts[j] = shown(results[j]) end
    out[i] = table.concat(parts, ",")
  end
  return table.concat(out, "\n")
end
"""#

    /// What Lua 5.4.4's own string library (Debian's lua5.4) prints for the cases: the matcher
    /// here must answer the same, errors included.
    static let expected = #"""
true,5,7
true,8,8
true,nil
true,3,3
true,3,3
true,nil
true,6,5
true,1,0
true,2,2
true,2,2
true,1,1
true,1,1
true,nil
true,5,5
true,3,4,l,l
true,3,4,3,5
true,2,3
true,2,2
true,2,2
true,key,value
true,2024,01,05
true,abc
true,123
true,XYZ
true,abc
true,abc 123
true,,
true,\1\2
true,x
true,1F
true,nil
true,abc
true,a b
true,e
true,h
true,a-
true,]
true,a
true,x-
true,bc
true,(a(b)c)
true,(b c)
true,1,3
true,world
true,nil
true,aaab
true,
true,ab
true,b
true,aaa
true,aaa
true,
true,ab
true,abc,b
true,2,3
true,ll,o
true,test
true,a
true,a.b
true,a,b,c
true,1
true,nil
true,
true,nil
true,a^b
true,one|two|three
true,<><aaa><>
true,a1,b2
true,1,2,3,4
true,two|three
true,three
true,^a|^b
true,0
true,hell0 w0rld,2
true,<hello> <world>,2
true,hello hello world,1
true,-a-b-c-,4
true,%%%,3
true,heLLo,2
true,1llo,1
true,HEllO,5
true,abc,1
true,979899,3
true,a42c,1
true,Xbc,1
true,Xaa,1
true,-a-b-c-,4
true,abc,0
true,1a2b3c4,4
true,a b c,0
true,world hello lua from,2
true,[1] [2],2
false,[string "return ("x"):find("%")"]:1: malformed pattern (ends with '%')
false,[string "return ("x"):find("[a")"]:1: malformed pattern (missing ']')
false,[string "return ("x"):find("[a%")"]:1: malformed pattern (missing ']')
false,[string "return ("x"):match("(()")"]:1: unfinished capture
false,[string "return ("x"):match(")")"]:1: invalid pattern capture
false,[string "return ("x"):match("%1")"]:1: invalid capture index %1
false,[string "return ("x"):match("(x)%2")"]:1: invalid capture index %2
false,[string "return ("x"):match("%f")"]:1: missing '[' after '%f' in pattern
false,[string "return ("x"):match("%fx")"]:1: missing '[' after '%f' in pattern
false,[string "return ("x"):match("%b")"]:1: malformed pattern (missing arguments to '%b')
false,[string "return ("x"):match("%bx")"]:1: malformed pattern (missing arguments to '%b')
false,[string "return ("x"):match(string.rep("(", 33) .. "x"..."]:1: too many captures
false,[string "return ("x"):gsub("x", "%2")"]:1: invalid capture index %2
false,[string "return ("x"):gsub("x", "%")"]:1: invalid use of '%' in replacement string
false,[string "return ("x"):gsub("x", "%a")"]:1: invalid use of '%' in replacement string
false,[string "return ("x"):gsub("x", {x = {}})"]:1: invalid replacement value (a table)
false,[string "return ("x"):gsub("x", true)"]:1: bad argument #2 to 'gsub' (string/function/table expected, got boolean)
false,[string "return (string.rep("a", 300)):match(string.re..."]:1: pattern too complex
true,y,1
true,2,2
true,2,2
true,abbc,1
true,a%b,1
true,2,2
true,αβγ
true,x
true,-
true,ab
"""#

    private func state(_ prelude: String) throws -> LuaState {
        try LuaState(memoryLimit: 64 << 20, prelude: prelude) { _, _ in .success([]) }
    }

    @Test("every case answers as Lua 5.4's own string library does")
    func sameAsLua() throws {
        let lua = try state(Self.cases)
        let answer = try #require(try lua.call("answer", [], limits: LuaCallLimits(instructions: .max, seconds: 10)).get().first?.stringValue)
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = Self.expected.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == expected.count)
        for (index, (line, wanted)) in zip(lines, expected).enumerated() {
            #expect(line == wanted, "case \(index + 1)")
        }
    }
}
