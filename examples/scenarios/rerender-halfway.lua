-- Re-render halfway: a bad texture is found at 50%, and the whole render starts again.
--
-- Shows: HQueue rescheduling a whole render (render:rerender()): its jobs stop and run again
-- from the first, which sends startedRenderProject again. "Re-rendering a project clears all
-- previous knowledge about it": the tracker replaces the project, every frame Waiting again,
-- Done frames included. A monitor that polls getChangedFrames with the cursor it held from the
-- first run gets reset = true and the whole project, so it drops what it had instead of mixing
-- two runs.
--
-- Why a studio cares: re-renders after a fix are routine; a monitor showing half the frames
-- Done from the broken run would send bad frames to comp.
--
-- Notable: 300 frames of about 12 minutes on 50 machines. Frame times come from a list (one
-- per frame, by position): every tenth frame has a heavy motion-blurred crowd and takes twice
-- as long. After the rerender the farm's own progress (render:progress()) and the estimate
-- samples start again too, so estimate_error describes the second run.
local farm = scenario.farm{ seed = 83 }
farm:add_machines{ count = 50, speed = 1.0 }

local times = {}
for index = 1, 300 do times[index] = (index % 10 == 0) and 1440 or 720 end

local shot = farm:submit{
  user = "omar", hip = "/jobs/harbour/sq080/sh010/lgt_market_v011.hip",
  frames = scenario.range(1001, 1300),
  route = "ifd",
  frame_seconds = times,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
local first = shot:summary()
local cursor = farm:call("getChangedFrames", shot.project, 0).event_id
expect.equal(first.status_counts.Done, 150, "150 frames Done in the first run")
farm:run{ seconds = 120 }
local poll = farm:call("getChangedFrames", shot.project, cursor)
expect.falsy(poll.reset, "an ordinary poll in the first run is not a reset")
cursor = poll.event_id

shot:rerender()
local second = shot:summary()
expect.equal(second.status_counts.Done, 0, "after the rerender no frame is Done")
expect.equal(second.status_counts.Waiting, 300, "every frame Waiting again")
expect.equal(second.state, "running", "the project is running")
expect.truthy(second.job_id ~= "", "the project has its job id again")
local reset = farm:call("getChangedFrames", shot.project, cursor)
expect.truthy(reset.reset, "getChangedFrames with the first run's cursor answers reset = true")
expect.equal(#reset.frames, 300, "... with every frame, so the monitor can start over")
expect.at_least(reset.event_id, cursor, "the event counter never goes back")
local started = shot:events("project_started")
expect.equal(#started, 2, "project_started fired twice")
expect.truthy(started[2] and started[2].replaced, "the second project_started says it replaced the project")
expect.equal(shot:progress().done, 0, "the farm's own count starts again too")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 300, "all 300 frames Done in the second run")
expect.equal(#shot:events("project_done"), 1, "project_done fired once, at the end of the second run")
for _, milestone in ipairs({ 25, 50, 75 }) do
  local errors = shot:estimate_error(milestone)
  -- Every tenth frame takes twice as long, so every wave ends on a heavy frame; the estimate
  -- costs frames by the shot's spans and reads short (-20% to -50%) like the average frame.
  expect.at_most(math.abs(errors.tracker), math.abs(errors.average_frame) + 0.01,
    string.format("second run: estimate at %d%% done no further off than the average frame", milestone))
end
print(string.format("finished %.1f h after the first submit", shot:progress().finished / 3600))
