--[[
mail-notify.lua: an e-mail when a render finishes or fails, sent through the
machine's sendmail (Postfix, Exim, sendmail, msmtp and nullmailer all provide
one), so the daemon needs no mail server settings of its own.

The mail names the project and its job id, counts its frames (done, failed,
total), gives start and finish times (the daemon's time zone) and how long the
render took, and for a failed render the cause of the first error (one line,
the event's `cause`) with its frame, then that error as the farm sent it.
Each render is mailed once per outcome, even when its last frame downloads
after rendering (which makes it "done" twice).

The program runs as `<sendmail> -t -oi` with the whole message on its input:
-t takes the recipients from the To header, and -oi keeps a line holding a
single "." (an error message can contain one) from ending the message early.
Nothing goes through a shell.

Settings (mail-notify.conf, or RENDERTRACKER_MAIL_NOTIFY_<KEY> in the
environment, which wins over the file):

  to              Who gets the mail, comma-separated addresses. Required:
                  without it the plugin logs a warning when it loads and does
                  nothing.
  from            The From header, e.g. `Render farm <farm@studio.example>`
                  (plain ASCII: it is sent as written).
                  default: none (the mail system fills in the daemon's user)
  sendmail        The sendmail program. default: /usr/sbin/sendmail
  subject_prefix  Put before every subject. default: [render]
  events          Which to mail, comma-separated: project_done, project_failed.
                  default: project_done, project_failed
  error_limit     Bytes of the first error kept (cut at a character boundary).
                  default: 2000

Example mail-notify.conf:

    to = lighting-leads@studio.example, render-wranglers@studio.example
    from = Render farm <farm@studio.example>
    subject_prefix = [farm-north]
    events = project_failed

Headers holding text from the farm (subject, project name) are encoded per
RFC 2047 when they are not plain ASCII, and have line breaks removed, so a
project name can never add a header. The mail carries
`Auto-Submitted: auto-generated` so that out-of-office replies stay away.
]]

local setting = tracker.setting

local TO = setting("to")
local FROM = setting("from")
local SENDMAIL = setting("sendmail", "/usr/sbin/sendmail")
local SUBJECT_PREFIX = setting("subject_prefix", "[render]")
local ERROR_LIMIT = math.tointeger(tonumber(setting("error_limit", "2000")))
if not ERROR_LIMIT or ERROR_LIMIT < 20 then
  error("mail-notify: setting error_limit must be a whole number of bytes, at least 20", 0)
end

local KNOWN_EVENTS = { project_done = true, project_failed = true }
local EVENTS = {}
for event in setting("events", "project_done, project_failed"):gmatch("[^%s,]+") do
  if not KNOWN_EVENTS[event] then
    error("mail-notify: setting events: unknown event \"" .. event .. "\" (use project_done, project_failed)", 0)
  end
  EVENTS[event] = true
end

-- Text ---------------------------------------------------------------------------------------

local clip = tracker.clip

local function one_line(text)
  return (text:gsub("[\r\n]+", " "):gsub("[\0-\31\127]", " "))
end

local BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  local out = {}
  for index = 1, #data, 3 do
    local a, b, c = data:byte(index, index + 2)
    local bits = (a << 16) | ((b or 0) << 8) | (c or 0)
    local present = math.min(3, #data - index + 1)
    for slot = 0, 3 do
      if slot <= present then
        local value = (bits >> (18 - 6 * slot)) & 63
        out[#out + 1] = BASE64:sub(value + 1, value + 1)
      else
        out[#out + 1] = "="
      end
    end
  end
  return table.concat(out)
end

-- One header line, `Name: value`, with the value on one line. Values that are not plain ASCII
-- become RFC 2047 encoded-words (UTF-8, base64) of whole characters, folded so that no line is
-- longer than 76 characters; readers drop the folding between encoded-words.
local function header(name, text)
  text = one_line(text)
  if not text:find("[\128-\255]") then return name .. ": " .. text end
  local lines, start = {}, 1
  local used = #name + 2  -- what the line holds before its first word
  while start <= #text do
    local bytes = (76 - used - 12) // 4 * 3  -- "=?UTF-8?B?" and "?=" take 12
    local stop = math.min(start + bytes - 1, #text)
    while stop > start and stop < #text and (text:byte(stop + 1) & 0xC0) == 0x80 do stop = stop - 1 end
    lines[#lines + 1] = "=?UTF-8?B?" .. base64(text:sub(start, stop)) .. "?="
    start = stop + 1
    used = 1  -- continuation lines start with one space
  end
  return name .. ": " .. table.concat(lines, "\n ")
end

-- Body text: at most ERROR_LIMIT bytes, lines kept, none longer than 900 bytes (mail allows 998).
local function body_text(text)
  text = clip(text:gsub("\r\n?", "\n"), ERROR_LIMIT)
  local lines = {}
  for line in (text .. "\n"):gmatch("(.-)\n") do
    lines[#lines + 1] = "  " .. clip(line:gsub("[\0-\8\11-\31\127]", " "), 900)
  end
  return table.concat(lines, "\n")
end

local duration = tracker.duration

local function local_time(seconds)
  if not seconds then return "?" end
  return tracker.clock_time(seconds)
end

-- The message ---------------------------------------------------------------------------------

local function message(e)
  local counts = e.counts or {}
  local done, failed, total = counts.Done or 0, counts.Error or 0, e.frame_count or 0
  local ok = e.event == "project_done"
  local project = e.project or "?"
  local short_name = clip(one_line(project), 200)
  local subject
  if ok then
    subject = string.format("%s done: %s (%d/%d frames, %s)", SUBJECT_PREFIX, short_name, done, total, duration(e.elapsed))
  else
    subject = string.format("%s FAILED: %s (%d of %d frames failed)", SUBJECT_PREFIX, short_name, failed, total)
  end

  local headers = { "To: " .. one_line(TO) }
  if FROM then headers[#headers + 1] = "From: " .. one_line(FROM) end
  headers[#headers + 1] = header("Subject", subject)
  headers[#headers + 1] = "MIME-Version: 1.0"
  headers[#headers + 1] = "Content-Type: text/plain; charset=UTF-8"
  headers[#headers + 1] = "Content-Transfer-Encoding: 8bit"
  headers[#headers + 1] = "Auto-Submitted: auto-generated"
  headers[#headers + 1] = "X-Rendertracker-Event: " .. (e.event or "?")
  headers[#headers + 1] = header("X-Rendertracker-Project", short_name)

  local body = {
    (ok and "Render done: " or "Render FAILED: ") .. clip(one_line(project), 900),
    "",
    "Project:  " .. clip(one_line(project), 900),
    "Job id:   " .. clip(one_line(e.job_id or "?"), 900),
    string.format("Frames:   %d done, %d failed, %d total", done, failed, total),
    "Started:  " .. local_time(e.started),
    "Finished: " .. local_time(e.time),
    "Elapsed:  " .. duration(e.elapsed),
  }
  if not ok and e.first_error then
    local frame = e.first_error_frame and (" (frame " .. e.first_error_frame .. ")") or ""
    body[#body + 1] = ""
    body[#body + 1] = "Cause" .. frame .. ":"
    body[#body + 1] = body_text(e.cause or e.first_error)
    body[#body + 1] = ""
    body[#body + 1] = "First error" .. frame .. ", as the farm sent it:"
    body[#body + 1] = body_text(e.first_error)
  end
  body[#body + 1] = ""
  body[#body + 1] = "-- "
  body[#body + 1] = "Sent by rendertracker's mail-notify.lua plugin."
  return table.concat(headers, "\n") .. "\n\n" .. table.concat(body, "\n") .. "\n"
end

-- Loading ------------------------------------------------------------------------------------

if not TO then
  -- Runs when the plugin loads (once in each of the daemon's two plugin states).
  tracker.log("warning", "mail-notify: no to setting (mail-notify.conf or RENDERTRACKER_MAIL_NOTIFY_TO): no mail will be sent")
  return
end

-- A render whose last frames download after rendering is done twice (Done, then Downloading,
-- then Done again): each render is mailed once per outcome. Keyed by the project's name and
-- start time (a re-render starts afresh); forgotten when the project is removed.
local announced = {}
local function first_time(e)
  local key = tostring(e.started) .. " " .. tostring(e.event)
  if announced[e.project] == key then return false end
  announced[e.project] = key
  return true
end

local function send(e)
  if not first_time(e) then return end
  tracker.exec({ SENDMAIL, "-t", "-oi" }, message(e))
end

for _, event in ipairs({ "project_done", "project_failed" }) do
  if EVENTS[event] then tracker.on(event, send) end
end
tracker.on("project_removed", function(e) announced[e.project] = nil end)
