-- Into the fire: 180 frames from the hip file on 30 machines, 7 minutes climbing to 35.
--
-- Shows: a drone shot that flies from the edge of a forest fire into the flames. Frame times
-- climb linearly from about 7 to about 35 minutes as more of the screen is fire and smoke
-- (scenario.ramp with jitter 0.2), render from the hip file, one frame per job, frames in
-- order. The heavy frames are the last ones queued.
--
-- Why a studio cares: the estimate from finished frames is short all night; a render that
-- was "done by 2" finishes at 5.
--
-- Notable: scenario.ramp(420, 2100, 0.2). No tile callback in this ROP setup
-- (progress_reports = 1): no fractions, only startedFrameRender and 100.0 at each frame's end,
-- so a frame in flight shows nothing of how far it has got.
local farm = scenario.farm{ seed = 301 }
farm:add_machines{ count = 30, speed = 1.0 }

local shot = farm:submit{
  user = "amir", hip = "/jobs/wildfire/sq040/sh090/lgt_drone_fire_v013.hip",
  frames = scenario.range(1001, 1180),
  route = "hip",
  progress_reports = 1,
  frame_seconds = scenario.ramp(420, 2100, 0.2),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 180, "all 180 frames Done")
expect.equal(shot:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
