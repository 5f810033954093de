-- Tiled frames: 60 frames of about 2 hours, 9 tiles each, on 36 machines.
--
-- Shows: a slow establishing shot over a city at 6K for an IMAX release, split into 3x3 tiles
-- so each tile fits in memory: every tile is a job of about 13 minutes, 540 jobs on 36
-- machines (15 waves). IFD route; frame times lognormal (spread 0.2) for the whole frame, each
-- tile a ninth of it. A frame is rendered when its ninth tile is.
--
-- Why a studio cares: tiled renders are how heavy environment frames get through a night; the
-- monitor must count a frame done when all its tiles are, not after the first.
--
-- Notable: tiles = 9; today a frame reads Done when its first tile ends and flips back.
local farm = scenario.farm{ seed = 214 }
farm:add_machines{ count = 36, speed = 1.0 }

local plate = farm:submit{
  user = "emil", hip = "/jobs/kraken/env/env_city_establish_v005.hip",
  frames = scenario.range(1, 60),
  route = "ifd",
  tiles = 9,
  frame_seconds = scenario.lognormal(7200, 0.2),
}

expect.equal(farm:run{ until_done = 0.5, render = plate }, "reached", "half the frames render (all 9 tiles)")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(plate:count("Done"), 60, "all 60 frames Done")
expect.equal(plate:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", plate:progress().finished / 3600))
