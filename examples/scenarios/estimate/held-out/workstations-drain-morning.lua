-- Workstations drain in the morning: 1,400 frames of about 45 minutes from 01:00 on 60 nodes and 100 workstations.
--
-- Needs the scenario-language extensions (remove_machines drain).
--
-- Shows: an FX render submitted at 01:00 (virtual 0 is 20:00; the farm waits until then) on
-- 60 render nodes and 100 artist workstations (speed 0.75). The studio's HQueue clients are
-- set to drain: at 07:30 the workstations stop taking new jobs, finish the frame they are on,
-- then leave (unlike a takeback, no frame is lost). The rest of the render goes on the 60
-- nodes. IFD route, lognormal spread 0.25.
--
-- Why a studio cares: draining is how a well-run studio hands machines back; over the next
-- hour the farm shrinks machine by machine, and the estimate must follow.
--
-- Notable: remove_machines{ drain = true }: busy machines finish their job first.
local HOUR = 3600
local farm = scenario.farm{ seed = 504 }
farm:add_machines{ count = 60, speed = 1.0, prefix = "node" }
farm:add_machines{ count = 100, speed = 0.75, prefix = "ws" }

expect.equal(farm:run{ until_time = 5 * HOUR }, "reached", "the farm waits until 01:00")
local shot = farm:submit{
  user = "finn", hip = "/jobs/wildfire/sq050/sh090/fx_fire_tornado_v031.hip",
  frames = scenario.range(1001, 2400),
  route = "ifd",
  frame_seconds = scenario.lognormal(2700, 0.25),
}

expect.equal(farm:run{ until_time = 11.5 * HOUR }, "reached", "07:30")
expect.equal(shot:state(), "running", "still rendering at 07:30")
expect.equal(#farm:remove_machines{ count = 100, prefix = "ws", drain = true }, 100, "the workstations drain")
farm:run{ seconds = 3 * HOUR }
expect.equal(farm:machines().alive, 60, "three hours later only the 60 nodes are left")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 1400, "all 1400 frames Done")
expect.equal(#shot:events("frame_error"), 0, "draining loses no frame")
print(string.format("finished %.1f h after the submit", (shot:progress().finished - 5 * HOUR) / HOUR))
