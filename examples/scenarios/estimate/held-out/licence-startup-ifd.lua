-- Start-up cost per job through IFDs: 360 frames of about 5 minutes, 3 per job, each job 2 minutes to start, on 30 machines.
--
-- Needs the scenario-language extensions (startup_seconds).
--
-- Shows: every mantra job first checks out a render licence from a busy licence server and
-- pulls its procedurals and textures to local disk: about 2 minutes before its first frame,
-- during which the tracker hears nothing. Jobs take 3 frames (about 17 minutes a job with the
-- start-up). 120 jobs on 30 machines: four waves. IFD route, lognormal spread 0.25.
--
-- Why a studio cares: the start-up is wasted time that frame times do not show; with short
-- frames it is a tenth of the night.
--
-- Notable: startup_seconds = 120 with frames_per_job = 3 on the IFD route.
local farm = scenario.farm{ seed = 502 }
farm:add_machines{ count = 30, speed = 1.0 }

local shot = farm:submit{
  user = "dov", hip = "/jobs/wildfire/sq150/sh060/lgt_tents_v010.hip",
  frames = scenario.range(1001, 1360),
  route = "ifd",
  frames_per_job = 3,
  startup_seconds = 120,
  frame_seconds = scenario.lognormal(300, 0.25),
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 360, "all 360 frames Done")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
