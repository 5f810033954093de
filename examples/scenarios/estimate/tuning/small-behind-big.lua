-- A small render behind a big one: a 48-frame FX render queued an hour into a 600-frame lighting render on 100 machines.
--
-- Shows: first come, first served. At 20:00 a lighter submits 600 frames of about 20 minutes
-- (IFD route) to the 100-machine farm. At 21:00 an FX artist submits a 48-frame smoke element
-- of about 6 minutes a frame (hip route). HQueue queues its jobs behind every queued job of the
-- big render, so the small one waits until the big one's queue is empty, then gets machines
-- one by one as the big one's last wave frees them, and races through.
--
-- Why a studio cares: the FX artist asks "when is mine done?" the moment they submit; the
-- honest answer depends on the render ahead of it, not on its own frames.
--
-- Notable: both renders are judged. The small one has no estimate at all until its first
-- frame starts (hours after submit).
local farm = scenario.farm{ seed = 209 }
farm:add_machines{ count = 100, speed = 1.0 }

local big = farm:submit{
  user = "sara", hip = "/jobs/kraken/sq060/sh100/lgt_harbour_night_v012.hip",
  frames = scenario.range(1001, 1600),
  route = "ifd",
  frame_seconds = scenario.lognormal(1200, 0.2),
}
expect.equal(farm:run{ until_time = 3600 }, "reached", "an hour passes")

local small = farm:submit{
  user = "tariq", hip = "/jobs/kraken/sq060/sh100/fx_smoke_element_v003.hip",
  frames = scenario.range(1001, 1048),
  route = "hip",
  frame_seconds = scenario.lognormal(360, 0.25),
}
farm:run{ seconds = 600 }
expect.equal(small:count("Rendering"), 0, "the small render waits behind the big one")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(big:count("Done"), 600, "all 600 frames of the big render Done")
expect.equal(small:count("Done"), 48, "all 48 frames of the small render Done")
print(string.format("big finished after %.1f h, small after %.1f h",
  big:progress().finished / 3600, small:progress().finished / 3600))
