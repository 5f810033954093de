-- A recorded render replayed beside a simulated one, on one timeline, then scripted calls.
--
-- Shows: `farm:replay` puts a render log's calls (../../logs/ifd.jsonl, lisa's 12-frame IFD render,
-- recorded from a daemon with Python's xmlrpc.client) on the farm's timeline. Stretched with
-- `speed` to the length of a real render, it runs while the farm renders a simulated shot; a
-- monitor's cursor, the statuses, the events and the estimate read the replayed project as they
-- read a simulated one; when the log ends, the script goes on with calls of its own.
--
-- Why a studio cares: a bug report comes with a log of the night; replaying it against a busy
-- simulated farm, or following it with the calls that broke something, reproduces it in a test.
local farm = scenario.farm{ seed = 21 }
farm:add_machines{ count = 6 }
local sim = farm:submit{ user = "omar", hip = "/jobs/market/market_v004.hip", frames = scenario.range(1, 60),
  route = "hip", frame_seconds = scenario.lognormal(240, 0.2) }

-- The 2.4 s recording becomes 40 minutes, starting 5 minutes into the night.
local night = farm:replay{ file = "../../logs/ifd.jsonl", speed = 1 / 1000, at = 300 }
local lisa = night:project("lisa/forest_v012")

expect.equal(night:run{ until_done = 0.25, project = lisa.project }, "reached", "a quarter of the recorded frames render")
local cursor = farm:call("getChangedFrames", lisa.project, 0)
expect.equal(#cursor.frames, 12, "a monitor's first look at the replayed project sees its 12 frames")
expect.at_least(sim:count("Done"), 1, "the simulated shot renders meanwhile")
expect.truthy(lisa:estimate(), "the tracker has an estimate for the replayed render")

expect.equal(night:run{ until_done = 0.75, project = lisa.project }, "reached", "three quarters")
local changed = farm:call("getChangedFrames", lisa.project, cursor.event_id)
expect.equal(changed.reset, false, "the cursor goes on (no restart in the log)")
expect.at_least(#changed.frames, 1, "and sees what changed since")
expect.equal(#lisa:events("frame_error"), 1, "frame 7's mantra failed once on the night")

expect.equal(farm:run(), "idle", "the farm and the log both run to their end")
expect.equal(lisa:state(), "done", "the recorded render is done")
expect.equal(lisa:count("Done"), 12, "all 12 recorded frames Done")
expect.equal(sim:state(), "done", "the simulated shot is done")
expect.at_most(math.abs(lisa:estimate_error(50).tracker), 0.15, "the estimate at 50% of the recorded render is within 15%")
expect.equal(night:summary().calls, 163, "every recorded call replayed")

-- After the log: calls of the script's own.
expect.equal(farm:call("removeProject", lisa.project), true, "the recorded project is removed")
expect.equal(lisa:summary(), nil, "and gone")
expect.equal(#lisa:events("project_removed"), 1, "project_removed fired")
