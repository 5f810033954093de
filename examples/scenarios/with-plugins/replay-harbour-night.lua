-- A recorded night replayed with the studio's plugins: naming, notifier, stall alerts, estimate
-- (NEEDS PLUGINS). Copy it to test your own plugins on your own recorded nights.
--
-- Run it from the repository root with the shipped plugin folder and two webhook addresses
-- (nothing is sent: scenario runs capture what plugins would post):
--
--   RENDERTRACKER_STALL_ALERT_URL=https://hooks.example.com/render-alerts \
--   RENDERTRACKER_WEBHOOK_NOTIFY_URL=https://hooks.example.com/render-done \
--   rendertracker scenario run --plugins plugins examples/scenarios/with-plugins/replay-harbour-night.lua
--
-- The log, ../../logs/harbour-night.jsonl, is the night of stall-alert.lua recorded with
-- `scenario run --emit-log` (a studio records its own with `serve --record FILE`): 300 frames of
-- about 20 minutes on 40 machines, 8 of which crash at 40%; HQueue reschedules their jobs half an
-- hour later. Replayed in virtual time it takes a fraction of a second, and the tracker's stall
-- watch, the plugins' hooks and the estimate run as they did on the night.
--
-- Why a studio cares: change a plugin, replay last week, and CI says whether the names, the
-- messages and the estimate are still what the farm team relies on.
local farm = scenario.farm{}
local night = farm:replay{ file = "../../logs/harbour-night.jsonl" }
local shot = night:project("harbour_sh0420_dana")

-- Names: the project the night recorded is the one shot-naming.lua still gives for its scene.
expect.equal(farm:call("applyProjectNameFormula", "dana", "/shows/harbour/shots/sh0420/lighting/lgt_harbour_v012.hip"),
  "harbour_sh0420_dana", "shot-naming.lua still names the scene as on the night")

-- Up to the crash: 40% of the frames, nothing to say yet.
expect.equal(night:run{ until_done = 0.4, project = shot.project }, "reached", "40% of the frames render")
expect.equal(#farm:notifications(), 0, "no notification before the crash")
expect.truthy(shot:estimate(), "eta-throughput.lua answers an estimate at 40% done")

-- Then every notification, at the moment it is sent.
local alerts, done = 0, 0
night:each_notification(function(note)
  if note.url:find("render-alerts", 1, true) then
    alerts = alerts + 1
    expect.contains(note.body, shot.project, "the stall alert names the project")
    expect.equal(shot:count("Rendering") > 0, true, "the alert comes while frames are stuck Rendering")
  elseif note.url:find("render-done", 1, true) then
    done = done + 1
    expect.equal(shot:state(), "done", "the done message is sent once the project is done")
    expect.contains(note.body, "300 of 300 frames", "the done message counts the frames")
  end
end)

-- At the end of the night.
expect.equal(night:projects()[1], shot.project, "the night rendered one project")
expect.equal(#night:projects(), 1, "and only one")
expect.equal(shot:count("Done"), 300, "all 300 frames Done")
expect.equal(alerts, 1, "stall-alert.lua posted one alert for the 8 quiet frames (7 held back)")
expect.equal(#shot:events("frame_stalled"), 8, "frame_stalled fired once for each quiet frame")
expect.equal(done, 1, "webhook-notify.lua posted once when the render finished")
-- The crash costs the estimate at 50% (the lost frames come back half an hour later); by 75% it
-- has caught up.
expect.at_most(math.abs(shot:estimate_error(75).tracker), 0.10, "the estimate at 75% done is within 10% of the real finish")
print(string.format("estimate error at 25/50/75%% done: %+.1f%% %+.1f%% %+.1f%%",
  100 * shot:estimate_error(25).tracker, 100 * shot:estimate_error(50).tracker, 100 * shot:estimate_error(75).tracker))
