-- Pattern matching per call, run two ways (docs/performance.md, "Pattern matching"):
--   lua5.4 Benchmarks/plugins/patterns/patterns.lua          Lua's own string library
--   .build/release/rendertracker plugins check Benchmarks/plugins/patterns \
--     --plugin-hook-instructions 9000000000000 --plugin-hook-milliseconds 600000
--                                                            the daemon's matcher (a plugin's top level)
-- `empty` is the loop alone: the daemon's count hook makes it dearer there.
local log = (tracker and function(text) tracker.log("warning", text) end) or print
local hip = "/studio/shows/demo/shots/sh010/work/artist/demo_sh010_lighting_v003.hip"
local words = string.rep("mantra: Unable to open texture /textures/rock_12.rat (no such file) ", 1000)
local json = string.rep('say "hi"\n\tback\\slash ', 50)
local function time(name, rounds, f)
  local started = os.clock()
  for _ = 1, rounds do f() end
  log(string.format("%-8s %8.3f us per call", name, (os.clock() - started) / rounds * 1e6))
end
time("empty", 200000, function() return hip end)
time("match", 200000, function() return hip:match("/shows/([^/]+)/shots/([^/]+)/") end)
time("find", 200000, function() return hip:find("lighting", 1, true) end)
time("gsub", 20000, function() return json:gsub('[%c"\\]', "?") end)
time("gmatch", 200, function() local n = 0 for w in words:gmatch("%a+") do n = n + 1 end return n end)
time("anchor", 200000, function() return ("  key = value  "):match("^%s*(%S+)%s*=%s*(.-)%s*$") end)
