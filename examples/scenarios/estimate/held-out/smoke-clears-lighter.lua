-- Frames getting lighter: 250 frames on 40 machines; the first 100 in thick smoke (30 min), the rest clear (8 min).
--
-- Shows: the morning after the fire. The shot opens inside drifting smoke (volumes on every
-- light, about 30 minutes a frame); at frame 1101 the camera leaves the smoke and frames drop
-- to about 8 minutes. IFD route, frames in order: the heavy frames are the first 40% of the
-- queue, so finished frames are heavy when the estimate is first asked for.
--
-- Why a studio cares: an estimate that says too long makes a wrangler kill or reprioritise
-- a render that would have made it.
--
-- Notable: a step down rather than a ramp; lognormal jitter 0.2.
local farm = scenario.farm{ seed = 304 }
farm:add_machines{ count = 40, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end

local shot = farm:submit{
  user = "eva", hip = "/jobs/wildfire/sq090/sh010/lgt_aftermath_v004.hip",
  frames = scenario.range(1001, 1250),
  route = "ifd",
  frame_seconds = function(frame, random)
    return (frame <= 1100 and 1800 or 480) * math.exp(0.2 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 250, "all 250 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
