-- Subdivision order on a shot that gets heavier: 500 frames, 2 per job, on 100 machines.
--
-- Shows: HQueue's subdivision order (first, last, middle, then midpoints) on a shot whose
-- frames get heavier from about 5 to about 15 minutes as a storm builds (scenario.ramp by
-- position in the frame-number order). Because the frame list is reordered, the frames
-- that render first span the whole shot: early finished frames are a fair sample of the
-- shot, unlike a render in frame order. Jobs of 2 frames take neighbours in subdivision
-- order, which are far apart in the shot. IFD route.
--
-- Why a studio cares: supervisors queue in subdivision order to see the whole shot early; the
-- estimate then sees frames from every part of it.
--
-- Notable: the ramp is applied by frame number (a function), not by queue position, so the
-- storm builds through the shot whatever the order.
local farm = scenario.farm{ seed = 215 }
farm:add_machines{ count = 100, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end
local frames = scenario.subdivision(scenario.range(1001, 1500))
expect.equal(frames[3], 1250, "the middle frame is third in the queue")

local shot = farm:submit{
  user = "ravi", hip = "/jobs/kraken/sq120/sh040/lgt_storm_build_v010.hip",
  frames = frames,
  route = "ifd",
  frames_per_job = 2,
  frame_seconds = function(frame, random)
    return (300 + 600 * (frame - 1001) / 499) * math.exp(0.2 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 500, "all 500 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
