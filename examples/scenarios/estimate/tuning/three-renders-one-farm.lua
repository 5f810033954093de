-- Three renders share one farm: submitted at 20:00, 20:30 and 21:30 on 80 machines, IFD writing included.
--
-- Shows: an ordinary evening. A lighter sends a 300-frame shot (about 15 minutes a frame, IFD
-- route with heavy IFDs: 45 s a frame to write, the scene has a lot of instanced geometry); half
-- an hour later a second lighter sends a 160-frame shot of the same sequence (about 25 minutes);
-- an hour after that a third sends 120 frames from the hip file (about 8 minutes). Jobs queue
-- first come, first served, so IFD jobs of the second render take machines between frames of
-- the first, and the third render waits for both queues.
--
-- Why a studio cares: no render has the farm to itself; each artist's time left depends on
-- the others, and on machines busy writing IFDs rather than rendering.
--
-- Notable: all three renders are judged.
local farm = scenario.farm{ seed = 210 }
farm:add_machines{ count = 80, speed = 1.0 }

local first = farm:submit{
  user = "ana", hip = "/jobs/kraken/sq070/sh010/lgt_market_v020.hip",
  frames = scenario.range(1001, 1300),
  route = "ifd",
  ifd_seconds = 45,
  frame_seconds = scenario.lognormal(900, 0.2),
}
farm:run{ until_time = 1800 }
local second = farm:submit{
  user = "ben", hip = "/jobs/kraken/sq070/sh020/lgt_market_v011.hip",
  frames = scenario.range(1001, 1160),
  route = "ifd",
  ifd_seconds = 45,
  frame_seconds = scenario.lognormal(1500, 0.25),
}
farm:run{ until_time = 5400 }
local third = farm:submit{
  user = "cleo", hip = "/jobs/kraken/sq070/sh030/lgt_market_v006.hip",
  frames = scenario.range(1001, 1120),
  route = "hip",
  frame_seconds = scenario.lognormal(480, 0.2),
}

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(first:count("Done"), 300, "the first render: all 300 frames Done")
expect.equal(second:count("Done"), 160, "the second render: all 160 frames Done")
expect.equal(third:count("Done"), 120, "the third render: all 120 frames Done")
print(string.format("finished after %.1f, %.1f and %.1f h", first:progress().finished / 3600,
  second:progress().finished / 3600, third:progress().finished / 3600))
