-- A cloud render: 200 frames on 100 rented machines, each frame downloaded to the studio.
--
-- Shows: the cloud route, where the render runs far away and the artist's workstation downloads
-- each finished frame, sending setFrameDownloadFraction (0.25, 0.5, 0.75, 1.0) as it goes. A
-- frame goes Rendering -> Done (the render's 1.0) -> Downloading -> Done. The workstation
-- downloads 6 frames at a time, 75 s each, so downloads trail the render and the last frames
-- arrive after the last render ends.
--
-- Why a studio cares: on a cloud burst the render is not finished for the artist until the
-- images are on the studio's disk; the monitor shows Downloading and the estimate includes it.
--
-- Notable: frame_seconds is a function (frame, random, index, count): most frames take about
-- 15 minutes, but frames 1100-1119 (an explosion) take three times as long. The tracker cannot
-- know a download will follow a render, so a rendered frame waiting for a download slot reads
-- Done; when downloads lag, the project can read done and then running again (checked below
-- as it behaves today).
local farm = scenario.farm{ seed = 31 }
farm:add_machines{ count = 100, speed = 1.0, prefix = "cloud" }

local function frame_seconds(frame, random)
  local base = (frame >= 1100 and frame < 1120) and 2700 or 900
  return base * math.exp(0.15 * math.sqrt(-2 * math.log(1 - random())) * math.cos(2 * math.pi * random()))
end

local shot = farm:submit{
  user = "noor", hip = "/jobs/harbour/sq050/sh010/lgt_ocean_v007.hip",
  frames = scenario.range(1001, 1200),
  route = "hip",
  frame_seconds = frame_seconds,
  download_seconds = 75,
  download_slots = 6,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames rendered and downloaded")
expect.at_least(shot:count("Downloading"), 1, "frames show Downloading at half way")
expect.at_most(shot:count("Downloading"), 6, "no more frames Downloading than the workstation's 6 slots")
expect.truthy(shot:estimate(), "an estimate at half way")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 200, "all 200 frames Done")
expect.equal(shot:count("Downloading"), 0, "nothing left Downloading")
expect.equal(shot:state(), "done", "the project is done")

-- Frame 1150's story in its log: rendered, then downloaded, then Done.
local log = table.concat(farm:call("getFrameLog", shot.project, 1150), "\n")
local rendered = log:find("Rendering by job", 1, true)
local downloading = log:find("Downloading", 1, true)
expect.truthy(rendered and downloading and rendered < downloading, "frame 1150 rendered before it downloaded")
expect.contains(log, "Downloading 75%", "the last download fraction before 1.0 is logged")

local progress = shot:progress()
expect.at_least(progress.finished - progress.started, 900 + 2700,
  "the 45-minute explosion frames, queued behind the first wave, hold the render past an hour")

-- Each frame reaches Done twice (render, then download): today both fire frame_done.
expect.equal(#shot:events("frame_done"), 400, "today: frame_done fired twice per frame (render end, download end)")
-- SUSPECTED BUG (Sources/RenderTracker/Project.swift `state`): a rendered frame waiting for a
-- download slot reads Done, so the project can read done while downloads are still queued.
local done_events = #shot:events("project_done")
expect.at_least(done_events, 1, "today: project_done may fire more than once (done, running again, done)")
-- At half way the explosion frames are in flight, a third of the way through. The tracker counts
-- each in-flight frame by its own rate (fully from half way) and by how long it has already run,
-- but the explosion frames still to start look like the light ones: still short (-11% to -34%
-- over the ten seed sets). Checked as it behaves today.
local at_half = shot:estimate_error(50)
expect.at_most(at_half.tracker, 0, "today: at 50% done the estimate is short while the heavy frames are in flight")
print(string.format("project_done fired %d times; finished after %.1f h", done_events, progress.finished / 3600))
