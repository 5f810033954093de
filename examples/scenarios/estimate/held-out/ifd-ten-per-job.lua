-- Ten frames per job through IFDs: 800 frames of about 90 seconds on 24 machines.
--
-- Shows: a crowd layout render for a sequence review, frames of about a minute and a half,
-- sent through IFDs with 10 frames per job: each render job waits for its ten IFDs and then
-- renders them one after another (about 15 minutes a job). 80 jobs on 24 machines is three
-- and a third waves; in the last wave eight jobs each still have up to ten frames to go.
--
-- Why a studio cares: batching short frames is how farms avoid start-up overhead; the
-- time left near the end is one job's remaining frames, rendered in series.
--
-- Notable: frames_per_job = 10 on the IFD route, with IFD jobs of 10 frames (5 s a frame).
local farm = scenario.farm{ seed = 307 }
farm:add_machines{ count = 24, speed = 1.0 }

local shot = farm:submit{
  user = "kai", hip = "/jobs/wildfire/sq030/seq030_crowd_layout_v052.hip",
  frames = scenario.range(1001, 1800),
  route = "ifd",
  frames_per_job = 10,
  ifd_seconds = 5,
  frame_seconds = scenario.lognormal(90, 0.2),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 800, "all 800 frames Done")
expect.equal(farm:call("getFrameJobID", shot.project, 1791), farm:call("getFrameJobID", shot.project, 1800),
  "frames 1791-1800 share one job")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
