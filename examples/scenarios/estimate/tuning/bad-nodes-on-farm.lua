-- Bad machines: 6 of 80 nodes fail most attempts (a bad memory module, a stale mount), 1,000 frames of about 15 minutes.
--
-- Needs the scenario-language extensions (add_machines failure_rate).
--
-- Shows: one chassis of six nodes has a fault: 40% of the attempts that land on them fail a
-- third of the way in (failure_point 0.35). A failed job goes back to the front of the queue,
-- and the bad node that failed it is free again at once and takes it back, so the bad nodes
-- keep eating jobs ("black hole" nodes). HQueue reruns a failed job up to 8 times. After an
-- hour and a half the wrangler sees the errors pile up on chassis 12 and takes its nodes off
-- the farm (their running jobs are rerun elsewhere). IFD route, lognormal 0.2.
--
-- Why a studio cares: failures tied to machines are the most common kind; the farm loses the
-- wasted time, and the time left should see it.
--
-- Notable: failure_rate per machine instead of per render; the rest of the farm is clean; the
-- seed is one where no job runs out of retries.
local farm = scenario.farm{ seed = 403 }
farm:add_machines{ count = 74, speed = 1.0, prefix = "node" }
farm:add_machines{ count = 6, speed = 1.0, prefix = "chassis12", failure_rate = 0.4 }

local shot = farm:submit{
  user = "eli", hip = "/jobs/kraken/sq170/sh040/lgt_quarry_v013.hip",
  frames = scenario.range(1001, 2000),
  route = "ifd",
  frame_seconds = scenario.lognormal(900, 0.2),
  failure_point = 0.35,
  retries = 8,
  error_output_bytes = 6000,
}

expect.equal(farm:run{ until_time = 5400 }, "reached", "an hour and a half in")
expect.equal(shot:state(), "running", "still rendering")
expect.equal(#farm:remove_machines{ count = 6, prefix = "chassis12" }, 6, "the wrangler takes chassis 12 off the farm")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1000, "all 1000 frames Done")
expect.at_least(#shot:events("frame_error"), 5, "the bad nodes failed attempts before they were taken off")
print(string.format("%d failed attempts; finished after %.1f h", #shot:events("frame_error"), shot:progress().finished / 3600))
