-- A night shift joins, then a rack is lost: 1,000 frames of about 35 minutes from 20:00.
--
-- Shows: a render submitted at the end of the day on the 60 render nodes. At 22:30 the night
-- shift's workstations (90 of them, speed 0.7) join the farm and take queued frames at once.
-- At 00:30 a top-of-rack switch dies and 20 render nodes drop off the network: their frames
-- stall until HQueue notices after 5 minutes (lost_machine_seconds = 300) and reruns them.
-- Hip route, frames in order, lognormal spread 0.2.
--
-- Why a studio cares: the estimate given at 22:00 was for 60 machines; by 23:00 it should
-- reflect 150, and by 01:00 the loss of a rack.
--
-- Notable: add_machines mid-render, then remove_machines by prefix.
local HOUR = 3600
local farm = scenario.farm{ seed = 218, lost_machine_seconds = 300 }
farm:add_machines{ count = 40, speed = 1.0, prefix = "r1" }
farm:add_machines{ count = 20, speed = 1.0, prefix = "r2" }

local shot = farm:submit{
  user = "gita", hip = "/jobs/kraken/sq010/sh080/lgt_lighthouse_v027.hip",
  frames = scenario.range(1001, 2000),
  route = "hip",
  frame_seconds = scenario.lognormal(2100, 0.2),
}

expect.equal(farm:run{ until_time = 2.5 * HOUR }, "reached", "22:30")
farm:add_machines{ count = 90, speed = 0.7, prefix = "ws" }
expect.equal(farm:machines().busy, 150, "150 machines busy after the night shift joins")
expect.equal(farm:run{ until_time = 4.5 * HOUR }, "reached", "00:30")
expect.equal(shot:state(), "running", "still rendering when the rack is lost")
local lost = farm:remove_machines{ count = 20, prefix = "r2" }
expect.equal(#lost, 20, "rack r2 is lost")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1000, "all 1000 frames Done")
print(string.format("finished %.1f h after 20:00", shot:progress().finished / HOUR))
