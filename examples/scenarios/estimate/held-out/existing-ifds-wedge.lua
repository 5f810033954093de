-- Existing IFDs with failures: 150 frames of about 35 minutes on 50 machines.
--
-- Shows: a compositor asked for a holdout pass; the lighter re-renders last night's IFDs with
-- a different output (existing-IFD route: only the end of each frame, or its error, reaches
-- the tracker). The IFDs sit on a busy file server and 8% of attempts fail reading them;
-- HQueue retries up to 3 times. 150 frames on 50 machines: three waves.
--
-- Why a studio cares: these renders are invisible until frames finish, and their frame count
-- is never told; they still need a time left.
--
-- Notable: existing_ifds with failure_rate; today the project reads done whenever every known
-- frame is Done.
local farm = scenario.farm{ seed = 317 }
farm:add_machines{ count = 50, speed = 1.0 }

local shot = farm:submit{
  user = "hugo", hip = "/jobs/wildfire/sq040/sh020/lgt_holdout_v006.hip",
  frames = scenario.range(1001, 1150),
  route = "existing_ifds",
  frame_seconds = scenario.lognormal(2100, 0.2),
  failure_rate = 0.08,
  retries = 3,
  error_output_bytes = 2000,
}

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 150, "all 150 frames Done")
expect.equal(shot:count("Error"), 0, "no frame left in Error")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
