-- Machines taken back in the morning: a 1,400-frame render from 03:00 on 50 nodes and 80 workstations, which artists reclaim at 08:30.
--
-- Shows: the sim for a big water shot finished at 03:00 and its lighting render was sent
-- automatically (1,400 frames of about 30 minutes, IFD route). The farm is 50 render nodes and
-- 80 artist workstations (speed 0.8) that run HQueue overnight. At 08:30 the artists log in
-- and their workstations leave the farm (busy ones first; their frames are lost and HQueue
-- reschedules them after 2 minutes); at 09:30 the last ten (artists who come in late) leave
-- too. The rest of the render runs on the 50 nodes alone, at less than half the speed.
--
-- Why a studio cares: "it said 07:00 at midnight": the morning takeback is the most common
-- reason an overnight render misses dailies; the estimate must change the moment it happens.
--
-- Notable: farm:run{ until_time } to wall-clock moments (virtual 0 is 20:00); the farm is
-- idle until the submit at 03:00.
local HOUR = 3600
local farm = scenario.farm{ seed = 212 }
farm:add_machines{ count = 50, speed = 1.0, prefix = "node" }
farm:add_machines{ count = 80, speed = 0.8, prefix = "ws" }

expect.equal(farm:run{ until_time = 7 * HOUR }, "reached", "the farm waits until 03:00")
local shot = farm:submit{
  user = "pavel", hip = "/jobs/kraken/sq100/sh050/lgt_wave_crash_v008.hip",
  frames = scenario.range(1001, 2400),
  route = "ifd",
  frame_seconds = scenario.lognormal(1800, 0.25),
}

expect.equal(farm:run{ until_time = 12.5 * HOUR }, "reached", "08:30")
expect.equal(shot:state(), "running", "the render is still running when the artists arrive")
local gone = farm:remove_machines{ count = 70, prefix = "ws" }
expect.equal(#gone, 70, "70 workstations leave at 08:30")
farm:run{ until_time = 13.5 * HOUR }
gone = farm:remove_machines{ count = 10, prefix = "ws" }
expect.equal(#gone, 10, "the last 10 leave at 09:30")
expect.equal(farm:machines().alive, 50, "50 render nodes left")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1400, "all 1400 frames Done")
print(string.format("finished at %.1f h after 20:00 (%.1f h after the submit)",
  shot:progress().finished / HOUR, (shot:progress().finished - 7 * HOUR) / HOUR))
