-- Frames getting lighter: 200 frames from the hip file on 30 machines, 40 minutes down to 9.
--
-- Shows: a crowd shot that opens on a close-up of a hundred groomed characters (hair, cloth,
-- deep motion blur) and pulls back to a wide where each character is a few pixels. Frame times
-- fall steadily from about 40 minutes to about 9 (scenario.ramp with jitter 0.12). Render from
-- the hip file, one frame per job, frames in order.
--
-- Why a studio cares: the mirror image of a camera moving into FX; an estimate made from the
-- heavy first frames says far too long, and a farm manager may hold back other shows for
-- nothing.
--
-- Notable: scenario.ramp by position, falling.
local farm = scenario.farm{ seed = 204 }
farm:add_machines{ count = 30, speed = 1.0 }

local shot = farm:submit{
  user = "olu", hip = "/jobs/kraken/sq020/sh210/lgt_crowd_pullback_v004.hip",
  frames = scenario.range(1, 200),
  route = "hip",
  frame_seconds = scenario.ramp(2400, 540, 0.12),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 200, "all 200 frames Done")
expect.equal(shot:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
