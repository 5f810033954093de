-- A 3x section near the end: 300 frames on 50 machines, frames 1200-1260 three times as heavy.
--
-- Shows: a building collapse. Frames before 1200 are the building standing (about 18 minutes
-- a frame); from 1200 to 1260 the collapse fills the frame with debris, dust volumes and
-- motion blur and each frame takes three times as long (about 54 minutes); after 1260 the dust
-- settles and frames go back to about 22 minutes. IFD route, frames in order, one per job.
--
-- Why a studio cares: the expensive section arrives after two thirds of the frames are done;
-- every estimate before that is built on cheap frames.
--
-- Notable: a step section written as a function of the frame number.
local farm = scenario.farm{ seed = 302 }
farm:add_machines{ count = 50, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end

local shot = farm:submit{
  user = "lin", hip = "/jobs/wildfire/sq070/sh030/lgt_collapse_v019.hip",
  frames = scenario.range(1001, 1300),
  route = "ifd",
  frame_seconds = function(frame, random)
    local base = 1080
    if frame >= 1200 and frame <= 1260 then base = 3240 elseif frame > 1260 then base = 1320 end
    return base * math.exp(0.18 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 300, "all 300 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
