--[[
stall-alert.lua: an alert when a frame stops reporting progress.

The daemon fires frame_stalled when a Rendering frame has reported nothing for
`--stall-minutes` (15 by default; once per stall). This plugin turns that into
a chat message or JSON post (when `url` is set) or a warning in the daemon's
log (when it is not), naming the project, the frame, its job id, how long it
has been quiet and how far it had got.

A broken machine or a full disk often stalls many frames of one render at
once, so alerts are rate-limited per project: at most one per project every
`every_minutes`. Stalls held back meanwhile are counted and the project's next
alert says how many there were.

Settings (stall-alert.conf, or RENDERTRACKER_STALL_ALERT_<KEY> in the
environment, which wins over the file):

  url            Webhook address (http:// or https://). default: none, alerts
                 go to the daemon's log as warnings
  format         slack, teams, discord, generic, or auto: guess from the url
                 (as webhook-notify.lua does). default: auto
  every_minutes  At most one alert per project this often. default: 30
  mention        Put at the start of every alert, in the chat's own syntax
                 (Slack `<!here>`, Discord `<@&role id>`). default: none
  label          Put before every alert, e.g. `farm-north`. default: none
  authorization  Sent as the Authorization header. default: none

Example stall-alert.conf:

    url = https://discord.com/api/webhooks/123456/abcdef
    every_minutes = 60
    mention = <@&987654321>

The generic format posts: event, project, frame, job_id, stalled_seconds,
stalled_minutes, fraction, started, last_progress, held_back, label, mention,
text.

Bodies are written with tracker.json (the daemon's JSON encoder: strings
escaped, keys sorted), never by pasting strings together.
]]

local settings = tracker.settings

local setting = tracker.setting

local URL = setting("url")
local FORMAT = setting("format", "auto"):lower()
local MENTION = setting("mention")
local LABEL = setting("label")
local AUTHORIZATION = setting("authorization")
local EVERY_MINUTES = tonumber(setting("every_minutes", "30"))
if not EVERY_MINUTES or EVERY_MINUTES < 0 or EVERY_MINUTES ~= EVERY_MINUTES or EVERY_MINUTES == math.huge then
  error("stall-alert: setting every_minutes must be a number of minutes, 0 or more, got \"" .. settings.every_minutes .. "\"", 0)
end
local EVERY_SECONDS = EVERY_MINUTES * 60

-- The alert ----------------------------------------------------------------------------------

local clip = tracker.clip

local function minutes(seconds)
  return math.floor((seconds or 0) / 60 + 0.5)
end

-- 40s, 17m 05s, 2h 05m: the tracker's one duration format.
local quiet_for = tracker.duration

local function describe(e, held_back)
  local quiet = minutes(e.stalled_seconds)
  local facts = {
    project = e.project or "?", frame = e.frame, job_id = e.job_id or "?", minutes = quiet,
    percent = math.floor((e.fraction or 0) * 100 + 0.5), held_back = held_back,
  }
  facts.title = "Stalled frame: " .. facts.project
  if LABEL then facts.title = "[" .. LABEL .. "] " .. facts.title end
  facts.summary = string.format("Frame %s (job %s) has reported no progress for %s (at %d%%).",
    tostring(e.frame), facts.job_id, quiet_for(e.stalled_seconds), facts.percent)
  if held_back == 1 then
    facts.summary = facts.summary .. " 1 more stalled frame of this project was held back since the previous alert."
  elseif held_back > 1 then
    facts.summary = facts.summary .. string.format(" %d more stalled frames of this project were held back since the previous alert.", held_back)
  end
  return facts
end

local function slack_escape(text)
  return (text:gsub("[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
end

local function discord_escape(text)
  return (text:gsub("[\\*_~`|>]", "\\%0"))
end

local BODIES = {}

function BODIES.slack(f)
  return { text = (MENTION and (MENTION .. " ") or "") .. "*" .. slack_escape(f.title) .. "*\n" .. slack_escape(f.summary) }
end

function BODIES.discord(f)
  return {
    content = MENTION or "",
    embeds = { { title = clip(discord_escape(f.title), 256), description = discord_escape(f.summary), color = 0xECB22E } },
    allowed_mentions = { parse = MENTION and { "users", "roles", "everyone" } or {} },
  }
end

function BODIES.teams(f)
  local body = {}
  if MENTION then body[#body + 1] = { type = "TextBlock", text = MENTION, wrap = true } end
  body[#body + 1] = { type = "TextBlock", text = f.title, weight = "Bolder", size = "Medium", wrap = true, color = "Warning" }
  body[#body + 1] = { type = "TextBlock", text = f.summary, wrap = true }
  return {
    type = "message",
    attachments = { {
      contentType = "application/vnd.microsoft.card.adaptive",
      content = { ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json", type = "AdaptiveCard", version = "1.4", body = body },
    } },
  }
end

function BODIES.generic(f, e)
  return {
    event = "frame_stalled", project = f.project, frame = e.frame, job_id = f.job_id,
    stalled_seconds = e.stalled_seconds, stalled_minutes = f.minutes, fraction = e.fraction,
    started = e.started, last_progress = e.last_progress, held_back = f.held_back,
    label = LABEL, mention = MENTION, text = (MENTION and (MENTION .. " ") or "") .. f.title .. ": " .. f.summary,
  }
end

local function guess_format(url)
  local host = (url:match("^%a+://([^/:?#]+)") or ""):lower()
  local function ends(suffix) return host == suffix or host:sub(-#suffix - 1) == "." .. suffix end
  if ends("slack.com") then return "slack" end
  if ends("discord.com") or ends("discordapp.com") then return "discord" end
  if ends("office.com") or ends("logic.azure.com") or ends("powerplatform.com") then return "teams" end
  return "generic"
end

if URL then
  if not URL:match("^[hH][tT][tT][pP][sS]?://") then
    error("stall-alert: setting url must start with http:// or https://, got \"" .. URL .. "\"", 0)
  end
  if FORMAT == "auto" then FORMAT = guess_format(URL) end
  if not BODIES[FORMAT] then
    error("stall-alert: setting format must be slack, teams, discord, generic or auto, got \"" .. FORMAT .. "\"", 0)
  end
end

local HEADERS = { ["Content-Type"] = "application/json" }
if AUTHORIZATION then HEADERS.Authorization = AUTHORIZATION end

-- Rate limiting ------------------------------------------------------------------------------

-- Kept in the hook state only (hooks never run in the other one). Projects quiet for a whole
-- period are forgotten, so the tables hold only projects alerted about recently.
local last_alert = {}  -- project -> tracker.now() of its last alert
local held_back = {}   -- project -> stalls not alerted about since then

local function forget_quiet_projects(now)
  for project, time in pairs(last_alert) do
    if now - time >= EVERY_SECONDS then
      last_alert[project] = nil
      held_back[project] = nil
    end
  end
end

tracker.on("frame_stalled", function(e)
  local now = tracker.now()
  local project = e.project or "?"
  local last = last_alert[project]
  if last and now - last < EVERY_SECONDS then
    held_back[project] = (held_back[project] or 0) + 1
    return
  end
  local facts = describe(e, held_back[project] or 0)
  forget_quiet_projects(now)
  last_alert[project] = now
  held_back[project] = nil
  if URL then
    tracker.http_post(URL, tracker.json(BODIES[FORMAT](facts, e)), HEADERS)
  else
    tracker.log("warning", "stall-alert: " .. facts.title .. ": " .. facts.summary)
  end
end)
