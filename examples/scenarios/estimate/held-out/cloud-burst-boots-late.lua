-- A hybrid night: 1,000 frames of about 50 minutes on 50 studio nodes, with 150 cloud machines booting in batches.
--
-- Needs the scenario-language extensions (add_machines boot_seconds, remove_machines drain).
--
-- Shows: the render starts on the studio's own 50 nodes at 20:00. The wrangler sees it will
-- miss the morning and asks for cloud capacity at 20:30: 50 machines come up after 8 minutes,
-- 100 more after 25 (the provider finds them in another zone). The cloud machines mount the
-- studio's storage, so there are no downloads. At midnight the budget is spent and the cloud
-- machines are set to drain: each finishes its frame, then shuts down. IFD route.
--
-- Why a studio cares: rented machines arrive late and leave on a budget; each step changes
-- the finish by hours.
--
-- Notable: boot_seconds in two batches, then a drain of all cloud machines.
local HOUR = 3600
local farm = scenario.farm{ seed = 507 }
farm:add_machines{ count = 50, speed = 1.0, prefix = "node" }

local shot = farm:submit{
  user = "ivo", hip = "/jobs/wildfire/sq190/sh020/lgt_smoke_city_v028.hip",
  frames = scenario.range(1001, 2000),
  route = "ifd",
  frame_seconds = scenario.lognormal(3000, 0.2),
}

expect.equal(farm:run{ until_time = 0.5 * HOUR }, "reached", "20:30")
farm:add_machines{ count = 50, speed = 1.0, prefix = "cloud", boot_seconds = 480 }
farm:add_machines{ count = 100, speed = 1.0, prefix = "cloud", boot_seconds = 1500 }
expect.equal(farm:machines().alive, 50, "the cloud machines are still booting")
farm:run{ until_time = 0.5 * HOUR + 1600 }
expect.equal(farm:machines().alive, 200, "all 200 machines up by 21:00")
expect.equal(farm:run{ until_time = 4 * HOUR }, "reached", "00:00")
expect.equal(shot:state(), "running", "still rendering when the budget runs out")
expect.equal(#farm:remove_machines{ count = 150, prefix = "cloud", drain = true }, 150, "the cloud machines drain")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1000, "all 1000 frames Done")
expect.equal(farm:machines().alive, 50, "only the studio's nodes are left")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / HOUR))
