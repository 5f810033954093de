-- A render monitor polling getChangedFrames, on a 1000-frame render queued in subdivision order.
--
-- Shows: how a monitor follows a big render cheaply. It asks getChangedFrames(project, 0) once
-- (reset = true: the whole project), then every 30 seconds getChangedFrames(project, cursor)
-- with the event_id of the previous answer: the cursor only grows, and only frames that changed
-- since come back (once the render is over, none). Applying just those changes keeps the
-- monitor's picture identical to getAllFramesInfo, checked at every poll. A cursor of 0 or one
-- ahead of the tracker's counter (a tracker restarted under the monitor) answers reset = true.
--
-- Also: HQueue lists frames in "subdivision order" (ends first, then midpoints:
-- scenario.subdivision), both in startedRenderProject and as the order its jobs queue in, so the
-- first frames to render span the shot. The tracker keeps them sorted by number for readers.
--
-- Why a studio cares: a monitor on 1000 frames must not fetch 1000 frames every second, and
-- must never miss a change; subdivision order lets a supervisor judge the whole shot early.
--
-- Notable: 1000 frames of about 5 minutes (lognormal) on 200 machines, 2 frames per job.
local farm = scenario.farm{ seed = 113 }
farm:add_machines{ count = 200, speed = 1.0 }

local frames = scenario.subdivision(scenario.range(1, 1000))
expect.equal(frames[1], 1, "subdivision order starts with the first frame")
expect.equal(frames[2], 1000, "... then the last")
expect.equal(frames[3], 500, "... then the middle")

local shot = farm:submit{
  user = "jin", hip = "/jobs/harbour/sq110/sh090/lgt_wide_v002.hip",
  frames = frames, route = "ifd", frames_per_job = 2,
  frame_seconds = scenario.lognormal(300, 0.25),
}

-- The monitor's picture: frame -> {status, fraction}.
local picture, cursor = {}, 0
local function apply(answer)
  if answer.reset then picture = {} end
  for _, info in ipairs(answer.frames) do picture[info[1]] = { info[2], info[3] } end
  return answer.event_id
end
local function same_as_tracker()
  local all = farm:call("getAllFramesInfo", shot.project)
  local count = 0
  for _ in pairs(picture) do count = count + 1 end
  if count ~= #all then return false end
  for _, info in ipairs(all) do
    local mine = picture[info[1]]
    if not mine or mine[1] ~= info[2] or mine[2] ~= info[3] then return false end
  end
  return true
end

farm:run{ seconds = 30 }
local first = farm:call("getChangedFrames", shot.project, 0)
expect.truthy(first.reset, "the first poll (cursor 0) is a reset")
expect.equal(#first.frames, 1000, "... with all 1000 frames")
local sorted = true
for index = 2, #first.frames do
  if first.frames[index][1] <= first.frames[index - 1][1] then sorted = false end
end
expect.truthy(sorted, "frames come back sorted by number, though sent in subdivision order")
cursor = apply(first)

local polls, in_step, monotonic, resets, largest, returned = 0, true, true, 0, 0, 0
while shot:progress().finished == nil and polls < 2000 do
  farm:run{ seconds = 30 }
  local answer = farm:call("getChangedFrames", shot.project, cursor)
  polls = polls + 1
  if answer.event_id < cursor then monotonic = false end
  if answer.reset then resets = resets + 1 end
  returned = returned + #answer.frames
  largest = math.max(largest, #answer.frames)
  cursor = apply(answer)
  if not same_as_tracker() then in_step = false end
  if polls == 20 then
    -- By now the first wave has reached frames from across the whole shot.
    local started = {}
    for _, event in ipairs(shot:events("frame_started")) do started[#started + 1] = event.frame end
    expect.contains(started, 1000, "the last frame rendered in the first wave")
    expect.contains(started, 500, "... and the middle one")
  end
end
expect.truthy(shot:progress().finished, "the render finished while the monitor polled")
expect.truthy(monotonic, "the cursor never went back")
expect.equal(resets, 0, "no reset while the project lived")
expect.truthy(in_step, "after every poll the monitor's picture equals getAllFramesInfo")
expect.at_most(returned / polls, 250, "on average a poll returned under a quarter of the 1000 frames")
local counts = {}
for _, state in pairs(picture) do counts[state[1]] = (counts[state[1]] or 0) + 1 end
expect.equal(counts[5], 1000, "the monitor's picture ends with 1000 frames Done")

local idle = farm:call("getChangedFrames", shot.project, cursor)
expect.equal(#idle.frames, 0, "a poll after the end returns no frames")
expect.equal(idle.event_id, cursor, "... and the same cursor")
expect.truthy(farm:call("getChangedFrames", shot.project, cursor + 100000).reset, "a cursor ahead of the counter (tracker restarted) is a reset")
expect.truthy(farm:call("getChangedFrames", "jin/never_rendered", cursor).reset, "an unknown project answers reset with no frames")
-- A short render (about three waves of jobs): the estimate runs short here, though closer than
-- both baselines.
for _, milestone in ipairs({ 25, 50, 75 }) do
  local errors = shot:estimate_error(milestone)
  expect.at_most(math.abs(errors.tracker), math.min(math.abs(errors.straight_line), math.abs(errors.average_frame)),
    string.format("at %d%% done the tracker is closer than both baselines", milestone))
end
print(string.format("%d polls, %.0f frames per answer on average, largest %d (IFDs written at the start); finished after %.1f h",
  polls, returned / polls, largest, shot:progress().finished / 3600))
