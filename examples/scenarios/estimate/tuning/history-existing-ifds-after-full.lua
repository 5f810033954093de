-- A shot rendered in full (IFDs and images), then its images rendered again from the same IFDs.
--
-- Shows: the existing-IFD route learning its frame count from the shot's past render. Render
-- jobs of IFDs written earlier never say how many frames there are (no startedRenderProject):
-- without a past render the tracker reads the project done after its first frame. With one,
-- the frames of the past render not yet seen are the frames still to come.
--
-- Why a studio cares: a relight from existing IFDs is the quick turnaround of the week; its
-- time left should not read 0 for an hour.
--
-- Notable: the second render is named like the first but for its version (v021, v022).
local farm = scenario.farm{ seed = 402 }
farm:add_machines{ count = 25, speed = 1.0 }

local full = farm:submit{ project = "ines/lgt_master_v021", frames = scenario.range(1, 150), route = "ifd",
  frame_seconds = scenario.lognormal(700, 0.2) }
expect.equal(farm:run(), "idle", "the full render finishes")

local relight = farm:submit{ project = "ines/lgt_master_v022", frames = scenario.range(1, 150), route = "existing_ifds",
  frame_seconds = scenario.lognormal(640, 0.2) }
farm:run{ until_done = 0.25, render = relight }
expect.at_least(relight:estimate(), 600, "a quarter of the way the relight has time left (the past render gave its frame count)")
expect.equal(relight:summary().learned_from, full.project, "learned from v021")
expect.equal(farm:run(), "idle", "the relight finishes")
expect.equal(relight:count("Done"), 150, "all 150 frames Done")
