-- A shot rendered again lighter: v007 with full-resolution hair, v008 with a proxy for the
-- background crowd (frames 20% lighter), sharing the farm with another show's render.
--
-- Shows: learning from a past render when the new version is faster (revised down slowly),
-- with frames submitted in HQueue's subdivision order and a heavy middle section in both.
--
-- Why a studio cares: an artist who optimised a shot wants to see the gain in the estimate.
local farm = scenario.farm{ seed = 501 }
farm:add_machines{ count = 30, speed = 1.0 }
farm:add_machines{ count = 10, speed = 0.7, prefix = "old" }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end
local function cost(factor)
  return function(frame, random)
    local base = (frame >= 1080 and frame <= 1120) and 2100 or 1200
    return base * factor * math.exp(0.18 * gauss(random))
  end
end

local v007 = farm:submit{ user = "tove", hip = "/jobs/saga/sq012/sh090/crowd_v007.hip",
  frames = scenario.subdivision(scenario.range(1001, 1180)), route = "ifd", frame_seconds = cost(1.0) }
expect.equal(farm:run(), "idle", "v007 renders to the end")
local other = farm:submit{ user = "ola", hip = "/jobs/other/sq001/sh010/fx_v002.hip",
  frames = scenario.range(1, 60), route = "hip", frame_seconds = scenario.lognormal(900, 0.2) }
local v008 = farm:submit{ user = "tove", hip = "/jobs/saga/sq012/sh090/crowd_v008.hip",
  frames = scenario.subdivision(scenario.range(1001, 1180)), route = "ifd", frame_seconds = cost(0.8) }
expect.equal(farm:run(), "idle", "both render to the end")
expect.equal(v008:count("Done"), 180, "all of v008 Done")
expect.equal(other:count("Done"), 60, "the other show's render Done")
