-- Five frames per job from the hip file: 500 frames of about 4 minutes on 40 machines.
--
-- Shows: an FX artist's render of a whitewater pass straight from the hip file with HQueue's
-- "frames per job" set to 5, so each job loads the scene once and renders five frames one after
-- another. 100 jobs on 40 machines: two and a half waves of 20-minute jobs. Frames are listed
-- in order, so a job renders five neighbouring frames.
--
-- Why a studio cares: frames per job is the everyday setting for short FX frames (scene load
-- is expensive); the last wave is half a wave of five-frame jobs, each of which still has
-- its own frames to render one by one after the queue is empty.
--
-- Notable: frames_per_job = 5 with the hip route (100.0 at each frame's end); lognormal 0.2.
-- The ROP renders without mantra's tile callback (progress_reports = 1), so the tracker hears
-- no fractions: a frame is Rendering from its start until 100.0 at its end.
local farm = scenario.farm{ seed = 207 }
farm:add_machines{ count = 40, speed = 1.0 }

local shot = farm:submit{
  user = "kofi", hip = "/jobs/kraken/sq080/sh060/fx_whitewater_v009.hip",
  frames = scenario.range(1001, 1500),
  route = "hip",
  frames_per_job = 5,
  progress_reports = 1,
  frame_seconds = scenario.lognormal(240, 0.2),
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.at_most(shot:count("Rendering"), 40, "one frame Rendering per busy machine")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 500, "all 500 frames Done")
expect.equal(farm:call("getFrameJobID", shot.project, 1001), farm:call("getFrameJobID", shot.project, 1005),
  "frames 1001-1005 share one job")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
