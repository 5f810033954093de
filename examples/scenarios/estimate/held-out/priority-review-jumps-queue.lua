-- Priorities between three renders: a high-priority render first, a normal one beside it, and a review shot jumping both. 90 machines.
--
-- Needs the scenario-language extensions (priority).
--
-- Shows: at 20:00 two renders go in together: a hero shot at priority 5 (400 frames, about 18
-- minutes, IFD route) and a background shot at priority 0 (300 frames, about 12 minutes, hip
-- route, 2 frames per job), which gets machines only as the hero shot's queue runs dry. At
-- 21:00 the director asks to see a shot at tomorrow's 09:00 review: 80 frames of about 35
-- minutes at priority 20 take the next 80 machines that free up.
--
-- Why a studio cares: the background shot submitted at 20:00 does not start for hours, and
-- its time left depends on two renders above it, one of which did not exist at submit.
--
-- Notable: three priorities; every render judged; the review shot's frames are the longest.
local HOUR = 3600
local farm = scenario.farm{ seed = 501 }
farm:add_machines{ count = 70, speed = 1.0 }
farm:add_machines{ count = 20, speed = 0.7, prefix = "old" }

local hero = farm:submit{
  user = "abe", hip = "/jobs/wildfire/sq140/sh010/lgt_hero_walk_v021.hip",
  frames = scenario.range(1001, 1400),
  route = "ifd",
  priority = 5,
  frame_seconds = scenario.lognormal(1080, 0.2),
}
local background = farm:submit{
  user = "bex", hip = "/jobs/wildfire/sq140/sh020/lgt_bg_hills_v007.hip",
  frames = scenario.range(1001, 1300),
  route = "hip",
  frames_per_job = 2,
  frame_seconds = scenario.lognormal(720, 0.25),
}
farm:run{ until_time = 1 * HOUR }
expect.equal(background:count("Rendering"), 0, "at 21:00 the background shot is still waiting")
local review = farm:submit{
  user = "cas", hip = "/jobs/wildfire/sq140/sh030/lgt_review_cu_v003.hip",
  frames = scenario.range(1001, 1080),
  route = "ifd",
  priority = 20,
  frame_seconds = scenario.lognormal(2100, 0.2),
}

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(hero:count("Done"), 400, "the hero shot: all 400 frames Done")
expect.equal(background:count("Done"), 300, "the background shot: all 300 frames Done")
expect.equal(review:count("Done"), 80, "the review shot: all 80 frames Done")
print(string.format("hero %.1f h, background %.1f h, review %.1f h", hero:progress().finished / HOUR,
  background:progress().finished / HOUR, review:progress().finished / HOUR))
