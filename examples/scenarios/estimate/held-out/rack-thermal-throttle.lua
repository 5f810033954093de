-- A rack throttles: 1,200 frames of about 25 minutes on 100 machines; at 22:30 one rack's cooling fails and its 25 nodes run at 0.55.
--
-- Needs the scenario-language extensions (set_speed with a prefix).
--
-- Shows: four racks of 25 nodes. At 22:30 the air conditioning of rack C fails; its CPUs
-- throttle and every frame they start from then on takes almost twice as long. Facilities fix
-- it at 00:30 and the rack is back to full speed. The farm keeps its size; only a quarter of
-- it slows. Hip route, frames in order, lognormal spread 0.2.
--
-- Why a studio cares: a partial slowdown is easy to miss on the monitor; the render's pace
-- drops by a tenth and the time left should move with it.
--
-- Notable: set_speed on one prefix, then back.
local HOUR = 3600
local farm = scenario.farm{ seed = 505 }
for _, rack in ipairs({ "rackA", "rackB", "rackC", "rackD" }) do
  farm:add_machines{ count = 25, speed = 1.0, prefix = rack }
end

local shot = farm:submit{
  user = "gro", hip = "/jobs/wildfire/sq170/sh040/lgt_lava_field_v012.hip",
  frames = scenario.range(1001, 2200),
  route = "hip",
  frame_seconds = scenario.lognormal(1500, 0.2),
}

expect.equal(farm:run{ until_time = 2.5 * HOUR }, "reached", "22:30")
expect.equal(farm:set_speed{ speed = 0.55, prefix = "rackC" }, 25, "rack C throttles")
expect.equal(farm:run{ until_time = 4.5 * HOUR }, "reached", "00:30")
expect.equal(shot:state(), "running", "still rendering when rack C is fixed")
expect.equal(farm:set_speed{ speed = 1.0, prefix = "rackC" }, 25, "rack C back to full speed")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1200, "all 1200 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / HOUR))
