-- Machines lost mid-render: a rack of 25 of 100 machines loses power at 30% done.
--
-- Shows: what the tracker sees when machines vanish. A lost machine sends nothing more: its
-- frame stays Rendering with no progress until HQueue notices the machine is gone (here after
-- 10 minutes, lost_machine_seconds = 600) and reruns the job elsewhere, whose startedFrameRender
-- takes the frame over. Until then the tracker shows 25 more frames Rendering than machines at
-- work. A monitor polling getChangedFrames finds those 25 frames silent.
--
-- Why a studio cares: stalled frames are the first sign of a dead rack; and the time left must
-- recover once the farm is smaller. The stall-alert plugin turns these silences into alerts:
-- see with-plugins/stall-alert.lua (this scenario runs without plugins).
--
-- Notable: farm:remove_machines takes busy machines first (the losses that matter). Losing
-- machines is hostile to any estimate made before the loss (the farm it assumed is gone), so the
-- estimate error before the loss is printed, not bounded. A rerun's startedFrameRender restarts
-- the frame's render clock although the frame never left Rendering, so the rerun frames' render
-- times are their own and the estimate holds once the reruns finish.
local farm = scenario.farm{ seed = 59, lost_machine_seconds = 600 }
farm:add_machines{ count = 75, speed = 1.0 }
farm:add_machines{ count = 25, speed = 1.0, prefix = "rack7" }

local shot = farm:submit{
  user = "priya", hip = "/jobs/harbour/sq060/sh020/lgt_rain_v009.hip",
  frames = scenario.range(1001, 1500),
  route = "ifd",
  frame_seconds = scenario.lognormal(1500, 0.2),
}

expect.equal(farm:run{ until_done = 0.3, render = shot }, "reached", "30% of the frames render")
local lost = farm:remove_machines{ count = 25, prefix = "rack7" }
expect.equal(#lost, 25, "25 machines of rack 7 are gone")
expect.equal(farm:machines().alive, 75, "75 machines left")
local cursor = farm:call("getChangedFrames", shot.project, 0).event_id

-- Five minutes on: every frame still on a live machine has reported progress; the 25 have not.
farm:run{ seconds = 300 }
expect.equal(shot:count("Rendering") - farm:machines().busy, 25, "25 more frames Rendering than machines at work")
local changed = {}
for _, info in ipairs(farm:call("getChangedFrames", shot.project, cursor).frames) do changed[info[1]] = true end
local silent = 0
for _, info in ipairs(farm:call("getAllFramesInfo", shot.project)) do
  if info[2] == 3 and not changed[info[1]] then silent = silent + 1 end
end
expect.equal(silent, 25, "getChangedFrames: 25 Rendering frames sent nothing in 5 minutes")

-- HQueue notices after 10 minutes and reruns the lost jobs first, as machines free up.
farm:run{ seconds = 600 + 900 }
expect.equal(shot:count("Rendering"), farm:machines().busy, "after the reschedule every Rendering frame has a machine again")
local estimate_after = shot:estimate()
local time_after = farm:now()
expect.truthy(estimate_after, "an estimate after the reschedule")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 500, "all 500 frames Done despite the lost rack")
expect.equal(shot:state(), "done", "the project is done")
expect.equal(#shot:events("frame_error"), 0, "a lost machine is not an error: no frame_error")
local truth_after = shot:progress().finished - time_after
expect.near(estimate_after, truth_after, 0.10, "the estimate 15 minutes after the loss is within 10% (75 machines assumed)")

-- The rerun's startedFrameRender finds the frame still Rendering (the lost attempt never ended).
-- Its render time must count from the rerun, not span the stall and both renders: frame_done's
-- `started` says which, and these times feed the estimate's frame-time samples.
local function seconds(line)
  local day, hour, minute, second = line:match("^%d+%-%d+%-(%d+)T(%d+):(%d+):([%d.]+)Z")
  return ((tonumber(day) * 24 + tonumber(hour)) * 60 + tonumber(minute)) * 60 + tonumber(second)
end
local reruns, inflated = 0, 0
for _, event in ipairs(shot:events("frame_done")) do
  local log, starts = farm:call("getFrameLog", shot.project, event.frame), {}
  for _, line in ipairs(log) do
    if line:find("Rendering by job", 1, true) then starts[#starts + 1] = seconds(line) end
  end
  if #starts > 1 then
    reruns = reruns + 1
    -- the event's render time against the rerun's own (last start to finish)
    local rerun_seconds = seconds(log[#log]) - starts[#starts]
    if event.finished - event.started > rerun_seconds + 600 then inflated = inflated + 1 end
  end
end
expect.equal(reruns, 25, "25 frames were rendered twice (lost, then rerun)")
expect.equal(inflated, 0, "no rerun frame counts its render time from the lost attempt's start")
expect.at_most(math.abs(shot:estimate_error(50).tracker), 0.10, "estimate within 10% at 50% done")
expect.at_most(math.abs(shot:estimate_error(75).tracker), 0.20, "estimate within 20% at 75% done (every seed set)")
local before = shot:estimate_error(25)
print(string.format("estimate error at 25%% (before the loss): %+.1f%%; finished after %.1f h",
  100 * before.tracker, shot:progress().finished / 3600))
