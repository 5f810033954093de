-- Bad nodes and slower reruns: 3 of 45 machines fail most attempts, and a rerun takes 1.4x, 500 frames of about 12 minutes.
--
-- Needs the scenario-language extensions (add_machines failure_rate, retry_seconds_factor).
--
-- Shows: three nodes with a failing local scratch disk fail 35% of the attempts they take,
-- half way through the frame (failure_point 0.5). Across the farm, 2% of attempts fail too (a
-- flaky network). A rerun of a frame that failed renders with the pipeline's "safe" settings
-- (no displacement cache on local disk) and takes 1.4 times as long. HQueue retries up to 8
-- times; nobody takes the bad nodes off (it is a weekend). Hip route, lognormal spread 0.2.
--
-- Why a studio cares: failures that cluster on machines waste time at a steady rate; reruns
-- cost more than the first attempt, and they come late in a job's life.
--
-- Notable: per-machine failure_rate plus a render failure_rate, retry_seconds_factor = 1.4; the
-- seed is one where no job runs out of retries.
local farm = scenario.farm{ seed = 503 }
farm:add_machines{ count = 42, speed = 1.0, prefix = "node" }
farm:add_machines{ count = 3, speed = 1.0, prefix = "scratchbad", failure_rate = 0.35 }

local shot = farm:submit{
  user = "edda", hip = "/jobs/wildfire/sq160/sh010/lgt_burnt_trees_v015.hip",
  frames = scenario.range(1001, 1500),
  route = "hip",
  frame_seconds = scenario.lognormal(720, 0.2),
  failure_rate = 0.02,
  failure_point = 0.5,
  retries = 8,
  retry_seconds_factor = 1.4,
  error_output_bytes = 5000,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 500, "all 500 frames Done")
expect.at_least(#shot:events("frame_error"), 5, "failed attempts on the way, most on the bad nodes")
print(string.format("%d failed attempts; finished after %.1f h", #shot:events("frame_error"), shot:progress().finished / 3600))
