-- Benchmark: what one getProjectSummary (the time-left estimate inside) costs on a large render:
-- 20,000 frames on 500 machines, IFD route, run in virtual time until half are done, then 20
-- summaries at that moment. Prints the CPU time per summary (docs/performance.md, "The estimate
-- at 20,000 frames"):  rendertracker scenario run Benchmarks/scenarios/estimate-twenty-thousand-frames.lua
local farm = scenario.farm{ seed = 3 }
farm:add_machines{ count = 500, speed = 1.0 }
local shot = farm:submit{ project = "big/shot_v001", frames = scenario.range(1, 20000), route = "ifd", frame_seconds = scenario.lognormal(600, 0.3) }
farm:run{ until_done = 0.5, render = shot }
local start = os.clock()
for _ = 1, 20 do farm:call("getProjectSummary", shot.project) end
print(string.format("ESTBENCH %.2f ms per getProjectSummary", (os.clock() - start) * 1000 / 20))
