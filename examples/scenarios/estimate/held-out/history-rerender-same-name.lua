-- A render rerun under the same name after a fix, on a farm that lost machines meanwhile.
--
-- Shows: a project re-rendered (startedRenderProject again for the same name) learning from its
-- own earlier, finished render: the history key of a name without a version is the name.
-- The second run has frames per job 2 and 25% fewer machines.
--
-- Why a studio cares: "render it again" after a texture fix is the most common rerender.
local farm = scenario.farm{ seed = 502 }
farm:add_machines{ count = 32, speed = 1.0 }

local first = farm:submit{ project = "comp/sh220_precomp", frames = scenario.range(1, 200), route = "hip",
  frame_seconds = scenario.ramp(300, 500, 0.15) }
expect.equal(farm:run(), "idle", "the first run finishes")
farm:remove_machines{ count = 8 }
local again = farm:submit{ project = "comp/sh220_precomp", frames = scenario.range(1, 200), route = "hip",
  frame_seconds = scenario.ramp(330, 560, 0.15), frames_per_job = 2 }
expect.equal(farm:run(), "idle", "the second run finishes")
expect.equal(again:count("Done"), 200, "all 200 frames Done")
