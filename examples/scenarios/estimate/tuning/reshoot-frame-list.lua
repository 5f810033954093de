-- An unsorted frame list with frames per job: 210 frames typed by hand, 3 per job, on 36 machines.
--
-- Shows: a lighter re-renders the parts of a shot the director asked to change, typing the
-- ranges as the notes listed them: 1400-1469 (the hero's entrance, about 22 minutes a frame,
-- lots of hair in close-up), then 1001-1080 (the wide, about 9 minutes), then 1250-1309 (a
-- medium, about 14 minutes). HQueue queues jobs in that order, three neighbouring frames per
-- job, so the heavy close-up frames render first and the light ones last. Hip route.
--
-- Why a studio cares: the first frames done are the heaviest, so an estimate from them runs
-- long; the tracker shows frames sorted while the farm works through them in the artist's order.
--
-- Notable: an unsorted frames list with frames_per_job = 3; frame times by frame number.
local farm = scenario.farm{ seed = 219 }
farm:add_machines{ count = 36, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end
local frames = {}
for _, range in ipairs({ { 1400, 1469 }, { 1001, 1080 }, { 1250, 1309 } }) do
  for frame = range[1], range[2] do frames[#frames + 1] = frame end
end
expect.equal(#frames, 210, "210 frames on the list")

local shot = farm:submit{
  user = "lars", hip = "/jobs/kraken/sq060/sh200/lgt_entrance_v029.hip",
  frames = frames,
  route = "hip",
  frames_per_job = 3,
  frame_seconds = function(frame, random)
    local base = frame >= 1400 and 1320 or (frame >= 1250 and 840 or 540)
    return base * math.exp(0.2 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 210, "all 210 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
