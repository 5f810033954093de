-- A big farm and short frames: 2,400 frames of about a minute, 4 frames per job, on 200 machines.
--
-- Shows: a long previs-quality lighting pass of an animated sequence (a 100-second edit at 24
-- fps), each frame about a minute, rendered through IFDs with 4 frames per job (HQueue's
-- "frames per job") so machines do not spend their time starting mantra. 600 jobs on 200
-- machines is three waves of 4-minute jobs; IFD generation (10 frames per job, 8 s a frame)
-- runs ahead of the renders on the same machines.
--
-- Why a studio cares: quick full-sequence renders go out several times a day before reviews;
-- the estimate must be right within minutes, and IFD writing is a real share of the time.
--
-- Notable: the largest render of the set by frames; lognormal spread 0.3 on short frames.
local farm = scenario.farm{ seed = 216 }
farm:add_machines{ count = 200, speed = 1.0 }

local shot = farm:submit{
  user = "bea", hip = "/jobs/kraken/sq000/seq_previs_lgt_v042.hip",
  frames = scenario.range(1001, 3400),
  route = "ifd",
  frames_per_job = 4,
  frame_seconds = scenario.lognormal(60, 0.3),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 2400, "all 2400 frames Done")
print(string.format("finished after %.0f min of farm time", shot:progress().finished / 60))
