-- A cloud render on machines that boot, then lose spot capacity: 300 frames of about 18 minutes, downloads 40 s, 5 slots.
--
-- Needs the scenario-language extensions (add_machines boot_seconds).
--
-- Shows: the render is submitted as the studio requests 100 cloud machines: 60 come up after
-- 6 minutes (image pulled, licence server reached), the other 40 after 15 (spot capacity
-- found later). Nothing renders until the first machines are up. Two hours in, the provider
-- reclaims 30 spot machines: they vanish mid-frame and HQueue reruns their jobs after 2
-- minutes. Every frame is downloaded to the studio (40 s each, 5 at a time: the link keeps up
-- until the end). Hip route, lognormal 0.2.
--
-- Why a studio cares: on the cloud, the machines are not there at submit and not there for
-- sure later; the estimate starts with no machine and must follow both changes.
--
-- Notable: boot_seconds on add_machines, then remove_machines (spot loss) by prefix.
local farm = scenario.farm{ seed = 405 }

local shot = farm:submit{
  user = "gil", hip = "/jobs/kraken/sq190/sh010/lgt_abyss_v017.hip",
  frames = scenario.range(1001, 1300),
  route = "hip",
  frame_seconds = scenario.lognormal(1080, 0.2),
  download_seconds = 40,
  download_slots = 5,
}
farm:add_machines{ count = 60, speed = 1.0, prefix = "ondemand", boot_seconds = 360 }
farm:add_machines{ count = 40, speed = 1.0, prefix = "spot", boot_seconds = 900 }

farm:run{ seconds = 300 }
expect.equal(farm:machines().alive, 0, "five minutes in, no machine is up yet")
farm:run{ seconds = 700 }
expect.equal(farm:machines().alive, 100, "after 16 minutes all 100 are up")
expect.equal(farm:run{ until_time = 7200 }, "reached", "two hours in")
expect.equal(#farm:remove_machines{ count = 30, prefix = "spot" }, 30, "30 spot machines reclaimed")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 300, "all 300 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
