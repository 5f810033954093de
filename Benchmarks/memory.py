#!/usr/bin/env python3
"""Memory of a running tracker holding many frames: creates PROJECTS projects of FRAMES frames each
through XML-RPC, moves every frame through a render (start, two progress reports, done) and reads
the daemon's resident memory from /proc after each step.
Usage: memory.py URL PID [PROJECTS] [FRAMES]      (defaults: 100 projects x 10,000 frames = 1,000,000)"""
import sys
import time
import xmlrpc.client

url, pid = sys.argv[1], int(sys.argv[2])
projects = int(sys.argv[3]) if len(sys.argv) > 3 else 100
frames = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
server = xmlrpc.client.ServerProxy(url, allow_none=True)


def rss_mib():
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS for pid %d" % pid)


def report(step, started):
    print("%-44s %9.1f MiB  (%.1f s)" % (step, rss_mib(), time.time() - started), flush=True)


started = time.time()
report("idle", started)
numbers = list(range(1, frames + 1))
for p in range(projects):
    server.startedRenderProject("memory/%03d" % p, numbers, True, str(1000 + p))
report("%d frames waiting" % (projects * frames), started)
for p in range(projects):
    name = "memory/%03d" % p
    batch = xmlrpc.client.MultiCall(server)
    for f in numbers:
        batch.startedFrameRender(name, f, str(2000 + p), "/renders/%s.%05d.exr" % (name, f))
        batch.setFrameRenderFraction(name, f, 0.25)
        batch.setFrameRenderFraction(name, f, 0.75)
        batch.setFrameRenderFraction(name, f, 1.0)
    batch()
report("%d frames rendered (4 calls each)" % (projects * frames), started)
