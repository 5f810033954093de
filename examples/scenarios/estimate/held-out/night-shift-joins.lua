-- A night shift joins in steps: 600 frames of about 50 minutes on 40 nodes, then 60 and 100 workstations.
--
-- Shows: a render that starts at 20:00 on the 40 render nodes of a mid-size studio. As
-- artists go home, the workstation pool is added to the farm in two steps: 60 workstations
-- (speed 0.9, recent machines) at 21:00 and 100 more (speed 0.6, older) at 23:00. Each step
-- takes queued frames at once. Hip route, frames in order, lognormal spread 0.2.
--
-- Why a studio cares: every estimate before a join is too long by design; how fast it comes
-- down after the join is what a wrangler sees.
--
-- Notable: add_machines twice mid-render; virtual 0 is 20:00 (the render is submitted then).
local HOUR = 3600
local farm = scenario.farm{ seed = 315 }
farm:add_machines{ count = 40, speed = 1.0, prefix = "node" }

local shot = farm:submit{
  user = "fei", hip = "/jobs/wildfire/sq030/sh050/lgt_canyon_v018.hip",
  frames = scenario.range(1001, 1600),
  route = "hip",
  frame_seconds = scenario.lognormal(3000, 0.2),
}

expect.equal(farm:run{ until_time = 1 * HOUR }, "reached", "21:00")
farm:add_machines{ count = 60, speed = 0.9, prefix = "ws" }
expect.equal(farm:machines().busy, 100, "100 machines busy after the first join")
expect.equal(farm:run{ until_time = 3 * HOUR }, "reached", "23:00")
farm:add_machines{ count = 100, speed = 0.6, prefix = "ws" }
expect.equal(farm:machines().busy, 200, "200 machines busy after the second join")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 600, "all 600 frames Done")
print(string.format("finished %.1f h after 20:00", shot:progress().finished / HOUR))
