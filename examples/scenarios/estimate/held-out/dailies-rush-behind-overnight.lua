-- Three renders on one farm: an overnight render and two shots submitted behind it, on 120 machines.
--
-- Shows: at 20:00 a lighter submits 1,000 frames of about 25 minutes (IFD route, subdivision
-- order). At 21:30 a supervisor's note comes back on another shot and its artist submits 90
-- frames of about 40 minutes (hip route); at 22:00 a comp-critical element of 60 frames of
-- about 5 minutes is submitted (hip route, 2 frames per job). First come, first served: both
-- wait until the overnight render's queue empties, then get machines as it finishes, the
-- small one last.
--
-- Why a studio cares: the renders queued behind a big one are the ones people ask about; each
-- estimate should know the farm is someone else's first.
--
-- Notable: three renders judged, of very different sizes; 20 of the machines are older (0.7).
local HOUR = 3600
local farm = scenario.farm{ seed = 312 }
farm:add_machines{ count = 100, speed = 1.0 }
farm:add_machines{ count = 20, speed = 0.7, prefix = "old" }

local overnight = farm:submit{
  user = "ugo", hip = "/jobs/wildfire/sq080/sh010/lgt_valley_wide_v030.hip",
  frames = scenario.subdivision(scenario.range(1001, 2000)),
  route = "ifd",
  frame_seconds = scenario.lognormal(1500, 0.2),
}
farm:run{ until_time = 1.5 * HOUR }
local notes = farm:submit{
  user = "val", hip = "/jobs/wildfire/sq080/sh030/lgt_valley_cu_v012.hip",
  frames = scenario.range(1001, 1090),
  route = "hip",
  frame_seconds = scenario.lognormal(2400, 0.2),
}
farm:run{ until_time = 2 * HOUR }
local element = farm:submit{
  user = "wes", hip = "/jobs/wildfire/sq080/sh030/fx_embers_elem_v005.hip",
  frames = scenario.range(1001, 1060),
  route = "hip",
  frames_per_job = 2,
  frame_seconds = scenario.lognormal(300, 0.3),
}

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(overnight:count("Done"), 1000, "the overnight render: all 1000 frames Done")
expect.equal(notes:count("Done"), 90, "the notes render: all 90 frames Done")
expect.equal(element:count("Done"), 60, "the element: all 60 frames Done")
print(string.format("finished after %.1f, %.1f and %.1f h", overnight:progress().finished / HOUR,
  notes:progress().finished / HOUR, element:progress().finished / HOUR))
