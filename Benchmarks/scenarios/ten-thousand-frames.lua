-- Benchmark: 10,000 frames on 500 machines, IFD route, in virtual time.
-- Run by Benchmarks/scenario.sh; the issue's target is under 10 s of wall time.
local farm = scenario.farm{ seed = 2026 }
farm:add_machines{ count = 400, speed = 1.0 }
farm:add_machines{ count = 100, speed = 0.7, prefix = "old" }
local shot = farm:submit{
  user = "bench", hip = "/jobs/bench/sq100/sh100/fx_v012.hip",
  frames = scenario.range(1, 10000),
  route = "ifd",
  frame_seconds = scenario.lognormal(600, 0.3),
  ifd_frames_per_job = 50,
}
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 10000, "all 10,000 frames are Done")
