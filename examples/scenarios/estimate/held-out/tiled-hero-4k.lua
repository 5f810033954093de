-- Tiled 4K frames in subdivision order: 200 frames of about an hour, 4 tiles each, on 120 machines of two speeds.
--
-- Shows: a hero environment at 4K split into 4 tiles per frame (15-minute tiles), queued in
-- subdivision order so the first frames done span the shot. 80 machines are new (1.0) and 40
-- older (0.7), so a frame's tiles finish at different times. 800 tile jobs on 120 machines.
-- IFD route, lognormal spread 0.2.
--
-- Why a studio cares: tiled renders are common for heavy frames; done frames come only when
-- all four tiles are.
--
-- Notable: tiles = 4 with subdivision order and mixed speeds.
local farm = scenario.farm{ seed = 318 }
farm:add_machines{ count = 80, speed = 1.0 }
farm:add_machines{ count = 40, speed = 0.7, prefix = "old" }

local shot = farm:submit{
  user = "ida", hip = "/jobs/wildfire/env/env_canyon_hero_v012.hip",
  frames = scenario.subdivision(scenario.range(1001, 1200)),
  route = "ifd",
  tiles = 4,
  frame_seconds = scenario.lognormal(3600, 0.2),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 200, "all 200 frames Done")
expect.equal(shot:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
