-- IFD route, 100 frames on 20 machines of two speeds.
--
-- Shows: the calls of the IFD route (startedRenderProject with generate_ifds, IFDs written
-- per frame, tile-callback fractions, 1.0 at the end) reaching a tracker that names the project
-- with its formula; frames of varied weight; the estimate checked against the real finish.
local farm = scenario.farm{ seed = 7 }
farm:add_machines{ count = 14, speed = 1.0 }
farm:add_machines{ count = 6, speed = 0.6, prefix = "old" }

local shot = farm:submit{
  user = "alice", hip = "/jobs/bigshow/sq010/sh010/lighting_v003.hip",
  frames = scenario.range(1001, 1100),
  route = "ifd",
  frame_seconds = scenario.lognormal(300, 0.25),
}
expect.equal(shot.project, "alice/lighting_v003", "the built-in formula names the project user/hip")

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(shot:state(), "running", "the project is running at half way")
local estimate = shot:estimate()
expect.truthy(estimate, "an estimate at half way")

expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 100, "every frame is Done")
expect.equal(shot:state(), "done", "the project is done")
expect.equal(#shot:events("project_done"), 1, "project_done fired once")
expect.equal(#shot:events("frame_done"), 100, "frame_done fired for every frame")
expect.truthy(farm:call("isProjectDone", shot.project), "isProjectDone agrees")

local at_half = shot:estimate_error(50)
-- Within 20% for every one of the ten seed sets (`--seeds 10`): one render of 100 frames on 20
-- machines strays that much from night to night (from -18% to +16% at 50%).
expect.at_most(math.abs(at_half.tracker), 0.20, "the estimate at 50% done is within 20% of the truth")
print(string.format("finished after %.0f s of farm time", shot:progress().finished))
