-- Stalled frames alert through the shipped plugins when machines die (NEEDS PLUGINS).
--
-- Run it from the repository root with the shipped plugin folder and two webhook addresses
-- (nothing is sent: scenario runs capture what plugins would post):
--
--   RENDERTRACKER_STALL_ALERT_URL=https://hooks.example.com/render-alerts \
--   RENDERTRACKER_WEBHOOK_NOTIFY_URL=https://hooks.example.com/render-done \
--   rendertracker scenario run --plugins plugins examples/scenarios/with-plugins/stall-alert.lua
--
-- Without --plugins (as CI runs examples/scenarios/*.lua, which does not include this folder)
-- or without the two addresses, its notification checks fail.
--
-- Shows: 8 of 40 machines crash at 40% of a 300-frame render. Their frames stay Rendering with
-- no progress; HQueue on this farm notices a lost machine only after 30 minutes
-- (lost_machine_seconds = 1800). After 15 quiet minutes (--stall-minutes, default 15) the
-- tracker fires frame_stalled for each of the 8 frames; stall-alert.lua posts one alert for the
-- project and holds the other 7 back (at most one alert per project every 30 minutes).
-- When the render finishes, webhook-notify.lua posts "done" once. shot-naming.lua names the
-- project from the /shows/<show>/shots/<shot>/ path, and eta-throughput.lua answers the
-- estimate instead of the built-in one.
--
-- Why a studio cares: a dead machine is silent; the stall alert is how the farm team hears of it
-- before the morning.
local farm = scenario.farm{ seed = 131, lost_machine_seconds = 1800 }
farm:add_machines{ count = 32, speed = 1.0 }
farm:add_machines{ count = 8, speed = 1.0, prefix = "blade" }

local shot = farm:submit{
  user = "dana", hip = "/shows/harbour/shots/sh0420/lighting/lgt_harbour_v012.hip",
  frames = scenario.range(1001, 1300), route = "ifd",
  frame_seconds = scenario.lognormal(1200, 0.2),
}
expect.equal(shot.project, "harbour_sh0420_dana", "shot-naming.lua named the project <show>_<shot>_<user>")

expect.equal(farm:run{ until_done = 0.4, render = shot }, "reached", "40% of the frames render")
expect.equal(#farm:remove_machines{ count = 8, prefix = "blade" }, 8, "8 blades crash")

local function posts(url_part)
  local found = {}
  for _, note in ipairs(farm:notifications()) do
    if note.kind == "http_post" and note.url:find(url_part, 1, true) then found[#found + 1] = note end
  end
  return found
end
-- A frame's quiet time counts from its last progress report, up to 2 minutes before the crash.
farm:run{ seconds = 12 * 60 }
expect.equal(#posts("render-alerts"), 0, "no alert 12 minutes after the crash")
farm:run{ seconds = 6 * 60 }
expect.equal(#shot:events("frame_stalled"), 8, "frame_stalled fired once for each of the 8 quiet frames")
local alerts = posts("render-alerts")
expect.equal(#alerts, 1, "stall-alert.lua posted one alert for the project (7 held back)")
expect.contains(alerts[1] and alerts[1].body or "", "harbour_sh0420_dana", "the alert names the project")
expect.contains(alerts[1] and alerts[1].body or "", "no progress for", "the alert says the frame is quiet")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 300, "all 300 frames Done after HQueue rescheduled the lost jobs")
expect.equal(#posts("render-alerts"), 1, "no further alert: the stalls ended when HQueue rescheduled")
local done = posts("render-done")
expect.equal(#done, 1, "webhook-notify.lua posted once when the render finished")
expect.contains(done[1] and done[1].body or "", "300 of 300 frames", "the done message counts the frames")
local errors = shot:estimate_error(75)
print(string.format("plugin estimate error at 75%% done: %+.1f%%; finished after %.1f h", 100 * errors.tracker, shot:progress().finished / 3600))
