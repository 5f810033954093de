#!/usr/bin/env python3
"""Time of per-project reads on a large project, over XML-RPC against a running daemon: a project of
FRAMES frames with RENDERING of them rendering, then the mean time of 20 calls of each read.
Usage: read-cost.py URL [FRAMES] [RENDERING]      (defaults: 1,000,000 frames, 2,000 rendering)"""
import sys
import time
import xmlrpc.client

url = sys.argv[1]
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
rendering = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
server = xmlrpc.client.ServerProxy(url, allow_none=True)
server.startedRenderProject("readcost", list(range(1, frames + 1)), False, "1")
batch = xmlrpc.client.MultiCall(server)
for frame in range(1, rendering + 1):
    batch.startedFrameRender("readcost", frame, "2", "/renders/readcost.%07d.exr" % frame)
batch()
print("%d frames, %d rendering" % (frames, rendering))
for name, call in [("isRunning", lambda: server.isRunning()),
                   ("getEstimatedRenderSecondsLeft", lambda: server.getEstimatedRenderSecondsLeft("readcost")),
                   ("getProjectSummary", lambda: server.getProjectSummary("readcost")),
                   ("getChangedFrames (10 changed)", None)]:
    if call is None:
        cursor = server.getChangedFrames("readcost", 0)["event_id"]
        for frame in range(1, 11):
            server.setFrameRenderFraction("readcost", frame, 0.5)
        call = lambda: server.getChangedFrames("readcost", cursor)
    started = time.time()
    for _ in range(20):
        call()
    print("%-32s %8.2f ms per call" % (name, (time.time() - started) / 20 * 1000))
server.removeProject("readcost")
