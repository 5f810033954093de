-- The last wave: 60 frames of about 40 minutes on 50 machines.
--
-- Shows: a short shot sent to a farm that is nearly empty. The first wave takes 50 frames at
-- once; the remaining 10 start as the first machines free up, so from about 15% done there is
-- no queue and the render ends when the slowest frame of the second wave does. IFD route, one
-- frame per job, lognormal frame times (spread 0.25), so some frames take an hour.
--
-- Why a studio cares: short shots on a big farm are most of a lighting department's
-- afternoon; "how long until this shot is back" is the whole question, and the answer is the
-- longest frame still running, not the average.
--
-- Notable: 60 frames against 50 machines: the estimate can only come from the frames in flight.
local farm = scenario.farm{ seed = 205 }
farm:add_machines{ count = 50, speed = 1.0 }

local shot = farm:submit{
  user = "ivan", hip = "/jobs/kraken/sq110/sh030/lgt_cabin_v023.hip",
  frames = scenario.range(1001, 1060),
  route = "ifd",
  frame_seconds = scenario.lognormal(2400, 0.25),
}

expect.equal(farm:run{ until_done = 0.1, render = shot }, "reached", "six frames are done")
expect.at_most(farm:machines().busy, 50, "never more jobs than machines")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 60, "all 60 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
