-- Frames that run out of memory late: 350 frames of about 25 minutes on 70 machines, retries 3.
--
-- Shows: a shot whose displacement blows past the nodes' memory on some frames. Ten frames
-- fail once and four fail twice, each late in the render (failure_point 0.8: 20 minutes wasted
-- per failure); besides, 5% of all attempts fail at random (a flaky network mount). HQueue
-- reruns each failed job at the front of the queue, up to 3 times, and all frames end Done.
-- IFD route, lognormal spread 0.2.
--
-- Why a studio cares: late failures waste the most machine time, and the reruns come at the
-- end, where they make the last wave longer.
--
-- Notable: fail_frames and failure_rate together, a late failure_point; the seed is one where
-- no job runs out of retries.
local farm = scenario.farm{ seed = 313 }
farm:add_machines{ count = 70, speed = 1.0 }

local fail = {}
for _, frame in ipairs({ 1012, 1040, 1077, 1103, 1150, 1188, 1214, 1260, 1299, 1333 }) do fail[frame] = 1 end
for _, frame in ipairs({ 1120, 1121, 1122, 1310 }) do fail[frame] = 2 end

local shot = farm:submit{
  user = "cai", hip = "/jobs/wildfire/sq100/sh060/lgt_rockface_v025.hip",
  frames = scenario.range(1001, 1350),
  route = "ifd",
  frame_seconds = scenario.lognormal(1500, 0.2),
  fail_frames = fail,
  failure_rate = 0.05,
  failure_point = 0.8,
  retries = 3,
  error_output_bytes = 60000,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 350, "all 350 frames Done")
expect.at_least(#shot:events("frame_error"), 18, "at least the 18 planned failures were reported")
print(string.format("%d failed attempts; finished after %.1f h", #shot:events("frame_error"), shot:progress().finished / 3600))
