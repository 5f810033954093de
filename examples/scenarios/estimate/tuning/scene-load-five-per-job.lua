-- A heavy scene load per job: 400 frames of about 8 minutes, 5 per job, each job loading for 5 minutes, on 50 machines.
--
-- Needs the scenario-language extensions (startup_seconds).
--
-- Shows: a set-dressed environment whose hip file pulls in 40 GB of USD layers and caches:
-- every render job spends about 5 minutes loading the scene (and checking out a licence)
-- before its first frame, and the tracker hears nothing in that time. With 5 frames per job
-- the load is paid once per five frames, so a job is about 45 minutes. 80 jobs on 50 machines:
-- a wave and a half. Hip route, lognormal spread 0.2.
--
-- Why a studio cares: on heavy scenes the load time is a real share of the night; a machine
-- that is loading looks idle to the tracker although it is taken.
--
-- Notable: startup_seconds with frames_per_job.
local farm = scenario.farm{ seed = 402 }
farm:add_machines{ count = 50, speed = 1.0 }

local shot = farm:submit{
  user = "dag", hip = "/jobs/kraken/sq160/sh030/lgt_village_v026.hip",
  frames = scenario.range(1001, 1400),
  route = "hip",
  frames_per_job = 5,
  startup_seconds = 300,
  frame_seconds = scenario.lognormal(480, 0.2),
}

farm:run{ seconds = 120 }
expect.equal(shot:count("Rendering"), 0, "two minutes in, every job is still loading the scene")
expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 400, "all 400 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
