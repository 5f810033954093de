-- Few long frames on many machines: 24 frames of 2-3 hours on 32 machines of two speeds.
--
-- Shows: the hero shot of a trailer rendered at 4K with full quality (a one-second shot,
-- 24 frames): each frame takes about two and a half hours on a new node (lognormal 0.15), and
-- the farm has 20 new nodes (speed 1.0) and 12 older ones (speed 0.6) on which a frame takes
-- four hours. All 24 frames start at once; there is no queue, ever. The render ends when the
-- slowest frame on an old node does.
--
-- Why a studio cares: the trailer deadline; a frame at 30% on an old node after an hour is
-- two and a half hours from done, whatever the finished frames say.
--
-- Notable: more machines than frames; the old nodes are added first so they take frames.
local farm = scenario.farm{ seed = 305 }
farm:add_machines{ count = 12, speed = 0.6, prefix = "old" }
farm:add_machines{ count = 20, speed = 1.0, prefix = "new" }

local shot = farm:submit{
  user = "iris", hip = "/jobs/wildfire/trailer/tr010/lgt_hero_4k_v041.hip",
  frames = scenario.range(1, 24),
  route = "ifd",
  frame_seconds = scenario.lognormal(9000, 0.15),
}

farm:run{ seconds = 1800 }
expect.equal(shot:count("Rendering"), 24, "all 24 frames render at once")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 24, "all 24 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
