-- Render from the hip file: 240 frames, 3 frames per job, on 40 machines.
--
-- Shows: the render-from-hip route, where a prepare job sends startedRenderProject with
-- generate_ifds = false and render jobs report the end of each frame as setFrameRenderFraction
-- 100.0 (a percentage) rather than 1.0. The tracker must read 100.0 as "done", not clamp it or
-- count it as one hundred frames' worth. Jobs take three frames each (frames_per_job = 3, as
-- an HQueue "frames per job" setting of 3), so a machine renders frames one after another
-- without the farm re-dispatching; frames get heavier through the shot (a character walks
-- into a smoke plume: scenario.ramp from 8 to 20 minutes).
--
-- The ramp makes this scenario hard for any estimate: frames done so far are lighter than the
-- frames ahead, so the tracker (like both baselines) says too short; it is checked to be the
-- closest of the three, not to be accurate.
--
-- Why a studio cares: most lookdev and FX renders go from the hip file; if 100.0 were
-- misread, every such project would look stuck at "Rendering" or finish in the first second.
--
-- Notable calls: getAllFramesInfo answers [frame, status_index, fraction] with fraction 1 for
-- Done frames, whichever scale the client used; doesProjectGenerateIFDs tells the routes apart.
local farm = scenario.farm{ seed = 11 }
farm:add_machines{ count = 40, speed = 1.0 }

local shot = farm:submit{
  user = "mika", hip = "/jobs/harbour/sq040/sh120/fx_smoke_v012.hip",
  frames = scenario.range(1001, 1240),
  route = "hip",
  frames_per_job = 3,
  frame_seconds = scenario.ramp(480, 1200, 0.15),
}
expect.equal(shot.project, "mika/fx_smoke_v012", "project named user/hip by the built-in formula")

expect.equal(farm:run{ until_done = 0.25, render = shot }, "reached", "a quarter of the frames render")
expect.falsy(farm:call("doesProjectGenerateIFDs", shot.project), "a hip render does not generate IFDs")
expect.equal(shot:count("Generating IFD") + shot:count("IFD Ready"), 0, "no frame ever passes through the IFD states")
expect.at_most(shot:count("Rendering"), 40, "never more frames Rendering than machines")
expect.at_least(shot:count("Rendering"), 30, "the farm is busy: most machines show a frame Rendering")

-- A frame that finished with 100.0 reads as Done at fraction 1, not as 100.
local finished
for _, info in ipairs(farm:call("getAllFramesInfo", shot.project)) do
  if info[2] == 5 then finished = info break end
end
expect.truthy(finished, "a Done frame in getAllFramesInfo")
expect.equal(finished and finished[3], 1.0, "a frame finished with 100.0 shows fraction 1.0")
expect.truthy(shot:estimate(), "an estimate at 25% done")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 240, "all 240 frames Done")
expect.equal(shot:state(), "done", "the project is done")
expect.equal(#shot:events("project_done"), 1, "project_done fired once")
expect.equal(shot:estimate(), 0.0, "a done project has 0 seconds left")

-- Three frames per job: frame 1002 was rendered by the same job as 1001.
expect.equal(farm:call("getFrameJobID", shot.project, 1001), farm:call("getFrameJobID", shot.project, 1003),
  "frames 1001-1003 share one render job")

-- Frames that get heavier through the shot are hostile to every estimate made from the frames
-- done so far. The tracker follows the shot's trend into the frames ahead, so it is within 25%
-- on every seed set (both baselines stay short), and the closest of the three.
for _, milestone in ipairs({ 25, 50, 75 }) do
  local errors = shot:estimate_error(milestone)
  expect.at_most(math.abs(errors.tracker), 0.25, string.format("at %d%% done the estimate is within 25%% (the frames ahead are heavier)", milestone))
  expect.at_most(math.abs(errors.tracker), math.min(math.abs(errors.straight_line), math.abs(errors.average_frame)),
    string.format("at %d%% done the tracker is closer than both baselines", milestone))
end
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
