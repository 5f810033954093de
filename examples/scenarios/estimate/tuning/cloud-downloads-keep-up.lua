-- Cloud downloads that keep up until the end: 300 frames of about 20 minutes on 60 cloud machines, 4 downloads of 45 seconds.
--
-- Shows: a cloud render where the link is fast enough for the render's pace (the cloud
-- finishes a frame every 20 seconds, the link downloads one every 11), so frames are Done
-- soon after they render; only the last wave's frames, which finish close together, queue
-- for the link at the end. IFD route, 2 frames per job, lognormal spread 0.25.
--
-- Why a studio cares: the usual cloud night; the download adds a short tail, not hours,
-- and the estimate should not invent a backlog that is not there.
--
-- Notable: download_seconds small against frame time; frames_per_job = 2.
local farm = scenario.farm{ seed = 220 }
farm:add_machines{ count = 60, speed = 1.0, prefix = "cloud" }

local shot = farm:submit{
  user = "mo", hip = "/jobs/kraken/sq140/sh070/lgt_reef_v012.hip",
  frames = scenario.range(1001, 1300),
  route = "ifd",
  frames_per_job = 2,
  frame_seconds = scenario.lognormal(1200, 0.25),
  download_seconds = 45,
  download_slots = 4,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames rendered and downloaded")
expect.at_most(shot:count("Downloading"), 4, "at most 4 frames Downloading")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 300, "all 300 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
