--[[
shot-naming.lua: project names from the studio's shot layout.

Houdini artists save their scenes in a known folder layout, for example

    /studio/shows/<show>/shots/<shot>/work/<user>/<scene>.hip

This plugin reads the show and the shot out of the scene's path and names the
render project `<show>_<shot>_<user>` (for example `demo_sh010_artist`) instead
of the built-in `<user>/<scene name>`. A scene saved outside the layout keeps a
name like the built-in one: `<user>/<scene name without .hip>`.

Both `/` and `\` separate folders, so Windows paths (`S:\shows\demo\...`) work,
and repeated separators count as one.

Note: with the default format, every render by one artist in one shot gets the
same name. Renders running at the same time are kept apart (the HQueue client
asks the tracker for a free name and gets `demo_sh010_artist (2)`), but a new
render replaces a finished one of the same name in the tracker's list. Add
{hip} to the format if lighting and FX renders of a shot should stay apart.

Settings (shot-naming.conf, or RENDERTRACKER_SHOT_NAMING_<KEY> in the
environment, which wins over the file):

  pattern      Where the names sit in the path: literal folders, {name}
               placeholders (each matches exactly one folder name) and `*`
               (any one folder name, not kept). It is looked for anywhere in
               the path, so start it with `/` to match whole folder names.
               default: /shows/{show}/shots/{shot}/
  format       The project name, built from the pattern's placeholders plus
               {user} (who submitted the render) and {hip} (the scene's file
               name without .hip/.hipnc/.hiplc).
               default: {show}_{shot}_{user}
  fallback     The name when the path does not match; only {user} and {hip}.
               default: {user}/{hip}
  ignore_case  true to match the pattern's literal folders whatever their case
               (`/Shows/` matches `/shows/`); names keep the path's own case.
               default: false

Example shot-naming.conf:

    # /jobs/<show>/<sequence>/<shot>/houdini/<scene>.hip
    pattern = /jobs/{show}/{seq}/{shot}/houdini/
    format = {show}_{seq}_{shot}_{user}

Names never contain `"` (it becomes `'`, as the built-in formula does: names
travel through a quoted command line to mantra) nor control characters (they
become `_`), are never empty, and are cut to 255 bytes (at a character
boundary; the tracker refuses names over 4096 bytes).
]]

local setting = tracker.setting

local function bool_setting(key, default)
  local value = setting(key)
  if value == nil then return default end
  local lower = value:lower()
  if lower == "true" or lower == "yes" or lower == "on" or lower == "1" then return true end
  if lower == "false" or lower == "no" or lower == "off" or lower == "0" then return false end
  error("shot-naming: setting " .. key .. " must be true or false, got \"" .. value .. "\"", 0)
end

local PATTERN = setting("pattern", "/shows/{show}/shots/{shot}/")
local FORMAT = setting("format", "{show}_{shot}_{user}")
local FALLBACK = setting("fallback", "{user}/{hip}")
local IGNORE_CASE = bool_setting("ignore_case", false)

-- Always available in formats; the pattern may not reuse these names.
local BUILT_IN = { user = true, hip = true }

local function literal(text)
  return (text:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

-- Turns the pattern setting into a Lua pattern. Every placeholder becomes a pair of position
-- captures around one folder name, so the name is cut from the original path (keeping its case
-- when matching ignores case). Only `[^/]+` ever repeats: matching is linear in the path's length.
local function compile(template)
  local pieces, names, seen = {}, {}, {}
  local position = 1
  while position <= #template do
    local special = template:find("[{}*]", position)
    if not special then
      pieces[#pieces + 1] = literal(template:sub(position))
      break
    end
    pieces[#pieces + 1] = literal(template:sub(position, special - 1))
    local char = template:sub(special, special)
    if char == "*" then
      pieces[#pieces + 1] = "[^/]+"
      position = special + 1
    elseif char == "}" then
      error("shot-naming: setting pattern: `}` without `{` at character " .. special .. " of \"" .. template .. "\"", 0)
    else
      local close = template:find("}", special, true)
      if not close then
        error("shot-naming: setting pattern: `{` without `}` at character " .. special .. " of \"" .. template .. "\"", 0)
      end
      local name = template:sub(special + 1, close - 1)
      if not name:match("^[%a_][%w_]*$") then
        error("shot-naming: setting pattern: {" .. name .. "} is not a placeholder name (letters, digits, _)", 0)
      end
      if BUILT_IN[name] then
        error("shot-naming: setting pattern: {" .. name .. "} is reserved (formats always have {user} and {hip})", 0)
      end
      if seen[name] then error("shot-naming: setting pattern: {" .. name .. "} appears twice", 0) end
      seen[name] = true
      names[#names + 1] = name
      pieces[#pieces + 1] = "()[^/]+()"
      position = close + 1
    end
  end
  if #names == 0 then
    error("shot-naming: setting pattern: \"" .. template .. "\" has no {placeholder} to name projects with", 0)
  end
  local compiled = table.concat(pieces)
  return IGNORE_CASE and compiled:lower() or compiled, names, seen
end

local COMPILED, NAMES, KNOWN = compile(PATTERN)

-- Every placeholder a format uses must have a value, or names would contain "{shot}".
local function check_format(key, format, known)
  for name in format:gmatch("{([^{}]*)}") do
    if not (BUILT_IN[name] or known[name]) then
      error("shot-naming: setting " .. key .. ": {" .. name .. "} is not one of the pattern's placeholders nor {user} or {hip}", 0)
    end
  end
end
check_format("format", FORMAT, KNOWN)
check_format("fallback", FALLBACK, {})

-- The scene's file name without its folder and without .hip, .hipnc or .hiplc (as the built-in).
local function hip_name(path)
  local file = path:match("[^/]*$")
  local lower = file:lower()
  for _, extension in ipairs({ ".hip", ".hipnc", ".hiplc" }) do
    if #file > #extension and lower:sub(-#extension) == extension then
      return file:sub(1, -#extension - 1)
    end
  end
  return file
end

local MAX_BYTES = 255

local function clean(name)
  name = name:gsub('"', "'"):gsub("[\0-\31\127]", "_")
  if #name > MAX_BYTES then
    local cut = MAX_BYTES
    while cut > 0 and (name:byte(cut + 1) & 0xC0) == 0x80 do cut = cut - 1 end
    name = name:sub(1, cut)
  end
  return name
end

local function fill(format, values)
  return (format:gsub("{([^{}]*)}", values))
end

tracker.set_name_formula(function(user, hip_path)
  local path = hip_path:gsub("\\", "/"):gsub("/+", "/")
  local values = { user = user, hip = hip_name(path) }
  local found = { (IGNORE_CASE and path:lower() or path):find(COMPILED) }
  local name
  if found[1] then
    -- found = { start, end, first name's start, its end, second's start, ... }
    for index, placeholder in ipairs(NAMES) do
      values[placeholder] = path:sub(found[index * 2 + 1], found[index * 2 + 2] - 1)
    end
    name = fill(FORMAT, values)
  else
    name = fill(FALLBACK, values)
  end
  name = clean(name)
  if name == "" then
    -- Only a fallback without {user} or {hip} and an empty scene name gets here.
    name = clean(user .. "/" .. values.hip)
  end
  return name
end)
