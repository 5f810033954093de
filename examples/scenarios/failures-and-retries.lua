-- Failed frames, HQueue's retries, and a render whose retries run out.
--
-- Shows: two renders on 80 machines. The first (400 frames, about 20 minutes each) has frames
-- that fail and recover: frame 1050 fails once, frame 1200 twice, and any attempt fails with a
-- 1% chance (failure_rate, reproducible through the farm's seed); HQueue reruns a failed job
-- up to `retries` times (2 here), so every frame ends Done. The second (100 frames) has a frame
-- that always runs out of memory: after its one retry the job fails for good, the frame stays
-- in Error and the project ends failed although every other frame rendered.
--
-- Why a studio cares: overnight, a failing frame must be visible with its error, a retry that
-- worked must clear it, and a render that cannot finish must be reported failed, not "running".
--
-- Notable: a failed mantra sends its whole output as setFrameError's message; here 3 MB per
-- failure (error_output_bytes). The tracker keeps at most 64 KiB of a message: head and tail
-- with a "[... N bytes cut ...]" note, so mantra's last lines (the actual error) survive.
-- getFrameLog and the project_failed event show the clipped text.
local farm = scenario.farm{ seed = 47 }
farm:add_machines{ count = 80, speed = 1.0 }

local shot = farm:submit{
  user = "tomas", hip = "/jobs/harbour/sq030/sh070/lgt_crowd_v015.hip",
  frames = scenario.range(1001, 1400),
  route = "ifd",
  frame_seconds = scenario.lognormal(1200, 0.2),
  fail_frames = { [1050] = 1, [1200] = 2 },
  failure_rate = 0.01,
  retries = 2,
  error_output_bytes = 3000000,
}
local broken = farm:submit{
  user = "tomas", hip = "/jobs/harbour/sq030/sh080/lgt_crowd_v002.hip",
  frames = scenario.range(1, 100),
  route = "ifd",
  frame_seconds = scenario.lognormal(900, 0.2),
  fail_frames = { [12] = 99 },
  retries = 1,
  error_output_bytes = 3000000,
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half of the first render is done")
expect.equal(shot:state(), "running", "a render with failed frames being retried is still running")

expect.equal(farm:run(), "idle", "the farm runs out of work")

-- The first render: every failure was retried away.
expect.equal(shot:count("Done"), 400, "all 400 frames of the first render Done")
expect.equal(shot:state(), "done", "the first render is done")
expect.at_least(#shot:events("frame_error"), 3, "frames 1050, 1200 (twice) and some random failures reported errors")
local log1200 = farm:call("getFrameLog", shot.project, 1200)
local text1200 = table.concat(log1200, "\n")
local errors, retries = 0, 0
for _, line in ipairs(log1200) do
  if line:find(" Error: ", 1, true) then errors = errors + 1 end
  if line:find("(retry after error)", 1, true) then retries = retries + 1 end
end
expect.equal(errors, 2, "frame 1200's log has both failures")
expect.equal(retries, 2, "frame 1200's log shows two renders after an error")
expect.contains(log1200[#log1200], "Done", "frame 1200 ends Done")

-- The 3 MB message, clipped: under 64 KiB plus the note, the tail (mantra's error) kept.
local longest = 0
for _, line in ipairs(log1200) do longest = math.max(longest, #line) end
expect.at_most(longest, 64 * 1024 + 100, "no log line longer than the 64 KiB message limit (3 MB sent)")
expect.contains(text1200, "bytes cut ...]", "the clipped message says how much was cut")
expect.contains(text1200, "cannot allocate 12.6 GB for the displacement cache (frame 1200)", "mantra's actual error, at the end, survives")

-- The second render: retries exhausted.
expect.equal(broken:status(12), "Error", "frame 12 stays in Error")
expect.equal(broken:count("Done"), 99, "every other frame of the second render rendered")
expect.equal(broken:state(), "failed", "the second render is failed")
expect.truthy(broken:progress().failed, "the farm gave up on it too (retries exhausted)")
expect.falsy(broken:estimate(), "a failed render has no estimate")
local failed = broken:events("project_failed")
expect.equal(#failed, 1, "project_failed fired once")
expect.equal(failed[1] and failed[1].first_error_frame, 12, "project_failed names frame 12 as the first error")
expect.at_most(failed[1] and #failed[1].first_error or 0, 64 * 1024 + 100, "the error it carries is clipped too")
expect.falsy(farm:call("isProjectDone", broken.project), "isProjectDone says no")

for _, milestone in ipairs({ 25, 50, 75 }) do
  local errors = shot:estimate_error(milestone)
  expect.at_most(math.abs(errors.tracker), 0.20, string.format("first render's estimate within 20%% at %d%% done", milestone))
end
print(string.format("first render: %d frame errors on the way, finished after %.1f h", #shot:events("frame_error"), shot:progress().finished / 3600))
