-- A handful of monster frames: 360 frames on 40 machines, six of them 6 to 9 times as long.
--
-- Shows: an ocean shot where a whale breaches six times. Ordinary frames take about 8 minutes;
-- on the six frames where the whale breaks the surface the whitewater fills the screen and
-- each takes 6 to 9 times as long (48 to 72 minutes). The heavy frames are scattered through
-- the shot (one early, the others later), IFD route, one frame per job.
--
-- Why a studio cares: a single 70-minute frame queued near the end decides when the render
-- finishes; a wrangler wants to see that the last frame will hold the shot an hour after
-- everything else is done.
--
-- Notable: frame times from a function with a table of multipliers by frame number.
local farm = scenario.farm{ seed = 203 }
farm:add_machines{ count = 40, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end
local breach = { [1037] = 6.5, [1178] = 8.0, [1229] = 7.2, [1265] = 9.0, [1301] = 6.0, [1344] = 8.5 }

local shot = farm:submit{
  user = "hana", hip = "/jobs/kraken/sq080/sh060/lgt_whale_breach_v011.hip",
  frames = scenario.range(1001, 1360),
  route = "ifd",
  frame_seconds = function(frame, random)
    return 480 * (breach[frame] or 1) * math.exp(0.18 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 360, "all 360 frames Done")
expect.equal(shot:status(1265), "Done", "the heaviest frame finished")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
