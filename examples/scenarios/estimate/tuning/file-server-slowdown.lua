-- The file server slows the farm: 1,000 frames of about 20 minutes on 80 machines; from 22:00 to 00:30 frames take 1.7x.
--
-- Needs the scenario-language extensions (set_speed).
--
-- Shows: at 22:00 the nightly backup starts on the file server that holds the textures, and
-- mantra on every node waits on texture reads: frames started from then on render at speed
-- 0.6. At 00:30 the backup ends and frames go back to full speed. Nothing about the farm's
-- size changes; the slowdown shows only in frame times. IFD route, frames in order.
--
-- Why a studio cares: shared storage is the usual reason a render "slows down for no reason"
-- in the middle of the night; the estimate must follow the farm's pace both ways.
--
-- Notable: farm:set_speed for all machines, twice; a speed change applies from each
-- machine's next frame.
local HOUR = 3600
local farm = scenario.farm{ seed = 404 }
farm:add_machines{ count = 80, speed = 1.0, prefix = "farm" }

local shot = farm:submit{
  user = "fay", hip = "/jobs/kraken/sq180/sh020/lgt_glacier_v008.hip",
  frames = scenario.range(1001, 2000),
  route = "ifd",
  frame_seconds = scenario.lognormal(1200, 0.2),
}

expect.equal(farm:run{ until_time = 2 * HOUR }, "reached", "22:00")
expect.equal(farm:set_speed{ speed = 0.6 }, 80, "all 80 machines slow down")
expect.equal(farm:run{ until_time = 4.5 * HOUR }, "reached", "00:30")
expect.equal(shot:state(), "running", "still rendering when the backup ends")
expect.equal(farm:set_speed{ speed = 1.0 }, 80, "all 80 machines back to full speed")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1000, "all 1000 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / HOUR))
