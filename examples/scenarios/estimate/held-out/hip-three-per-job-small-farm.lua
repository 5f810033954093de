-- Three frames per job on a small farm: 270 frames of about 6 minutes, hip route, 16 machines.
--
-- Shows: a small studio's lookdev turntable (270 frames) rendered from the hip file with 3
-- frames per job on its 16 machines, 4 of them older (speed 0.75). 90 jobs of about 18 minutes
-- is five and a half waves; frames get a little heavier as the turntable brings the
-- detailed side of the asset round (ramp 300 to 420 s).
--
-- Why a studio cares: small farms are most of the market; with 16 machines the last wave is
-- a few jobs with their frames in series.
--
-- Notable: frames_per_job = 3, mixed speeds, a mild ramp.
local farm = scenario.farm{ seed = 308 }
farm:add_machines{ count = 12, speed = 1.0 }
farm:add_machines{ count = 4, speed = 0.75, prefix = "old" }

local shot = farm:submit{
  user = "sam", hip = "/jobs/smallco/assets/dragon/lookdev_turntable_v007.hip",
  frames = scenario.range(1, 270),
  route = "hip",
  frames_per_job = 3,
  frame_seconds = scenario.ramp(300, 420, 0.15),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 270, "all 270 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
