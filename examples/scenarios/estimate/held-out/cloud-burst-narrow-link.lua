-- Downloads are the render: 400 frames of about 6 minutes on 200 cloud machines, 2 downloads at a time.
--
-- Shows: a small studio bursts a whole sequence to the cloud: 200 rented machines render 400
-- frames in two waves (about 15 minutes), but the studio's link downloads only 2 frames at a
-- time, 75 seconds each (about 1 GB a frame at about 100 Mbit/s per stream). Downloads take
-- over four hours; from 10% done on, nearly every frame that remains is already rendered and
-- waits for the link. Hip route, lognormal spread 0.2.
--
-- Why a studio cares: the render "finished in a quarter of an hour" but the images arrive
-- after four hours; that is the time the artist needs to know.
--
-- Notable: download_slots = 2; download_seconds far larger than render time per frame per
-- machine.
local farm = scenario.farm{ seed = 309 }
farm:add_machines{ count = 200, speed = 1.0, prefix = "cloud" }

local shot = farm:submit{
  user = "zoe", hip = "/jobs/smallco/sq010/seq010_lgt_v003.hip",
  frames = scenario.range(1001, 1400),
  route = "hip",
  frame_seconds = scenario.lognormal(360, 0.2),
  download_seconds = 75,
  download_slots = 2,
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames downloaded")
expect.equal(farm:machines().busy, 0, "the cloud machines have finished rendering")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 400, "all 400 frames Done")
expect.equal(shot:count("Downloading"), 0, "nothing left Downloading")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
