-- The last wave on three generations of nodes: 150 frames of about 50 minutes on 100 machines.
--
-- Shows: a farm of 40 new nodes (speed 1.0), 40 three-year-old ones (0.7) and 20 old ones
-- (0.5). 150 frames is a wave and a half: the first 100 start together; the 50 left go to
-- whichever machines free first, which are mostly the fast ones, and the render ends with the
-- slow nodes' first-wave frames and the second wave. Hip route, lognormal spread 0.25.
--
-- Why a studio cares: with mixed hardware the finish depends on where each remaining frame
-- runs; a typical frame time averaged over all nodes fits none of them.
--
-- Notable: machines added slow first, so the slowest take the first frames.
local farm = scenario.farm{ seed = 306 }
farm:add_machines{ count = 20, speed = 0.5, prefix = "g1" }
farm:add_machines{ count = 40, speed = 0.7, prefix = "g2" }
farm:add_machines{ count = 40, speed = 1.0, prefix = "g3" }

local shot = farm:submit{
  user = "jon", hip = "/jobs/wildfire/sq060/sh070/lgt_ridge_v016.hip",
  frames = scenario.range(1001, 1150),
  route = "hip",
  frame_seconds = scenario.lognormal(3000, 0.25),
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 150, "all 150 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
