-- IFD generation taking machines: a render with heavy IFDs (4 minutes a frame) submitted into a running render, 60 machines.
--
-- Shows: at 20:00 a lighter's 240-frame render (about 20 minutes a frame, hip route) is on the
-- farm. At 20:40 an environment artist submits 200 frames through IFDs whose scene has a
-- forest of instanced trees and volumes written into each IFD: 4 minutes to write one, 5 frames
-- per IFD job (20-minute IFD jobs). Those IFD jobs queue behind the first render's jobs, then
-- hold machines that render nothing for that time; the second render's frames start only as
-- their IFDs are written.
--
-- Why a studio cares: machines writing IFDs are not rendering; a time left that counts only
-- the machines on render jobs is wrong for both renders.
--
-- Notable: ifd_seconds = 240, ifd_frames_per_job = 5; both renders judged.
local farm = scenario.farm{ seed = 311 }
farm:add_machines{ count = 60, speed = 1.0 }

local first = farm:submit{
  user = "ola", hip = "/jobs/wildfire/sq050/sh040/lgt_camp_v009.hip",
  frames = scenario.range(1001, 1240),
  route = "hip",
  frame_seconds = scenario.lognormal(1200, 0.2),
}
farm:run{ until_time = 2400 }
local forest = farm:submit{
  user = "pia", hip = "/jobs/wildfire/sq050/sh050/env_forest_v014.hip",
  frames = scenario.range(1001, 1200),
  route = "ifd",
  ifd_seconds = 240,
  ifd_frames_per_job = 5,
  frame_seconds = scenario.lognormal(900, 0.2),
}

expect.equal(farm:run{ until_done = 0.25, render = forest }, "reached", "a quarter of the forest render is done")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(first:count("Done"), 240, "the first render: all 240 frames Done")
expect.equal(forest:count("Done"), 200, "the forest render: all 200 frames Done")
print(string.format("first finished after %.1f h, forest after %.1f h", first:progress().finished / 3600,
  forest:progress().finished / 3600))
