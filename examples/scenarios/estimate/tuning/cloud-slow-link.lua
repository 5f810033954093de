-- A cloud burst behind a slow link: 240 frames of about 15 minutes on 80 rented machines, 4 downloads at a time.
--
-- Shows: the studio rents 80 cloud machines for a deadline. Each frame is a 4K EXR with 30
-- AOVs (about 1.5 GB); over the studio's link the workstation downloads 4 at a time in 90
-- seconds each, one frame every 22 seconds, while the cloud finishes one every 11. The
-- downloads fall further behind all the time: the render on the cloud is over in about 45
-- minutes, the last frame reaches the studio an hour and three quarters after the start.
-- Render from the hip file.
--
-- Why a studio cares: a frame is not done until it is on the studio's disk; comp cannot start
-- and the cloud bill keeps running while the link is the bottleneck.
--
-- Notable: download_seconds and download_slots; a frame waiting for a slot reads Done today.
local farm = scenario.farm{ seed = 208 }
farm:add_machines{ count = 80, speed = 1.0, prefix = "cloud" }

local shot = farm:submit{
  user = "lea", hip = "/jobs/kraken/sq120/sh010/lgt_storm_wide_v015.hip",
  frames = scenario.range(1001, 1240),
  route = "hip",
  frame_seconds = scenario.lognormal(900, 0.2),
  download_seconds = 90,
  download_slots = 4,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames rendered and downloaded")
expect.at_most(shot:count("Downloading"), 4, "at most 4 frames Downloading")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 240, "all 240 frames Done")
expect.equal(shot:count("Downloading"), 0, "nothing left Downloading")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
