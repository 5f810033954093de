-- Frames that fail before they work: 180 frames, 2 per job from the hip file, on 24 machines.
--
-- Shows: an FX render whose simulation cache for frames 1061-1068 is still being written by
-- another job when the render reaches them: each of those frames fails twice (missing cache
-- file, early: failure_point 0.1) before the cache is there, and frame 1120 fails once (a node
-- short of memory; the failure point is per render, so it too fails early). With 2 frames per
-- job, a failure reruns the whole job, including a frame that may already have rendered, and
-- the failures of both frames count against the job's retries (5 here). A 3% background
-- failure rate adds the usual noise.
--
-- Why a studio cares: failures that retry away still cost hours; the estimate should not
-- treat a wasted attempt as progress.
--
-- Notable: fail_frames and failure_rate together with frames_per_job = 2.
local farm = scenario.farm{ seed = 217 }
farm:add_machines{ count = 24, speed = 1.0 }

local fail = { [1120] = 1 }
for frame = 1061, 1068 do fail[frame] = 2 end

local shot = farm:submit{
  user = "yuki", hip = "/jobs/kraken/sq050/sh040/fx_flip_splash_v021.hip",
  frames = scenario.range(1001, 1180),
  route = "hip",
  frames_per_job = 2,
  frame_seconds = scenario.lognormal(720, 0.25),
  fail_frames = fail,
  failure_rate = 0.03,
  failure_point = 0.1,
  retries = 5,
  error_output_bytes = 4000,
}

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 180, "all 180 frames Done")
expect.equal(shot:count("Error"), 0, "no frame left in Error")
expect.at_least(#shot:events("frame_error"), 17, "at least the 17 planned failures were reported")
print(string.format("%d failed attempts; finished after %.1f h", #shot:events("frame_error"), shot:progress().finished / 3600))
