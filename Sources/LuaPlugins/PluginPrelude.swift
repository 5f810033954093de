/// The Lua that runs first in every plugin state, with the full safe libraries. It builds each
/// plugin's sandbox (its own environment with copies of the safe libraries and its own `tracker`
/// table) and keeps the registrations. Swift calls the globals it defines: `load_plugin`,
/// `run_formula`, `run_estimator`, `run_hooks`.
enum PluginPrelude {
    /// The `HOST` table is generated from `PluginHostFunction`.
    static let text = #"""
local host, stopped, STOP = host, host_call_stopped, host_stop_sentinel
_G.host, _G.host_call_stopped, _G.host_stop_sentinel = nil, nil, nil
local load, pairs, ipairs, next, select, type, error, tostring, tonumber = load, pairs, ipairs, next, select, type, error, tostring, tonumber
local rawget, rawset, rawequal, rawlen, setmetatable, getmetatable = rawget, rawset, rawequal, rawlen, setmetatable, getmetatable
local real_pcall, real_xpcall, real_collectgarbage, assert = pcall, xpcall, collectgarbage, assert
local string, table, math, utf8, coroutine, os = string, table, math, utf8, coroutine, os
\#(PluginHostFunction.luaTable)

-- One shared string metatable serves every plugin; hide it so none can change another's strings.
getmetatable("").__metatable = false

local EVENTS = {
  project_started = true, frame_started = true, frame_done = true, frame_error = true,
  project_done = true, project_failed = true, project_removed = true, frame_stalled = true,
}
local EVENT_LIST = "project_started, frame_started, frame_done, frame_error, project_done, project_failed, project_removed, frame_stalled"

local plugins = {}
local formula_owner, estimator_owner

local function copy(library)
  local result = {}
  for key, value in pairs(library) do result[key] = value end
  return result
end

-- A stopped call (instruction or time budget) raises a sentinel that plugin code must not swallow.
local function rethrow(ok, ...)
  if not ok and (rawequal((...), STOP) or stopped()) then error(STOP, 0) end
  return ok, ...
end
local function pcall(f, ...) return rethrow(real_pcall(f, ...)) end
local function xpcall(f, handler, ...)
  return rethrow(real_xpcall(f, function(message)
    if rawequal(message, STOP) then return STOP end
    return handler(message)
  end, ...))
end
local safe_coroutine = copy(coroutine)
local real_resume = coroutine.resume
function safe_coroutine.resume(co, ...) return rethrow(real_resume(co, ...)) end

-- Finalizers would run plugin code at any time, even while the state closes: not allowed.
local function safe_setmetatable(object, metatable)
  if type(metatable) == "table" and rawget(metatable, "__gc") ~= nil then
    error("__gc metamethods are not allowed in plugins", 2)
  end
  return setmetatable(object, metatable)
end
local function safe_collectgarbage(option)
  if option == nil or option == "count" then return real_collectgarbage("count") end
  error("collectgarbage: only \"count\" is allowed in plugins", 2)
end

-- JSON for webhook bodies, written once here rather than in every notifier. Tables with keys 1..n
-- (or empty) become arrays, other tables objects with sorted keys; nil becomes null.
local json_escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function json(value, depth)
  depth = depth or 0
  if depth > 32 then error("tracker.json: nested more than 32 deep (a cycle?)", 0) end
  local kind = type(value)
  if kind == "nil" then return "null" end
  if kind == "boolean" then return tostring(value) end
  if kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then return "null" end
    if math.type(value) == "integer" then return tostring(value) end
    -- The shortest of 14 or 17 digits that reads back exactly: 0.1, not 0.10000000000000001.
    local short = string.format("%.14g", value)
    return tonumber(short) == value and short or string.format("%.17g", value)
  end
  if kind == "string" then
    return '"' .. value:gsub('[\0-\31"\\\127]', function(c) return json_escapes[c] or string.format("\\u%04x", c:byte()) end) .. '"'
  end
  if kind ~= "table" then error("tracker.json: cannot encode a " .. kind, 0) end
  local count = rawlen(value)
  local keys = {}
  for key in pairs(value) do keys[#keys + 1] = key end
  if #keys == count then
    local parts = {}
    for index = 1, count do parts[index] = json(value[index], depth + 1) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  for index, key in ipairs(keys) do
    if type(key) ~= "string" then error("tracker.json: object keys must be strings, got a " .. type(key), 0) end
  end
  table.sort(keys)
  local parts = {}
  for index, key in ipairs(keys) do parts[index] = json(key) .. ":" .. json(value[key], depth + 1) end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- Small text helpers every notifier needs, written once here rather than in each plugin.
local function clip(text, limit)
  text = tostring(text)
  if #text <= limit then return text end
  local cut = limit - 3  -- room for the three bytes of "…"
  while cut > 0 and (text:byte(cut + 1) or 0) & 0xC0 == 0x80 do cut = cut - 1 end
  return text:sub(1, cut) .. "…"
end

local function duration(seconds)
  seconds = math.floor(math.max(0, tonumber(seconds) or 0) + 0.5)
  local hours, minutes, rest = seconds // 3600, seconds // 60 % 60, seconds % 60
  if hours > 0 then return string.format("%dh %02dm", hours, minutes) end
  if minutes > 0 then return string.format("%dm %02ds", minutes, rest) end
  return rest .. "s"
end

local function clock_time(seconds, now)
  seconds = math.floor(tonumber(seconds) or 0)
  local today = os.date("%Y-%m-%d", math.floor(tonumber(now) or os.time()))
  if os.date("%Y-%m-%d", seconds) == today then return os.date("%H:%M", seconds) end
  return os.date("%Y-%m-%d %H:%M", seconds)
end

local function check_function(what, fn)
  if type(fn) ~= "function" then error(what .. ": expected a function, got " .. type(fn), 3) end
end

local function sandbox(name, settings)
  local plugin = { name = name, hooks = {}, hook_names = {} }
  local tracker = { plugin = name, settings = copy(settings or {}) }
  function tracker.on(event, fn)
    if not EVENTS[event] then error("tracker.on: unknown event " .. tostring(event) .. " (known: " .. EVENT_LIST .. ")", 2) end
    check_function("tracker.on(\"" .. event .. "\")", fn)
    if not plugin.hooks[event] then
      plugin.hooks[event] = {}
      plugin.hook_names[#plugin.hook_names + 1] = event
    end
    table.insert(plugin.hooks[event], fn)
  end
  function tracker.set_name_formula(fn)
    check_function("tracker.set_name_formula", fn)
    plugin.formula = fn
  end
  function tracker.set_estimator(fn, options)
    check_function("tracker.set_estimator", fn)
    if options ~= nil and type(options) ~= "table" then error("tracker.set_estimator: options must be a table, got " .. type(options), 2) end
    plugin.estimator = fn
    plugin.estimator_wants_frames = options ~= nil and options.frames == true
  end
  function tracker.log(level, message) return host(HOST.log, name, level, message) end
  function tracker.http_post(url, body, headers, options) return host(HOST.http_post, name, url, body, headers, options) end
  function tracker.exec(argv, input) return host(HOST.exec, name, argv, input) end
  function tracker.env(variable) return host(HOST.environment, name, variable) end
  function tracker.now() return host(HOST.now, name) end
  function tracker.json(value) return json(value) end
  function tracker.clip(text, bytes) return clip(text, bytes) end
  function tracker.duration(seconds) return duration(seconds) end
  function tracker.clock_time(seconds, now) return clock_time(seconds, now) end
  function tracker.setting(name, default)
    local value = tracker.settings[name]
    if value == nil or value == "" then return default end
    return value
  end

  local env = {
    tracker = tracker, _VERSION = _VERSION,
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, select = select,
    tonumber = tonumber, tostring = tostring, type = type, rawequal = rawequal, rawget = rawget,
    rawlen = rawlen, rawset = rawset, getmetatable = getmetatable, setmetatable = safe_setmetatable,
    pcall = pcall, xpcall = xpcall, collectgarbage = safe_collectgarbage,
    string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
    coroutine = safe_coroutine, os = { time = os.time, date = os.date, clock = os.clock },
  }
  function env.print(...)
    local parts = {}
    for index = 1, select("#", ...) do parts[index] = tostring((select(index, ...))) end
    return host(HOST.log, name, "info", table.concat(parts, "\t"))
  end
  env._G = env
  return plugin, env
end

-- Loads one plugin's text (never bytecode) into its own environment and runs it.
function load_plugin(name, code, settings)
  local plugin, env = sandbox(name, settings)
  local chunk, message = load(code, "@" .. name, "t", env)
  if not chunk then error(message, 0) end
  chunk()
  plugins[name] = plugin
  if plugin.formula then formula_owner = plugin end
  if plugin.estimator then estimator_owner = plugin end
  return plugin.formula ~= nil, plugin.estimator ~= nil, plugin.hook_names, plugin.estimator_wants_frames == true
end

function run_formula(user, hip_path)
  return formula_owner.formula(user, hip_path)
end

function run_estimator(project)
  return estimator_owner.estimator(project)
end

function run_hooks(name, event, payload)
  local plugin = plugins[name]
  for _, hook in ipairs(plugin.hooks[event] or {}) do
    hook(payload)
  end
end
"""#
}
