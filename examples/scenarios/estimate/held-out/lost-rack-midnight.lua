-- Lost racks: 1,200 frames of about 20 minutes on 240 machines; a rack of 40 lost at 25%, another 20 an hour later.
--
-- Shows: a big farm (6 racks of 40) rendering a long shot. At 25% done a rack's power supply
-- fails and its 40 machines vanish mid-frame; HQueue notices after 3 minutes
-- (lost_machine_seconds = 180) and reruns their jobs first. An hour later, half of another
-- rack is taken for an urgent simulation (its 20 machines leave while busy too). IFD route,
-- lognormal spread 0.25.
--
-- Why a studio cares: estimates made for 240 machines are wrong for 180; the question is how
-- soon the time left reflects the smaller farm and the lost work.
--
-- Notable: remove_machines by prefix; the rerun frames start again from the beginning.
local farm = scenario.farm{ seed = 316, lost_machine_seconds = 180 }
for rack = 1, 6 do farm:add_machines{ count = 40, speed = 1.0, prefix = "rack" .. rack } end

local shot = farm:submit{
  user = "gus", hip = "/jobs/wildfire/sq010/sh010/lgt_opening_wide_v044.hip",
  frames = scenario.range(1001, 2200),
  route = "ifd",
  frame_seconds = scenario.lognormal(1200, 0.25),
}

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.equal(#farm:remove_machines{ count = 40, prefix = "rack4" }, 40, "rack 4 is lost")
farm:run{ seconds = 3600 }
expect.equal(#farm:remove_machines{ count = 20, prefix = "rack6" }, 20, "half of rack 6 leaves")
expect.equal(farm:machines().alive, 180, "180 machines left")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1200, "all 1200 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
