--[[
eta-throughput.lua: an alternative "time left" for running renders.

How it estimates
----------------
The farm renders `M` frames at once and a frame takes about `D` seconds, so
it finishes frames at a rate of M / D. How it compares with the built-in
estimate:

1. D is the median of the recent render times (the last 32 frames seen from
   start to finish), not their mean: one frame that took ten times longer
   (a heavy sim frame, a machine swapping) does not move it.

2. The end of the render is modelled in waves. Frames still queued start only
   when a machine frees up, so each machine's finish time is when its current
   frame ends plus D for every queued frame it will pick up. With 10 machines
   and 3 frames queued, the answer is "the third-earliest machine to free up,
   plus one frame", not "3/10 of a frame". The estimate is the latest
   machine's finish time, plus one typical download when frames download
   after rendering. The built-in estimate models the waves the same way and
   also adds the spread of frame times to the last one (the longest of the
   final frames runs long); this plugin does not.

3. The result is blended with the built-in estimate (`project.builtin`),
   trusting this one more as evidence grows: with n recent render times the
   weight of this estimate is (n + 1) / (n + 5), so 0.2 with none, 0.5 with 3,
   0.9 with the full 32. Early numbers are noisy; two different views of the
   same evidence disagree less than either alone.

M is the number of frames rendering now; between waves (none rendering,
frames still queued) it is the most frames ever seen rendering at once.

Without its own evidence (fewer than `min_samples` render times and no frame
far enough along to say how long it will take; or no frame ever seen
rendering) it answers the built-in estimate, which is nil (unknown) when the
built-in has no evidence either. It never guesses.

It reads only the project's counts, the frames in flight and the recent
render and download times, never the full frame list, so it costs the same
for a 100-frame render and a 100,000-frame one (the list is not even sent
above 20,000 frames).

Settings (eta-throughput.conf, or RENDERTRACKER_ETA_THROUGHPUT_<KEY> in the
environment, which wins over the file):

  min_samples     Recent render times needed before their median is trusted;
                  with fewer, the frames in flight give D (elapsed time over
                  fraction done, median over frames at least 10% along).
                  default: 3
  builtin_weight  The built-in estimate's share of the answer: a number from 0
                  (this estimate only) to 1 (the built-in only), or auto for
                  4 / (n + 5) with n recent render times. default: auto

Example eta-throughput.conf:

    min_samples = 5
    builtin_weight = 0.3
]]

local setting = tracker.setting

local MIN_SAMPLES = math.tointeger(tonumber(setting("min_samples", "3")))
if not MIN_SAMPLES or MIN_SAMPLES < 1 then
  error("eta-throughput: setting min_samples must be a whole number, at least 1", 0)
end
local BUILTIN_WEIGHT = setting("builtin_weight", "auto"):lower()
if BUILTIN_WEIGHT ~= "auto" then
  BUILTIN_WEIGHT = tonumber(BUILTIN_WEIGHT)
  if not BUILTIN_WEIGHT or not (BUILTIN_WEIGHT >= 0 and BUILTIN_WEIGHT <= 1) then
    error("eta-throughput: setting builtin_weight must be auto or a number from 0 to 1", 0)
  end
end

-- A frame must be this far along before its own rate says anything.
local MIN_FRACTION = 0.1

local function median(values)
  local sorted = table.move(values, 1, #values, 1, {})
  table.sort(sorted)
  local count = #sorted
  if count == 0 then return nil end
  if count % 2 == 1 then return sorted[(count + 1) // 2] end
  return (sorted[count // 2] + sorted[count // 2 + 1]) / 2
end

-- Seconds until a rendering frame is done: its own rate (elapsed over fraction) blended with the
-- typical frame's remaining time, trusting its own rate more the further along it is.
local function render_left(frame, now, typical)
  local fraction = frame.render_fraction or frame.fraction or 0
  local prior = typical * (1 - fraction)
  local elapsed = frame.started and (now - frame.started) or 0
  if fraction < MIN_FRACTION or elapsed <= 0 then return prior end
  local own = elapsed * (1 - fraction) / fraction
  return fraction * own + (1 - fraction) * prior
end

-- This plugin's own answer, or nil without evidence.
local function own_estimate(project)
  local counts = project.counts or {}
  local queued = (counts["Waiting"] or 0) + (counts["Generating IFD"] or 0) + (counts["IFD Ready"] or 0)
  local now = project.now
  local rendering, downloading = {}, {}
  for _, frame in ipairs(project.frames_in_flight or {}) do
    if frame.status == "Rendering" then
      rendering[#rendering + 1] = frame
    elseif frame.status == "Downloading" then
      downloading[#downloading + 1] = frame
    end
  end
  if queued == 0 and #rendering == 0 then return nil end  -- only downloads left: the built-in knows those

  local samples = project.recent_render_seconds or {}
  local typical
  if #samples >= MIN_SAMPLES then
    typical = median(samples)
  else
    local implied = {}
    for _, frame in ipairs(rendering) do
      local fraction = frame.render_fraction or 0
      local elapsed = frame.started and (now - frame.started) or 0
      if fraction >= MIN_FRACTION and elapsed > 0 then implied[#implied + 1] = elapsed / fraction end
    end
    typical = median(implied)
  end
  if not typical or typical <= 0 then return nil end

  -- When each machine frees up: the frames rendering now, or (between waves) every machine now.
  local free = {}
  for _, frame in ipairs(rendering) do free[#free + 1] = render_left(frame, now, typical) end
  if #free == 0 then
    for index = 1, project.rendering_peak or 0 do free[index] = 0 end
  end
  local machines = #free
  if machines == 0 then return nil end
  table.sort(free)

  -- Queued frames go to machines as they free up: each machine takes `rounds` of them and the
  -- `extra` earliest to free up take one more.
  local rounds, extra = queued // machines, queued % machines
  local finish = 0
  for index, at in ipairs(free) do
    local frames = rounds + (index <= extra and 1 or 0)
    finish = math.max(finish, at + frames * typical)
  end

  -- Downloads after rendering: one typical download after the last render, and any download in
  -- flight that would end later.
  local download = median(project.recent_download_seconds or {})
  if download then
    finish = finish + download
    for _, frame in ipairs(downloading) do
      finish = math.max(finish, download * (1 - (frame.download_fraction or 0)))
    end
  end
  return finish, #samples
end

tracker.set_estimator(function(project)
  local builtin = project.builtin
  local own, samples = own_estimate(project)
  if not own then return builtin end
  if not builtin then return own end
  local weight = BUILTIN_WEIGHT
  if weight == "auto" then weight = 4 / (samples + 5) end
  return (1 - weight) * own + weight * builtin
end)
