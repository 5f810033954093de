-- A heavy middle: 400 frames from the hip file on 60 machines, frames 1150-1180 take 1.6x as long.
--
-- Shows: a car chase lit at night. For 31 frames in the middle of the shot the hero car drives
-- through a tunnel of practical lights (hundreds of area lights in reflections) and each frame
-- takes 1.6 times the usual 14 minutes. Render from the hip file (100.0 at each frame's end),
-- one frame per job, frames in order: the heavy section reaches the farm at about 35% done.
--
-- Why a studio cares: a section of the shot that is slower than the rest is the common case,
-- not the exception: the estimate must not lurch each time the farm enters or leaves it.
--
-- Notable: the section is a plain condition on the frame number; the rest is lognormal with a
-- spread of 0.2.
local farm = scenario.farm{ seed = 202 }
farm:add_machines{ count = 60, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end

local shot = farm:submit{
  user = "dev", hip = "/jobs/kraken/sq050/sh020/lgt_tunnel_chase_v007.hip",
  frames = scenario.range(1001, 1400),
  route = "hip",
  frame_seconds = function(frame, random)
    local base = (frame >= 1150 and frame <= 1180) and 840 * 1.6 or 840
    return base * math.exp(0.2 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.4, render = shot }, "reached", "40% of the frames render")
expect.at_least(shot:count("Done") + shot:count("Rendering"), 160, "the tunnel section is reached")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 400, "all 400 frames Done")
expect.equal(shot:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
