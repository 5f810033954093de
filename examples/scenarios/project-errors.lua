-- Project errors: a render that fails before any frame, and the spurious driver error.
--
-- Shows: setProjectError, which a farm job sends before any per-frame work when the whole render
-- cannot go on (missing hip file, missing node, cannot create the IFD folder). Every frame not
-- Done goes to Error with the message and the project is failed. HQueue reruns the failed first
-- job once (retries = 1): its startedRenderProject brings the project back to running, then the
-- same error fails it again.
-- And the client quirk: one code path of HQueue's scripts sends
-- setProjectError(project, "Output driver '/out/mantra1' does not exist.") right after
-- startedRenderProject although the driver exists, and the render carries on. The tracker marks
-- the project failed for a moment; the frames' own calls then bring it back, and it ends Done.
--
-- Why a studio cares: a render that can never start must say so at once, with its message;
-- a render that works must not end up reported as failed because of a client bug.
--
-- Notable: the frames the spurious error put in Error stay there until their job reaches them,
-- which misleads the monitor (a suspected bug, checked as it behaves today). The estimate counts
-- frames in Error as work ahead while the project runs, so it is not misled.
-- Both renders are 150 frames of about 8 minutes on 25 machines; project_error and
-- spurious_driver_error are farm:submit options. The spurious error does fire project_failed
-- (checked as it behaves today).
local farm = scenario.farm{ seed = 101 }
farm:add_machines{ count = 25, speed = 1.0 }

local message = "Cannot create IFD directory /mnt/ifd/harbour/sq100/sh010: Permission denied"
local doomed = farm:submit{
  user = "kai", hip = "/jobs/harbour/sq100/sh010/lgt_dock_v001.hip",
  frames = scenario.range(1001, 1150), route = "ifd",
  frame_seconds = scenario.lognormal(480, 0.2),
  project_error = message,
}
local quirky = farm:submit{
  user = "kai", hip = "/jobs/harbour/sq100/sh020/lgt_dock_v004.hip",
  frames = scenario.range(1001, 1150), route = "hip",
  frame_seconds = scenario.lognormal(480, 0.2),
  spurious_driver_error = true,
}

expect.equal(farm:run{ until_done = 0.5, render = quirky }, "reached", "half the quirky render is done")
-- SUSPECTED BUG (Sources/RenderTracker/Tracker.swift failProject, TimeLeftEstimator.swift): the
-- spurious error put every frame in Error; frames not yet started stay in Error until their
-- job reaches them, so at half way the monitor shows errors for frames that are only queued,
-- and the estimate counts none of them as work left (it counts Waiting / IFD states only).
local errors_at_half = quirky:count("Error")
expect.equal(errors_at_half, 150 - quirky:count("Done") - quirky:count("Rendering"),
  "today: at half way every frame not yet started still shows Error")
expect.equal(quirky:state(), "running", "the quirky render is running at half way")

expect.equal(farm:run(), "idle", "the farm runs out of work")

-- The render that could not start.
local summary = doomed:summary()
expect.equal(summary.state, "failed", "the project that could not start is failed")
expect.equal(summary.status_counts.Error, 150, "every frame is in Error")
expect.equal(summary.status_counts.Done, 0, "no frame rendered")
expect.equal(summary.last_project_error, message, "getProjectSummary keeps the project error")
expect.contains(farm:call("getFrameLog", doomed.project, 1001)[#farm:call("getFrameLog", doomed.project, 1001)],
  "Permission denied", "each frame's log ends with the project error")
expect.equal(#doomed:events("project_started"), 2, "HQueue's retry of the first job started the project again")
expect.equal(#doomed:events("project_failed"), 2, "... and it failed again: project_failed twice")
expect.truthy(doomed:progress().failed, "the farm gave up on it")
expect.equal(doomed:progress().done, 0, "the farm rendered no frame of it")
expect.falsy(doomed:estimate(), "a failed project has no estimate")

-- The render with the spurious driver error.
expect.equal(quirky:count("Done"), 150, "the quirky render: all 150 frames Done")
expect.equal(quirky:state(), "done", "the quirky render ends done")
expect.contains(quirky:summary().last_project_error or "", "does not exist", "the spurious message is kept as the last project error")
expect.contains(farm:call("getFrameLog", quirky.project, 1075)[2] or "", "Output driver", "frame logs record the spurious error")
expect.equal(#quirky:events("project_done"), 1, "project_done fired once")
-- SUSPECTED LIMITATION (Sources/RenderTracker/Tracker.swift failProject): the known-spurious
-- message is treated like any project error, so a notification plugin announces a failure
-- for a render that then succeeds.
expect.equal(#quirky:events("project_failed"), 1, "today: the spurious error fired project_failed once")
local late = quirky:estimate_error(50)
expect.at_most(math.abs(late.tracker), 0.15, "at 50% done the estimate is within 15%: frames in Error count as work ahead")
print(string.format("quirky render: %d frames showed Error at half way; estimate error at 25/50/75%%: %+.0f%% %+.0f%% %+.0f%%",
  errors_at_half, 100 * quirky:estimate_error(25).tracker, 100 * late.tracker, 100 * quirky:estimate_error(75).tracker))
