-- Long frames on two generations of nodes: 96 frames of about 90 minutes, 24 fast and 16 slow machines.
--
-- Shows: a hero close-up (skin with subsurface scattering, hair, 8 bounces) whose frames take
-- an hour and a half on the new nodes (speed 1.0) and three hours on the old ones (speed 0.5).
-- 96 frames on 40 machines is two and a half waves; which machine a frame lands on decides how
-- long it takes, and the last frames that start on old nodes hold the render hours after the
-- fast nodes are idle. IFD route, one frame per job, lognormal spread 0.3.
--
-- Why a studio cares: most farms mix hardware generations; a frame just started on an old
-- node will take twice the typical time, and the finish moves with it.
--
-- Notable: machines of two speeds; the old ones added first, so they take the first frames.
local farm = scenario.farm{ seed = 206 }
farm:add_machines{ count = 16, speed = 0.5, prefix = "gen3" }
farm:add_machines{ count = 24, speed = 1.0, prefix = "gen5" }

local shot = farm:submit{
  user = "marta", hip = "/jobs/kraken/sq090/sh005/lgt_hero_face_v031.hip",
  frames = scenario.range(1001, 1096),
  route = "ifd",
  frame_seconds = scenario.lognormal(5400, 0.3),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 96, "all 96 frames Done")
expect.at_least(shot:progress().finished, 4 * 3600, "it takes the night")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
