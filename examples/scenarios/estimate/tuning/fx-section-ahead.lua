-- The camera flies into the FX: 240 frames on 48 machines, the second half getting 3.5x heavier.
--
-- Shows: a lighting render of a flythrough. For the first 120 frames the camera crosses open
-- water (about 10 minutes a frame); from frame 1121 it pushes into a pyro column and every frame
-- holds more volume on screen, climbing to about 35 minutes at the last frame. IFD route, one
-- frame per job, frames queued in order, so the light frames render first and the heavy ones
-- are all still ahead at 25% and 50% done.
--
-- Why a studio cares: "done by morning?" is asked at 25% done, when every finished frame is a
-- cheap one; a studio that believes a short estimate misses dailies.
--
-- Notable: frame_seconds is a function of the frame's position: flat, then a linear climb, each
-- frame times a lognormal jitter (spread 0.15) drawn from the render's own generator.
local farm = scenario.farm{ seed = 201 }
farm:add_machines{ count = 48, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end

local shot = farm:submit{
  user = "rosa", hip = "/jobs/kraken/sq030/sh140/lgt_flythrough_v018.hip",
  frames = scenario.range(1001, 1240),
  route = "ifd",
  frame_seconds = function(frame, random, index, count)
    local base = 600
    if index > 120 then base = 600 + (2100 - 600) * (index - 120) / (count - 120) end
    return base * math.exp(0.15 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(shot:state(), "running", "the project is running at half way")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 240, "all 240 frames Done")
expect.equal(shot:state(), "done", "the project is done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
