-- Benchmark plugin: hooks at their worst. Every event spins until the hook's time limit stops it.
for _, event in ipairs({"project_started", "frame_started", "frame_done", "frame_error", "project_done", "project_failed"}) do
  tracker.on(event, function() while true do end end)
end
