-- A big studio's farm: 1,500 frames of about 25 minutes on 600 machines of three generations.
--
-- Shows: the final lighting render of a long shot on a large farm: 300 current nodes (speed
-- 1.0), 200 of the previous generation (0.8) and 100 old ones (0.55). 1,500 frames is two
-- and a half waves; frame times are lognormal with a wide spread (0.35: some frames have a
-- character close to camera), so the longest frames on old nodes take two hours, against 25
-- minutes for a typical frame on a current node. IFD route, frames in order.
--
-- Why a studio cares: at this scale the queue is gone after about an hour and the render ends
-- almost two hours later: the slow frames on slow nodes decide the finish.
--
-- Notable: 600 machines; the old generation is added first and takes the first frames.
local farm = scenario.farm{ seed = 320 }
farm:add_machines{ count = 100, speed = 0.55, prefix = "g1" }
farm:add_machines{ count = 200, speed = 0.8, prefix = "g2" }
farm:add_machines{ count = 300, speed = 1.0, prefix = "g3" }

local shot = farm:submit{
  user = "kim", hip = "/jobs/wildfire/sq130/sh010/lgt_final_wide_v057.hip",
  frames = scenario.range(1001, 2500),
  route = "ifd",
  frame_seconds = scenario.lognormal(1500, 0.35),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.at_most(farm:machines().busy, 600, "never more jobs than machines")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1500, "all 1500 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
