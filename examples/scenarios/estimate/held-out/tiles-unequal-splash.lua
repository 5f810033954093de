-- Tiles of unequal cost: 120 frames of about 50 minutes in 3x3 tiles, the centre tile (a splash) a quarter of the frame, on 60 machines.
--
-- Needs the scenario-language extensions (tile_weights).
--
-- Shows: a ship's bow hits a wave in the middle of the frame. The frame is split into 3x3
-- tiles; the centre tile holds the splash (whitewater, spray, refraction) and costs as much as
-- the four corner tiles together, and the tiles around it are heavier than the edges. 1,080
-- tile jobs on 60 machines (40 at speed 1.0, 20 at 0.8), queued in subdivision order of frames.
-- IFD route, lognormal spread 0.2 per frame.
--
-- Why a studio cares: a tile that takes four times its neighbours holds its frame back; the
-- monitor counts the frame done only with its last tile.
--
-- Notable: tile_weights with nine tiles; subdivision order.
local farm = scenario.farm{ seed = 506 }
farm:add_machines{ count = 40, speed = 1.0 }
farm:add_machines{ count = 20, speed = 0.8, prefix = "old" }

local shot = farm:submit{
  user = "hux", hip = "/jobs/wildfire/sq180/sh070/lgt_bow_splash_v009.hip",
  frames = scenario.subdivision(scenario.range(1001, 1120)),
  route = "ifd",
  tiles = 9,
  tile_weights = { 0.5, 1.0, 0.5, 1.0, 2.0, 1.0, 0.5, 1.0, 0.5 },
  frame_seconds = scenario.lognormal(3000, 0.2),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 120, "all 120 frames Done")
expect.equal(shot:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
