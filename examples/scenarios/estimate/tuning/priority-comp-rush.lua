-- Priorities: a rush shot jumps the queue of an overnight render, and a low-priority wedge waits for both. 100 machines.
--
-- Needs the scenario-language extensions (priority).
--
-- Shows: at 20:00 a lighter submits 1,200 frames of about 20 minutes at the default priority
-- (0). At 22:00 a shot the client wants in the morning's delivery is submitted at priority 50:
-- every machine that frees up takes one of its 120 frames (about 25 minutes, hip route), so
-- the overnight render stops getting machines until the rush shot's queue is empty. At 22:30
-- a lookdev wedge of 200 frames (about 6 minutes) goes in at priority -10: it gets machines
-- only when neither of the others has a job waiting.
--
-- Why a studio cares: every real farm uses priorities; a render's time left depends on what is
-- queued above it, which can arrive after it started.
--
-- Notable: all three renders are judged; the overnight render's pace halts and resumes.
local HOUR = 3600
local farm = scenario.farm{ seed = 401 }
farm:add_machines{ count = 100, speed = 1.0 }

local overnight = farm:submit{
  user = "ana", hip = "/jobs/kraken/sq150/sh010/lgt_fjord_v019.hip",
  frames = scenario.range(1001, 2200),
  route = "ifd",
  frame_seconds = scenario.lognormal(1200, 0.2),
}
farm:run{ until_time = 2 * HOUR }
local rush = farm:submit{
  user = "bo", hip = "/jobs/kraken/sq150/sh090/lgt_delivery_fix_v044.hip",
  frames = scenario.range(1001, 1120),
  route = "hip",
  priority = 50,
  frame_seconds = scenario.lognormal(1500, 0.2),
}
farm:run{ until_time = 2.5 * HOUR }
expect.at_least(rush:count("Rendering"), 75, "half an hour later the rush shot holds most of the farm")
local wedge = farm:submit{
  user = "cy", hip = "/jobs/kraken/assets/kelp/lookdev_wedge_v003.hip",
  frames = scenario.range(1, 200),
  route = "hip",
  priority = -10,
  frame_seconds = scenario.lognormal(360, 0.25),
}

farm:run{ until_time = 3 * HOUR }
expect.equal(wedge:count("Rendering"), 0, "at 23:00 the wedge has not started: the others have jobs waiting")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(overnight:count("Done"), 1200, "the overnight render: all 1200 frames Done")
expect.equal(rush:count("Done"), 120, "the rush shot: all 120 frames Done")
expect.equal(wedge:count("Done"), 200, "the wedge: all 200 frames Done")
print(string.format("overnight %.1f h, rush %.1f h, wedge %.1f h", overnight:progress().finished / HOUR,
  rush:progress().finished / HOUR, wedge:progress().finished / HOUR))
