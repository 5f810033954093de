-- A cluster of very heavy frames: 320 frames on 64 machines, 8 neighbouring frames 7-8x as long.
--
-- Shows: a creature shot where, for eight frames (1140-1147), the creature's head passes
-- right in front of the lens: fur fills the screen, with deep shadows and motion blur, and
-- each of those frames takes 7 to 8 times the usual 10 minutes (70 to 80 minutes). The rest of
-- the shot is ordinary (lognormal spread 0.2). IFD route, frames in order; the cluster is
-- picked up together at about 40% done and holds eight machines for over an hour.
--
-- Why a studio cares: eight frames in flight far longer than the rest look like stalls, and
-- the render's finish is set by them if they run late enough.
--
-- Notable: the multiplier is drawn per frame between 7 and 8 from the render's generator.
local farm = scenario.farm{ seed = 303 }
farm:add_machines{ count = 64, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end

local shot = farm:submit{
  user = "noah", hip = "/jobs/wildfire/sq020/sh110/lgt_creature_lens_v008.hip",
  frames = scenario.range(1001, 1320),
  route = "ifd",
  frame_seconds = function(frame, random)
    local heavy = (frame >= 1140 and frame <= 1147) and (7 + random()) or 1
    return 600 * heavy * math.exp(0.2 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 320, "all 320 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
