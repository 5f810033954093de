#!/usr/bin/env python3
"""Writes a synthetic render log: PROJECTS IFD-route renders of FRAMES frames each, started a few
minutes apart and interleaved in time as a farm would send them (IFD generation, render start,
tile progress floored to 0.01 and sent only when changed, 1.0 at the end; 2% of frames fail once
and are retried; every 20th project renders from the hip file and ends frames with 100.0).
Usage: make-render-log.py OUT.jsonl [PROJECTS] [FRAMES] [SEED]"""
import json
import random
import sys

out, projects, frames, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200, \
    int(sys.argv[3]) if len(sys.argv) > 3 else 500, int(sys.argv[4]) if len(sys.argv) > 4 else 1
rng = random.Random(seed)
T0 = 1767225600.0
calls = []  # (time, client, method, params)

for p in range(projects):
    name = "artist%02d/shot_%03d_v%03d" % (p % 17, p, 1 + p % 5)
    start = T0 + p * 180.0 + rng.uniform(0, 60)
    hip = p % 20 == 19
    job = str(1000 + p)
    order = list(range(1, frames + 1))
    rng.shuffle(order)  # subdivision order
    calls.append((start, "10.0.0.1", "startedRenderProject", [name, order, not hip, job]))
    t = start + 1
    if not hip:
        for f in sorted(order):
            calls.append((t, "10.0.1.%d" % (f % 50), "startedGeneratingFrameIFD", [name, f]))
            t += rng.uniform(0.5, 2.0)
            calls.append((t, "10.0.1.%d" % (f % 50), "endedGeneratingFrameIFD", [name, f]))
    slots = [t + i * 0.3 for i in range(40)]  # 40 render blades
    for f in sorted(order):
        blade = min(range(40), key=lambda i: slots[i])
        bt = slots[blade]
        client = "10.0.2.%d" % blade
        attempts = 2 if rng.random() < 0.02 else 1
        for attempt in range(attempts):
            calls.append((bt, client, "startedFrameRender", [name, f, "%s%03d" % (job, blade), "/renders/%s.%04d.exr" % (name, f)]))
            duration = rng.uniform(120, 600)
            last = 0.0
            for step in range(1, 7):
                fraction = int(step / 7.0 * 100 * rng.uniform(0.9, 1.0)) / 100.0
                if fraction != last:
                    calls.append((bt + duration * step / 7.0, client, "setFrameRenderFraction", [name, f, fraction]))
                    last = fraction
            bt += duration
            if attempt + 1 < attempts:
                calls.append((bt, client, "setFrameError", [name, f, "mantra: Unable to load texture /tex/%d.rat\n" % f * 20]))
            else:
                calls.append((bt, client, "setFrameRenderFraction", [name, f, 100.0 if hip else 1.0]))
        slots[blade] = bt + 1

calls.sort(key=lambda c: c[0])
with open(out, "w") as log:
    log.write('{"format":"rendertracker-log","version":1,"started":"2026-01-01T00:00:00.000Z","source":"make-render-log.py"}\n')
    for t, client, method, params in calls:
        log.write('{"time":%.3f,"client":%s,"method":"%s","params":%s}\n' % (
            t, json.dumps(client), method, json.dumps(params, separators=(",", ":"))))
print("%d calls, %d projects of %d frames, %.1f hours" % (len(calls), projects, frames, (calls[-1][0] - calls[0][0]) / 3600))
