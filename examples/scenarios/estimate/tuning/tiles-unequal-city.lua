-- Tiles of unequal cost: 80 frames of about 80 minutes in 2x2 tiles, the lower half (city) 5x the upper (sky), 40 machines.
--
-- Needs the scenario-language extensions (tile_weights).
--
-- Shows: a city at dusk split into four tiles: the two sky tiles take about 6 minutes each, the
-- two city tiles (thousands of lit windows, traffic) about 34. A frame is done when its last
-- city tile is. 320 tile jobs on 40 machines, in frame order, each frame's tiles queued
-- together (sky first). IFD route, lognormal spread 0.15 per frame.
--
-- Why a studio cares: real tiles are never equal; a frame's finished sky tiles say little
-- about when its city tiles end.
--
-- Notable: tile_weights = { 0.3, 0.3, 1.7, 1.7 } (relative; the frame's time is shared out).
local farm = scenario.farm{ seed = 406 }
farm:add_machines{ count = 40, speed = 1.0 }

local plate = farm:submit{
  user = "hal", hip = "/jobs/kraken/env/env_city_dusk_v011.hip",
  frames = scenario.range(1, 80),
  route = "ifd",
  tiles = 4,
  tile_weights = { 0.3, 0.3, 1.7, 1.7 },
  frame_seconds = scenario.lognormal(4800, 0.15),
}

expect.equal(farm:run{ until_done = 0.5, render = plate }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(plate:count("Done"), 80, "all 80 frames Done")
expect.equal(plate:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", plate:progress().finished / 3600))
