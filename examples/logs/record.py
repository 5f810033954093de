#!/usr/bin/env python3
"""Drives a render tracker through realistic HQueue renders, with Python's own xmlrpc.client as
the farm's scripts use it, so that a daemon started with --record writes a render log of them.

Usage: record.py URL [--pace SECONDS] [RENDER ...]
  URL      the tracker, e.g. http://127.0.0.1:5002
  --pace   seconds slept between a frame's progress reports (default 0.02), so the log has a
           rhythm a replay keeps
  RENDER   ifd, hip, existing (default: all three, in that order)

ifd       lisa/forest_v012: IFD route, 12 frames sent unsorted, IFDs generated, tile progress
          floored to 0.01 and sent only when it changes; frame 7's mantra fails with ~700 KB of
          output (the tracker keeps head and tail), HQueue retries it with a new job, it renders.
          Ends done.
hip       bob/city_v003: render from the hip file, 8 frames ending with 100.0; frame 3 fails and
          is retried; then the artist re-renders the whole project (startedRenderProject again),
          which ends done.
existing  carl/ocean_v001: "use existing IFDs": never started; only setFrameRenderFraction(1.0)
          for frames 1-5 and a setFrameError for frame 6. Ends failed, created implicitly.
"""
import sys
import time
import xmlrpc.client

args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
URL = args.pop(0).rstrip("/") + "/RPC2"
PACE = 0.02
if args[:1] == ["--pace"]:
    PACE = float(args[1])
    args = args[2:]
RENDERS = args or ["ifd", "hip", "existing"]

tracker = xmlrpc.client.ServerProxy(URL, allow_none=True)


def tile_progress(project, frame, steps):
    """The mantra tile callback: fractions floored to 0.01, sent only when changed."""
    last = None
    for step in range(1, steps + 1):
        fraction = int(step / (steps + 1.0) * 100) / 100.0
        if fraction != last:
            tracker.setFrameRenderFraction(project, frame, fraction)
            last = fraction
        time.sleep(PACE)


def mantra_output(frame, size):
    line = "mantra: Unable to load texture 'op:/obj/forest/tree%d/bark.rat' (frame %d)\n" % (frame, frame)
    return ("mantra: Rendering frame %d\n" % frame) + line * (size // len(line))


def ifd_route():
    project = tracker.suggestInactiveProjectName("lisa/forest_v012")
    frames = [1, 12, 6, 3, 9, 2, 11, 5, 8, 4, 10, 7]  # subdivision order
    tracker.startedRenderProject(project, frames, True, "5101")
    for frame in frames:
        tracker.startedGeneratingFrameIFD(project, frame)
        tracker.endedGeneratingFrameIFD(project, frame)
    for frame in sorted(frames):
        job = "52%02d" % frame
        tracker.startedFrameRender(project, frame, job, "/renders/forest_v012.%04d.exr" % frame)
        tracker.getImagePath(project, frame)  # the tile callback's first call (a read: not recorded)
        tile_progress(project, frame, 9 if frame != 7 else 4)
        if frame == 7:
            tracker.setFrameError(project, frame, mantra_output(frame, 700_000))
            # HQueue retries the failed job with a new id.
            tracker.startedFrameRender(project, frame, "5299", "/renders/forest_v012.%04d.exr" % frame)
            tile_progress(project, frame, 9)
        tracker.setFrameRenderFraction(project, frame, 1.0)


def hip_route():
    project = tracker.suggestInactiveProjectName("bob/city_v003")
    for attempt, job in ((1, "6100"), (2, "6200")):
        tracker.startedRenderProject(project, [4, 8, 2, 6, 1, 5, 3, 7], False, job)
        for frame in range(1, 9):
            tracker.startedFrameRender(project, frame, "%s%d" % (job[:2], frame), "/renders/city_v003.%04d.exr" % frame)
            tile_progress(project, frame, 5)
            if attempt == 1 and frame == 3:
                tracker.setFrameError(project, frame, "Error: Cannot load geometry /geo/city/block3.bgeo.sc")
                tracker.startedFrameRender(project, frame, "%s%d" % (job[:2], 90 + frame), "/renders/city_v003.%04d.exr" % frame)
                tile_progress(project, frame, 5)
            tracker.setFrameRenderFraction(project, frame, 100.0)  # the hip route's end of frame


def existing_ifds():
    project = "carl/ocean_v001"
    for frame in range(1, 6):
        time.sleep(PACE * 5)
        tracker.setFrameRenderFraction(project, frame, 1.0)
    tracker.setFrameError(project, 6, "mantra: ocean.0006.ifd: No such file or directory")


for render in RENDERS:
    {"ifd": ifd_route, "hip": hip_route, "existing": existing_ifds}[render]()
print(" ".join(sorted(tracker.getAllProjects())))
