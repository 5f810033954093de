/// The Lua that runs first in a scenario's state: the DSL (`scenario`, the farm and render
/// objects, `expect`) written over the host functions, and `run_scenario`, which Swift calls with
/// the script. docs/scenarios.md documents what scripts see.
enum ScenarioPrelude {
    /// The `HOST` table is generated from `ScenarioHostFunction`.
    static let text = #"""
local host = host
_G.host, _G.host_call_stopped, _G.host_stop_sentinel = nil, nil, nil
\#(ScenarioHostFunction.luaTable)
local pcall, error, type, tostring, pairs, ipairs, select = pcall, error, type, tostring, pairs, ipairs, select
local string, table, math = string, table, math

-- `file.lua:12`: the first line up the stack outside this prelude, the script line that checked.
local function where()
  for level = 3, 20 do
    local _, message = pcall(error, "", level)
    local location = tostring(message):gsub(":%s*$", "")
    if location ~= "" and not location:find("^prelude:") then return location end
  end
  return ""
end

-- Catches misspelt options, which would otherwise be ignored silently.
local function check_options(what, options, known)
  if options == nil then return {} end
  if type(options) ~= "table" then error(what .. ": expected a table of options, got " .. type(options), 3) end
  for key in pairs(options) do
    if not known[key] then
      local names = {}
      for name in pairs(known) do names[#names + 1] = name end
      table.sort(names)
      error(what .. ": unknown option " .. tostring(key) .. " (known: " .. table.concat(names, ", ") .. ")", 3)
    end
  end
  return options
end

local function set(...)
  local result = {}
  for _, name in ipairs({...}) do result[name] = true end
  return result
end

-- Deterministic numbers in [0, 1) for a seed (xorshift64), the same on every machine.
local function generator(seed)
  local state = (math.tointeger(seed) or 1) * 0x9E3779B97F4A7C15 ~ 0x2545F4914F6CDD1D
  if state == 0 then state = 1 end
  return function()
    state = state ~ (state << 13)
    state = state ~ (state >> 7)
    state = state ~ (state << 17)
    return (state >> 11) / 9007199254740992.0
  end
end

local function gaussian(random)
  return math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random())
end

scenario = {}

-- Frame times: each is a function(frame, random, index, count) giving seconds at speed 1.
function scenario.constant(seconds)
  return function() return seconds end
end
function scenario.uniform(low, high)
  return function(_, random) return low + (high - low) * random() end
end
function scenario.normal(mean, deviation)
  return function(_, random) return math.max(mean * 0.05, mean + deviation * gaussian(random)) end
end
function scenario.lognormal(median, spread)
  return function(_, random) return median * math.exp(spread * gaussian(random)) end
end
-- Frames that get heavier (or lighter) through the shot, with lognormal jitter.
function scenario.ramp(first, last, jitter)
  jitter = jitter or 0
  return function(_, random, index, count)
    local base = first + (last - first) * (index - 1) / math.max(1, count - 1)
    return base * math.exp(jitter * gaussian(random))
  end
end

function scenario.range(first, last, step)
  local frames = {}
  for frame = first, last, step or 1 do frames[#frames + 1] = frame end
  return frames
end

-- HQueue's subdivision order: ends first, then midpoints, so early frames span the shot.
function scenario.subdivision(frames)
  local count, result, seen = #frames, {}, {}
  local function take(index)
    if index >= 1 and index <= count and not seen[index] then
      seen[index] = true
      result[#result + 1] = frames[index]
    end
  end
  take(1)
  take(count)
  local intervals = { {1, count} }
  while #intervals > 0 do
    local next_intervals = {}
    for _, interval in ipairs(intervals) do
      local low, high = interval[1], interval[2]
      if high - low > 1 then
        local middle = (low + high) // 2
        take(middle)
        next_intervals[#next_intervals + 1] = {low, middle}
        next_intervals[#next_intervals + 1] = {middle, high}
      end
    end
    intervals = next_intervals
  end
  return result
end

local function show(value)
  if type(value) == "string" then return string.format("%q", value) end
  if math.type(value) == "float" then return string.format("%.6g", value) end
  return tostring(value)
end

local function percent(fraction) return string.format("%.1f%%", fraction * 100) end

-- Every check reports one line.
local function report(passed, label, detail)
  host(HOST.report, passed and true or false, tostring(label or "expectation"), detail, where())
  return passed
end

local function number_check(what, actual, label)
  if type(actual) == "number" then return true end
  report(false, label, "got " .. show(actual) .. ", expected a number (" .. what .. ")")
  return false
end

expect = {}
function expect.equal(actual, expected, label)
  return report(actual == expected, label, actual == expected and show(actual) or "got " .. show(actual) .. ", expected " .. show(expected))
end
-- Within `tolerance` of `expected`, relative to it: near(x, 100, 0.1) accepts 90 to 110.
function expect.near(actual, expected, tolerance, label)
  if not number_check("near " .. show(expected), actual, label) then return false end
  local off = math.abs(actual - expected) / math.max(math.abs(expected), 1e-9)
  return report(off <= tolerance, label,
    string.format("%s against %s: off by %s, allowed %s", show(actual), show(expected), percent(off), percent(tolerance)))
end
function expect.at_most(actual, limit, label)
  if not number_check("at most " .. show(limit), actual, label) then return false end
  return report(actual <= limit, label, show(actual) .. (actual <= limit and " <= " or " > ") .. show(limit))
end
function expect.at_least(actual, limit, label)
  if not number_check("at least " .. show(limit), actual, label) then return false end
  return report(actual >= limit, label, show(actual) .. (actual >= limit and " >= " or " < ") .. show(limit))
end
function expect.truthy(value, label)
  return report(value and true or false, label, "got " .. show(value))
end
function expect.falsy(value, label)
  return report(not value, label, "got " .. show(value))
end
-- A string containing `part` (plain text), or a list containing the value.
function expect.contains(haystack, part, label)
  local found = false
  if type(haystack) == "string" then
    found = haystack:find(tostring(part), 1, true) ~= nil
  elseif type(haystack) == "table" then
    for _, value in ipairs(haystack) do if value == part then found = true end end
  end
  return report(found, label, (found and "contains " or "does not contain ") .. show(part))
end

local SUBMIT_OPTIONS = set(
  "project", "user", "hip", "frames", "route", "frame_seconds", "ifd_seconds", "ifd_frames_per_job", "prepare_seconds",
  "frames_per_job", "tiles", "download_seconds", "download_slots", "progress_reports", "fail_frames", "failure_rate",
  "failure_point", "retries", "error_output_bytes", "project_error", "spurious_driver_error", "job_id",
  "priority", "startup_seconds", "retry_seconds_factor", "tile_weights")

local farm_made = false

function scenario.farm(options)
  options = check_options("scenario.farm", options, set("seed", "lost_machine_seconds"))
  if farm_made then error("scenario.farm: a scenario has one farm", 2) end
  farm_made = true
  -- The seed the farm runs with: the script's, moved on for another seed set (--seeds).
  local seed = host(HOST.new_farm, options.seed or 1, options.lost_machine_seconds)
  local farm, renders_made, status_names = {}, 0, nil

  function farm:add_machines(spec)
    spec = check_options("farm:add_machines", spec, set("count", "speed", "prefix", "failure_rate", "boot_seconds"))
    return host(HOST.add_machines, spec.count or 1, spec.speed or 1.0, spec.prefix or "render", spec.failure_rate or 0, spec.boot_seconds or 0)
  end

  function farm:remove_machines(spec)
    spec = check_options("farm:remove_machines", spec, set("count", "prefix", "drain"))
    return host(HOST.remove_machines, spec.count or 1, spec.prefix, spec.drain and true or false)
  end

  -- Machines (those named prefix-..., or all) render at `speed` from their next frame on.
  function farm:set_speed(spec)
    spec = check_options("farm:set_speed", spec, set("speed", "prefix"))
    return host(HOST.set_speed, spec.speed, spec.prefix)
  end

  -- Runs the farm in virtual time: until nothing is left ({}), for `seconds`, until `until_time`,
  -- or until `render` has `until_done` of its frames done. Returns "reached", "idle" or "stuck".
  function farm:run(spec)
    spec = check_options("farm:run", spec, set("seconds", "until_time", "until_done", "render"))
    if spec.until_done ~= nil and type(spec.render) ~= "table" then
      error("farm:run: until_done needs render = the render it counts frames of", 2)
    end
    return host(HOST.run, spec.seconds, spec.until_time, spec.until_done, spec.render and spec.render.index)
  end

  function farm:now() return host(HOST.now) end

  function farm:machines()
    local alive, busy = host(HOST.machines)
    return { alive = alive, busy = busy }
  end

  -- Any RPC, as a client would send it: the result, or nil and the fault message.
  function farm:call(method, ...)
    local ok, result = host(HOST.call, method, select("#", ...), {...})
    if ok then return result end
    return nil, result
  end

  -- Hook events the tracker's writes stood for, oldest first; filter = {project =, name =}.
  function farm:events(filter)
    filter = check_options("farm:events", filter, set("project", "name"))
    return host(HOST.events, filter.project, filter.name)
  end

  -- What plugins sent (captured, never delivered): {plugin, kind, url, body, headers} or {plugin, kind, argv, input}.
  function farm:notifications() return host(HOST.notifications) end

  function farm:submit(spec)
    spec = check_options("farm:submit", spec, SUBMIT_OPTIONS)
    if type(spec.frames) ~= "table" or #spec.frames == 0 then
      error("farm:submit: frames must be a list of frame numbers, e.g. scenario.range(1, 100)", 2)
    end
    renders_made = renders_made + 1
    local random = generator(seed * 1000 + renders_made)
    local given, times = spec.frame_seconds or 60, {}
    for index, frame in ipairs(spec.frames) do
      if type(given) == "number" then times[index] = given
      elseif type(given) == "function" then times[index] = given(frame, random, index, #spec.frames)
      elseif type(given) == "table" then times[index] = given[index]
      else error("farm:submit: frame_seconds must be a number, a list or a function, got " .. type(given), 2) end
    end
    local plain = {}
    for key, value in pairs(spec) do plain[key] = value end
    plain.frame_seconds = times
    local index, project = host(HOST.submit, plain)
    return farm:render_object(index, project)
  end

  -- What the tracker knows of a project, by name: a simulated render's and a replayed one's alike.
  local function project_object(project)
    local render = { project = project }
    function render:summary() return (farm:call("getProjectSummary", self.project)) end
    function render:count(status)
      local summary = self:summary()
      return summary and summary.status_counts[status] or 0
    end
    function render:state()
      local summary = self:summary()
      return summary and summary.state
    end
    function render:status(frame)
      status_names = status_names or farm:call("getFrameStatusNames")
      for _, info in ipairs(farm:call("getAllFramesInfo", self.project) or {}) do
        if info[1] == frame then return status_names[info[2] + 1] end
      end
      return nil
    end
    function render:estimate() return (farm:call("getEstimatedRenderSecondsLeft", self.project)) end
    function render:events(name) return farm:events({ project = self.project, name = name }) end
    return render
  end

  function farm:render_object(index, project)
    local render = project_object(project)
    render.index = index
    function render:rerender() host(HOST.rerender, self.index) end
    -- The farm's own view: {done, total, started, finished, failed}, times in virtual seconds.
    function render:progress() return host(HOST.progress, self.index) end
    -- Errors of the estimates at `percent` done against the truth, once the render finished:
    -- {tracker, straight_line, average_frame}, each a fraction (+0.1 = 10% too long) or nil.
    function render:estimate_error(percent_done)
      return host(HOST.estimate_errors, self.index, percent_done)
    end
    return render
  end

  -- Replays render logs into this farm's tracker, on the farm's timeline: `file` or `files` (one
  -- after another), the window `from`/`to` (seconds after the log's first call), `speed`, and `at`
  -- (the farm second the window's start lands on; now by default). Relative paths start at the
  -- script's folder.
  function farm:replay(spec)
    spec = check_options("farm:replay", spec, set("file", "files", "from", "to", "speed", "at"))
    if spec.file ~= nil and spec.files ~= nil then error("farm:replay: give file or files, not both", 2) end
    local files = spec.files or { spec.file }
    if type(files) ~= "table" or #files == 0 then
      error("farm:replay: file must be a render log's path, or files a list of paths", 2)
    end
    local replay = { index = host(HOST.replay, files, spec.from, spec.to, spec.speed, spec.at) }

    -- Runs the log (and the farm beside it): to its end ({}), for `seconds`, until `until_time`,
    -- until `project` has `until_done` of its frames Done, or `until_notification` (a plugin sent
    -- something). Returns "reached", or "ended" when the log ended first.
    function replay:run(options)
      options = check_options("replay:run", options, set("seconds", "until_time", "until_done", "project", "until_notification"))
      if options.until_done ~= nil and type(options.project) ~= "string" then
        error("replay:run: until_done needs project = the name of the project it counts frames of", 2)
      end
      return host(HOST.replay_run, self.index, options.seconds, options.until_time, options.until_done, options.project,
        options.until_notification and true or false)
    end

    -- Runs the log to its end, calling fn(notification) at the moment each plugin notification is sent.
    function replay:each_notification(fn)
      local seen = #farm:notifications()
      while true do
        local result = self:run{ until_notification = true }
        local all = farm:notifications()
        for index = seen + 1, #all do fn(all[index]) end
        seen = #all
        if result ~= "reached" then return result end
      end
    end

    -- calls, faults, first_faults, restarts, ended, projects, line (FILE:LINE last sent), log_time.
    function replay:summary() return host(HOST.replay_info, self.index) end
    function replay:projects() return self:summary().projects end

    -- A replayed project: what the tracker knows (summary, count, state, status, estimate, events),
    -- and from the log: progress() {done, total, started, finished} and estimate_error(percent).
    function replay:project(name)
      local project = project_object(name)
      function project:progress() return host(HOST.replay_progress, replay.index, name) end
      function project:estimate_error(percent_done) return host(HOST.replay_estimate_errors, replay.index, name, percent_done) end
      return project
    end
    return replay
  end

  return farm
end

-- `scenario run LOG.jsonl` and `eta-report LOG.jsonl`: the log replayed alone, to its end.
function replay_log(name)
  local ok, message = pcall(function() scenario.farm{}:replay{ file = name }:run() end)
  if not ok then
    if type(message) == "string" then message = message:gsub("^prelude:%d+: ", "") end
    error(message, 0)
  end
end

local function environment()
  local env = {
    scenario = scenario, expect = expect, _VERSION = _VERSION,
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, select = select,
    tonumber = tonumber, tostring = tostring, type = type, pcall = pcall, xpcall = xpcall,
    rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = rawset,
    getmetatable = getmetatable, setmetatable = setmetatable,
    string = string, table = table, math = math, utf8 = utf8,
    os = { time = os.time, date = os.date, clock = os.clock },
  }
  function env.print(...)
    local parts = {}
    for index = 1, select("#", ...) do parts[index] = tostring((select(index, ...))) end
    host(HOST.print, table.concat(parts, "\t"))
  end
  env._G = env
  return env
end

-- Loads the script's text (never bytecode) and runs it.
function run_scenario(name, code)
  local chunk, message = load(code, "@" .. name, "t", environment())
  if not chunk then error(message, 0) end
  chunk()
end
"""#
}
