-- Heavy cloud frames, then a backlog: 150 frames of about 45 minutes on 150 cloud machines, 4 downloads of 3 minutes.
--
-- Shows: a cloud render big enough to give every frame its own machine. All 150 frames render
-- at once and finish within a few minutes of each other after about 45 minutes (lognormal
-- 0.15); then the studio's link works through them, 4 at a time, 3 minutes each (deep EXRs of
-- about 4 GB). Almost nothing is done for 45 minutes, then frames arrive at a steady pace for
-- almost two hours. IFD route.
--
-- Why a studio cares: cloud machines are paid by the minute; the wrangler decides from the
-- estimate whether to release them (they are idle after the render) and when comp can start.
--
-- Notable: the render wave and the download queue are two phases with different rates.
local farm = scenario.farm{ seed = 310 }
farm:add_machines{ count = 150, speed = 1.0, prefix = "cloud" }

local shot = farm:submit{
  user = "raf", hip = "/jobs/wildfire/sq110/sh020/lgt_ember_storm_v022.hip",
  frames = scenario.range(1001, 1150),
  route = "ifd",
  frame_seconds = scenario.lognormal(2700, 0.15),
  download_seconds = 180,
  download_slots = 4,
}

expect.equal(farm:run{ until_done = 0.1, render = shot }, "reached", "10% of the frames downloaded")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 150, "all 150 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
