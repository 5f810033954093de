-- Existing IFDs, re-rendered: 480 frames of about 12 minutes on 64 machines.
--
-- Shows: a lighter re-renders IFDs written last night after adding two AOVs to the shader
-- (mantra reads the IFDs from disk; no IFD job, no startedRenderProject, no startedFrameRender,
-- no fractions). The tracker hears of a frame only when it ends (setFrameRenderFraction 1.0),
-- so it never knows how many frames there are. Frames in order, lognormal spread 0.2; one
-- frame (1230) fails once on a corrupt IFD read and is rerun.
--
-- Why a studio cares: re-renders from existing IFDs are routine after a shading fix; they
-- must show on the monitor with a time left like any other render.
--
-- Notable: the existing_ifds route; today the project reads done after each finished frame
-- (the tracker knows only frames it heard of), so its estimate is 0.
local farm = scenario.farm{ seed = 213 }
farm:add_machines{ count = 64, speed = 1.0 }

local shot = farm:submit{
  user = "ines", hip = "/jobs/kraken/sq030/sh020/lgt_deck_v033.hip",
  frames = scenario.range(1001, 1480),
  route = "existing_ifds",
  frame_seconds = scenario.lognormal(720, 0.2),
  fail_frames = { [1230] = 1 },
}

expect.equal(farm:run{ until_done = 0.5, render = shot }, "reached", "half the frames render")
expect.equal(farm:run(), "idle", "the farm runs out of work")
expect.equal(shot:count("Done"), 480, "all 480 frames Done")
expect.equal(shot:count("Error"), 0, "frame 1230's rerun cleared its error")
print(string.format("finished after %.1f h of farm time", shot:progress().finished / 3600))
