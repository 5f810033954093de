-- A pickup list in no order: 140 frames from notes, listed as the supervisor wrote them, on 30 machines.
--
-- Shows: after dailies, a lighter re-renders only the frames with notes: 1188-1240 (a light
-- was too hot), 1012-1030, a few single frames (1101, 1099, 1150, 1003) and 1300-1365, typed
-- in that order into the frame list. HQueue queues jobs in the order listed, so the frames do
-- not render in number order; the 1300s are the heavy end of the shot (about 30 minutes,
-- others about 15). IFD route.
--
-- Why a studio cares: pickups are a daily routine; the tracker sorts frames for display, but
-- the farm renders them in the artist's order.
--
-- Notable: an unsorted frame list; frame times by frame number.
local farm = scenario.farm{ seed = 319 }
farm:add_machines{ count = 30, speed = 1.0 }

local function gauss(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end
local frames = {}
local function add(first, last) for frame = first, last do frames[#frames + 1] = frame end end
add(1188, 1240); add(1012, 1030)
for _, frame in ipairs({ 1101, 1099, 1150, 1003 }) do frames[#frames + 1] = frame end
add(1300, 1363)
expect.equal(#frames, 140, "140 frames on the pickup list")

local shot = farm:submit{
  user = "jade", hip = "/jobs/wildfire/sq060/sh120/lgt_sunset_v035.hip",
  frames = frames,
  route = "ifd",
  frame_seconds = function(frame, random)
    return (frame >= 1300 and 1800 or 900) * math.exp(0.2 * gauss(random))
  end,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 140, "all 140 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
