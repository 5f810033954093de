-- A shot rendered again: v012 overnight, then v013 with heavier volumes, on the same farm.
--
-- Shows: learning from a past render of the same shot. The tracker keeps what each frame of
-- v012 cost; v013 (same frames, 30% heavier from frame 1150 on: denser smoke) is estimated
-- from v012's frame times, scaled as v013's first frames compare with the same frames of v012.
-- Frames get heavier through the shot (a ramp), which v012 already showed.
--
-- Why a studio cares: most renders are a new version of a shot that rendered before; the
-- first minutes of v013 should already say when it will be done.
--
-- Notable: the render-history key makes `lgt_smoke_v012` and `lgt_smoke_v013` the same shot;
-- `summary.learned_from` names the past render.
local farm = scenario.farm{ seed = 401 }
farm:add_machines{ count = 40, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end
local function cost(heavier)
  return function(frame, random, index, count)
    local base = 600 + 900 * (index - 1) / (count - 1)
    if heavier and frame >= 1150 then base = base * 1.3 end
    return base * math.exp(0.15 * gauss(random))
  end
end

local v012 = farm:submit{ user = "mika", hip = "/jobs/kraken/sq030/sh040/lgt_smoke_v012.hip",
  frames = scenario.range(1001, 1240), route = "ifd", frame_seconds = cost(false) }
expect.equal(farm:run(), "idle", "v012 renders to the end")
expect.equal(v012:count("Done"), 240, "all of v012 Done")

local v013 = farm:submit{ user = "mika", hip = "/jobs/kraken/sq030/sh040/lgt_smoke_v013.hip",
  frames = scenario.range(1001, 1240), route = "ifd", frame_seconds = cost(true) }
farm:run{ until_done = 0.05, render = v013 }
expect.equal(v013:summary().learned_from, v012.project, "v013's estimate learns from v012")
expect.equal(farm:run(), "idle", "v013 renders to the end")
expect.equal(v013:count("Done"), 240, "all of v013 Done")
