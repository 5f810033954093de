-- A render that cannot finish beside one that does: 2 renders on 50 machines, one frame always crashes.
--
-- Shows: two shots of one sequence submitted together. The first (200 frames, about 15
-- minutes, IFD route) renders cleanly apart from a 4% background failure rate (retries 3). The
-- second (150 frames, about 10 minutes, hip route) has a frame whose geometry is broken
-- (frame 1077): every attempt crashes early, HQueue gives up after 2 retries, and that render
-- ends failed while all its other frames render. The failed render is the point here: it is
-- not judged (it never finishes); the first is.
--
-- Why a studio cares: a render that can never finish must read failed, and its failing
-- frame's reruns still take machines from the render next to it.
--
-- Notable: one of the few renders in the set that fail on purpose.
local farm = scenario.farm{ seed = 314 }
farm:add_machines{ count = 50, speed = 1.0 }

local good = farm:submit{
  user = "dara", hip = "/jobs/wildfire/sq120/sh010/lgt_river_v011.hip",
  frames = scenario.range(1001, 1200),
  route = "ifd",
  frame_seconds = scenario.lognormal(900, 0.2),
  failure_rate = 0.04,
  retries = 3,
  error_output_bytes = 8000,
}
local broken = farm:submit{
  user = "dara", hip = "/jobs/wildfire/sq120/sh020/lgt_river_v004.hip",
  frames = scenario.range(1001, 1150),
  route = "hip",
  frame_seconds = scenario.lognormal(600, 0.2),
  fail_frames = { [1077] = 99 },
  failure_point = 0.05,
  retries = 2,
  error_output_bytes = 8000,
}

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(good:count("Done"), 200, "the first render: all 200 frames Done")
expect.equal(good:state(), "done", "the first render is done")
expect.equal(broken:status(1077), "Error", "frame 1077 stays in Error")
expect.equal(broken:count("Done"), 149, "every other frame of the second render rendered")
expect.equal(broken:state(), "failed", "the second render is failed")
print(string.format("first finished after %.1f h", good:progress().finished / 3600))
