-- A flaky render: 300 frames of about 15 minutes on 60 machines, 12% of attempts fail late.
--
-- Shows: a shot whose renders die at random, late in the frame (failure_point 0.6), as when a
-- texture server drops connections under load: each attempt fails with a 12% chance, HQueue
-- reruns a failed job up to 4 times, and every frame gets there in the end. Each failure wastes
-- about 9 minutes of a machine and puts the job back at the front of the queue.
--
-- Why a studio cares: a render that loses a tenth of its machine time to failures takes
-- longer than its frame times say, and the wrangler wants that in the time left.
--
-- Notable: failure_rate is drawn from the farm's seeded generator; the seed is one where every
-- frame succeeds within its retries.
local farm = scenario.farm{ seed = 211 }
farm:add_machines{ count = 60, speed = 1.0 }

local shot = farm:submit{
  user = "nils", hip = "/jobs/kraken/sq040/sh070/lgt_forest_rain_v014.hip",
  frames = scenario.range(1001, 1300),
  route = "ifd",
  frame_seconds = scenario.lognormal(900, 0.2),
  failure_rate = 0.12,
  failure_point = 0.6,
  retries = 4,
  error_output_bytes = 20000,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(shot:state(), "running", "still running with frames being retried")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 300, "all 300 frames Done")
expect.at_least(#shot:events("frame_error"), 20, "dozens of failed attempts on the way")
print(string.format("%d failed attempts; finished after %.1f h", #shot:events("frame_error"), shot:progress().finished / 3600))
