-- The farm grows at night: 60 render nodes at 20:00, 80 artist workstations join at 21:00.
--
-- Shows: machines joining mid-render and the estimate adapting. An 800-frame render of
-- 40-minute frames starts on the 60 render nodes; at 21:00 the artists have gone home and
-- their workstations (speed 0.8, prefix "ws") join the farm as HQueue clients. The new machines
-- take queued frames at once; the tracker sees more frames Rendering, and within a wave its
-- estimate falls to match the bigger farm. At 23:00 twenty render nodes are taken away for a
-- priority job of another show (removed while busy: their frames are rescheduled after
-- HQueue's default 2 minutes).
--
-- Why a studio cares: most studios render overnight on workstations; the morning question is
-- "will it be done by dailies", and the answer changes at 21:00 and 23:00.
--
-- Notable: farm:run{ until_time = ... } runs to a wall-clock moment of the night (virtual
-- seconds since 20:00); farm:machines() counts machines alive and busy.
local farm = scenario.farm{ seed = 71 }
farm:add_machines{ count = 60, speed = 1.0, prefix = "farm" }

local shot = farm:submit{
  user = "lena", hip = "/jobs/harbour/sq070/sh040/lgt_night_v006.hip",
  frames = scenario.range(1001, 1800),
  route = "ifd",
  frame_seconds = scenario.lognormal(2400, 0.2),
}

local HOUR = 3600
expect.equal(farm:run{ until_time = 1 * HOUR }, "reached", "the first hour renders on 60 nodes")
local before_join = shot:estimate()
expect.truthy(before_join, "an estimate before the workstations join")
expect.at_most(shot:count("Rendering"), 60, "at most 60 frames Rendering on 60 nodes")

local joined = farm:add_machines{ count = 80, speed = 0.8, prefix = "ws" }
expect.equal(joined[1], "ws-001", "workstations are named ws-001 ...")
expect.equal(farm:machines().busy, 140, "all 140 machines take a frame at once")
expect.equal(shot:count("Rendering"), 140, "the tracker sees 140 frames Rendering")

farm:run{ until_time = 1 * HOUR + 3000 }
local after_join = shot:estimate()
expect.at_most(after_join, before_join * 0.6, "50 minutes after the join the estimate has dropped (more than 2x the machines)")

farm:run{ until_time = 3 * HOUR }
local removed = farm:remove_machines{ count = 20, prefix = "farm" }
expect.equal(#removed, 20, "20 render nodes leave at 23:00")
farm:run{ until_time = 3 * HOUR + 1800 }
expect.equal(farm:machines().alive, 120, "120 machines left")
expect.equal(shot:count("Rendering"), farm:machines().busy, "30 minutes later every Rendering frame has a machine")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 800, "all 800 frames Done")
local finished = shot:progress().finished
local truth_after_join = finished - (1 * HOUR + 3000)
expect.near(after_join, truth_after_join, 0.25, "the estimate 50 minutes after the join is within 25% of the truth (20 nodes leave later)")
expect.at_least(finished, 4 * HOUR, "done after midnight")
print(string.format("estimate before the join %.1f h, after %.1f h; finished %.1f h after 20:00",
  before_join / HOUR, after_join / HOUR, finished / HOUR))
