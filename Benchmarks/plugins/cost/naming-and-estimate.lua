-- Benchmark plugin: a shot-based name formula and an estimator that reads every frame in flight,
-- about the work a studio's own plugins do per call.
tracker.set_name_formula(function(user, hip)
  local show, shot = hip:match("/shows/([^/]+)/shots/([^/]+)/")
  if not show then return nil end
  return show .. "_" .. shot .. "_" .. user
end)

tracker.set_estimator(function(project)
  local left, rendering = 0, 0
  for _, frame in ipairs(project.frames_in_flight) do
    rendering = rendering + 1
    left = left + (1 - frame.fraction)
  end
  local waiting = project.counts["Waiting"] + project.counts["IFD Ready"] + project.counts["Generating IFD"]
  if rendering == 0 or project.builtin == nil then return project.builtin end
  return project.builtin * 0.9 + (left + waiting) / rendering
end)
