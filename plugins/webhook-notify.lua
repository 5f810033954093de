--[[
webhook-notify.lua: a chat message (Slack, Microsoft Teams, Discord) or a JSON
post to any web service when a render finishes or fails.

Each message names the project and its job id, counts its frames (done, failed,
total), says how long the render took, and for a failed render gives the cause
of the first error (the one that has stood longest) with its frame: one line
read from what may be the renderer's whole output (the event's `cause`; the
full message stays in the monitor and in the generic format's first_error).
A failed render can
mention someone. Each render is announced once per outcome, even when its
last frame downloads after rendering (which makes it "done" twice).

Settings (webhook-notify.conf, or RENDERTRACKER_WEBHOOK_NOTIFY_<KEY> in the
environment, which wins over the file; keep secrets in the environment):

  url            The webhook address (http:// or https://). Required: without
                 it the plugin logs a warning when it loads and does nothing.
  format         slack, teams, discord, generic, or auto: guess from the url
                 (hooks.slack.com, discord.com, *.webhook.office.com or
                 *.logic.azure.com; anything else is generic).
                 default: auto
  events         Which to post, comma-separated: project_done, project_failed.
                 default: project_done, project_failed
  mention        Put at the start of failure messages, in the chat's own
                 syntax: Slack `<@U024BE7LH>` or `<!channel>`, Discord
                 `<@80351110224678912>` or `<@&role id>`. Teams shows it as
                 plain text (a real Teams mention needs the person's id).
                 default: none
  label          Put before every message, to tell farms apart in a shared
                 channel, e.g. `farm-north`. default: none
  authorization  Sent as the Authorization header, e.g. `Bearer 0123abcd`.
                 default: none
  error_limit    Bytes of the cause and of the generic format's first_error
                 kept (cut at a character boundary).
                 default: 500

Example webhook-notify.conf:

    url = https://hooks.slack.com/services/T000/B000/XXXXXXXX
    events = project_done, project_failed
    mention = <!here>
    label = farm-north

What each format posts:

  slack    {"text": "..."}: also what Mattermost and Rocket.Chat take.
  teams    A message with an Adaptive Card: what a Teams "Workflows" webhook
           and the older incoming-webhook connector both take.
  discord  {"content": mention, "embeds": [...], "allowed_mentions": ...}:
           only the configured mention can ping; text from the farm cannot.
  generic  Every fact as JSON fields: event, project, job_id, state,
           frame_count, done, failed, counts, started, finished,
           elapsed_seconds, elapsed, cause, first_error, first_error_frame, mention,
           label, text.

Bodies are written with tracker.json (the daemon's JSON encoder: strings
escaped, keys sorted), never by pasting strings together.
]]

local setting = tracker.setting

local URL = setting("url")
local FORMAT = setting("format", "auto"):lower()
local MENTION = setting("mention")
local LABEL = setting("label")
local AUTHORIZATION = setting("authorization")
local ERROR_LIMIT = math.tointeger(tonumber(setting("error_limit", "500")))
if not ERROR_LIMIT or ERROR_LIMIT < 20 then
  error("webhook-notify: setting error_limit must be a whole number of bytes, at least 20", 0)
end

local KNOWN_EVENTS = { project_done = true, project_failed = true }
local EVENTS = {}
for event in setting("events", "project_done, project_failed"):gmatch("[^%s,]+") do
  if not KNOWN_EVENTS[event] then
    error("webhook-notify: setting events: unknown event \"" .. event .. "\" (use project_done, project_failed)", 0)
  end
  EVENTS[event] = true
end

-- Text ---------------------------------------------------------------------------------------

local clip = tracker.clip

local function one_line(text)
  return (text:gsub("[\r\n]+", " "):gsub("[\0-\31\127]", " "))
end

local duration = tracker.duration

local function plural(count, word)
  return count .. " " .. word .. (count == 1 and "" or "s")
end

-- What every format says, as plain text pieces; each format escapes them its own way.
local function describe(e)
  local counts = e.counts or {}
  local done, failed, total = counts.Done or 0, counts.Error or 0, e.frame_count or 0
  local ok = e.event == "project_done"
  local facts = {
    ok = ok, event = e.event, project = e.project or "?", job_id = e.job_id or "?", state = e.state,
    done = done, failed = failed, total = total, elapsed = duration(e.elapsed),
    elapsed_seconds = e.elapsed, started = e.started, finished = e.time,
  }
  facts.title = (ok and "Render done: " or "Render failed: ") .. facts.project
  if ok then
    facts.summary = string.format("%s of %s done in %s (job %s)", done, plural(total, "frame"), facts.elapsed, facts.job_id)
  else
    facts.summary = string.format("%d done, %d failed of %s after %s (job %s)", done, failed, plural(total, "frame"), facts.elapsed, facts.job_id)
  end
  if not ok and e.first_error then
    facts.first_error = clip(e.first_error, ERROR_LIMIT)
    facts.cause = clip(e.cause or one_line(e.first_error), ERROR_LIMIT)
    facts.first_error_frame = e.first_error_frame
    facts.error_heading = e.first_error_frame and ("Cause (frame " .. e.first_error_frame .. ")") or "Cause"
  end
  if LABEL then facts.title = "[" .. LABEL .. "] " .. facts.title end
  facts.mention = (not ok) and MENTION or nil
  return facts
end

-- Formats ------------------------------------------------------------------------------------

local function slack_escape(text)
  return (text:gsub("[&<>]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;" }))
end

local function discord_escape(text)
  return (text:gsub("[\\*_~`|>]", "\\%0"))
end

local BODIES = {}

function BODIES.slack(f)
  local lines = { (f.mention and (f.mention .. " ") or "") .. "*" .. slack_escape(f.title) .. "*", slack_escape(f.summary) }
  if f.cause then
    lines[#lines + 1] = f.error_heading .. ":"
    -- A code block keeps the farm's text literal; it cannot contain ``` itself.
    lines[#lines + 1] = "```" .. slack_escape(f.cause:gsub("```", "'''")) .. "```"
  end
  return { text = table.concat(lines, "\n") }
end

function BODIES.discord(f)
  local embed = {
    title = clip(discord_escape(f.title), 256),
    description = discord_escape(f.summary),
    color = f.ok and 0x2EB67D or 0xE01E5A,
  }
  if f.cause then
    embed.fields = { { name = f.error_heading, value = clip(discord_escape(f.cause), 1024) } }
  end
  return {
    content = f.mention or "",
    embeds = { embed },
    -- Only the configured mention may ping; "@everyone" in an error message must not.
    allowed_mentions = { parse = f.mention and { "users", "roles", "everyone" } or {} },
  }
end

function BODIES.teams(f)
  local body = {}
  if f.mention then body[#body + 1] = { type = "TextBlock", text = f.mention, wrap = true } end
  body[#body + 1] = { type = "TextBlock", text = f.title, weight = "Bolder", size = "Medium", wrap = true, color = f.ok and "Good" or "Attention" }
  body[#body + 1] = {
    type = "FactSet",
    facts = {
      { title = "Frames", value = string.format("%d done, %d failed, %d total", f.done, f.failed, f.total) },
      { title = f.ok and "Took" or "Ran for", value = f.elapsed },
      { title = "Job", value = f.job_id },
    },
  }
  if f.cause then
    body[#body + 1] = { type = "TextBlock", text = f.error_heading, weight = "Bolder", wrap = true }
    body[#body + 1] = { type = "TextBlock", text = f.cause, wrap = true, fontType = "Monospace" }
  end
  return {
    type = "message",
    attachments = { {
      contentType = "application/vnd.microsoft.card.adaptive",
      content = { ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json", type = "AdaptiveCard", version = "1.4", body = body },
    } },
  }
end

function BODIES.generic(f)
  local text = f.title .. ": " .. f.summary
  if f.cause then text = text .. ". " .. f.error_heading .. ": " .. f.cause end
  return {
    event = f.event, project = f.project, job_id = f.job_id, state = f.state, label = LABEL,
    frame_count = f.total, done = f.done, failed = f.failed, counts = f.counts,
    started = f.started, finished = f.finished, elapsed_seconds = f.elapsed_seconds, elapsed = f.elapsed,
    cause = f.cause, first_error = f.first_error, first_error_frame = f.first_error_frame, mention = f.mention,
    text = (f.mention and (f.mention .. " ") or "") .. text,
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

-- Loading ------------------------------------------------------------------------------------

if not URL then
  -- Runs when the plugin loads (once in each of the daemon's two plugin states).
  tracker.log("warning", "webhook-notify: no url setting (webhook-notify.conf or RENDERTRACKER_WEBHOOK_NOTIFY_URL): nothing will be posted")
  return
end
if not URL:match("^[hH][tT][tT][pP][sS]?://") then
  error("webhook-notify: setting url must start with http:// or https://, got \"" .. URL .. "\"", 0)
end
if FORMAT == "auto" then FORMAT = guess_format(URL) end
if not BODIES[FORMAT] then
  error("webhook-notify: setting format must be slack, teams, discord, generic or auto, got \"" .. FORMAT .. "\"", 0)
end

local HEADERS = { ["Content-Type"] = "application/json" }
if AUTHORIZATION then HEADERS.Authorization = AUTHORIZATION end

-- A render whose last frames download after rendering is done twice (Done, then Downloading,
-- then Done again): each render is announced once per outcome. Keyed by the project's name and
-- start time (a re-render starts afresh); forgotten when the project is removed.
local announced = {}
local function first_time(e)
  local key = tostring(e.started) .. " " .. tostring(e.event)
  if announced[e.project] == key then return false end
  announced[e.project] = key
  return true
end

local function post(e)
  if not first_time(e) then return end
  local facts = describe(e)
  facts.counts = e.counts
  tracker.http_post(URL, tracker.json(BODIES[FORMAT](facts)), HEADERS)
end

for _, event in ipairs({ "project_done", "project_failed" }) do
  if EVENTS[event] then tracker.on(event, post) end
end
tracker.on("project_removed", function(e) announced[e.project] = nil end)
