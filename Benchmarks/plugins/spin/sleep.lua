-- Benchmark plugin: a hook that "sleeps" the only way a plugin can, through a program.
tracker.on("frame_started", function() tracker.exec({"sleep", "1"}) end)
