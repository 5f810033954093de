"""Farm calls while the store's disk is full: every call still succeeds, /healthz says degraded and
/metrics shows it; once the disk has room again, /healthz is ok within seconds.
Usage: store_full_disk.py URL degraded FILLER STATEFILE  (fills the disk with FILLER, calls, frees it)
       store_full_disk.py URL verify STATEFILE           (restarted daemon: every frame as acknowledged)
Exits non-zero with a message on the first failed check."""
import errno
import json
import os
import sys
import time
import urllib.request
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
PROJECT = "disk/full"
FRAMES = 2000
tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)


def get(path):
    with urllib.request.urlopen(URL + path, timeout=10) as response:
        return response.status, response.read().decode()


def gauge(metrics, name):
    """A gauge's value in Prometheus text (`name 1.0`); None if absent."""
    for line in metrics.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == name:
            return float(parts[1])
    return None


def fill(path):
    """Writes `path` until the file system has no room left (ENOSPC), in smaller and smaller pieces."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    written = 0
    for size in (1 << 16, 1 << 12, 1 << 9, 1):
        while True:
            try:
                written += os.write(descriptor, b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                break
    os.close(descriptor)
    return written


class Farm:
    """Farm calls, each frame's expected state after the acknowledged ones."""

    def __init__(self):
        self.expected = {}
        self.next_frame = 1
        self.calls = 0

    def call(self, method, *params):
        answer = getattr(tracker, method)(*params)  # a fault raises: the test fails
        check_quietly(answer is True, "%s%r answered true" % (method, params), answer)
        self.calls += 1

    def render_one(self):
        """One frame started and taken to 0.5, then Done (every seventh in Error)."""
        frame = self.next_frame
        self.next_frame += 1
        self.call("startedFrameRender", PROJECT, frame, "5", "/renders/disk/%d.exr" % frame)
        self.call("setFrameRenderFraction", PROJECT, frame, 0.5)
        if frame % 7 == 0:
            self.call("setFrameError", PROJECT, frame, "no space on the render node %d" % frame)
            self.expected[frame] = [6, 0.0]
        else:
            self.call("setFrameRenderFraction", PROJECT, frame, 1.0)
            self.expected[frame] = [5, 1.0]


def check_quietly(condition, what, got):
    if not condition:
        check(condition, what, got)


def degraded():
    filler, state = sys.argv[3], sys.argv[4]
    farm = Farm()
    check(tracker.startedRenderProject(PROJECT, list(range(1, FRAMES + 1)), False, "5") is True, "the render starts", None)
    for _ in range(10):
        farm.render_one()
    status, health = get("/healthz")
    check(health == "ok\n", "healthy before the disk fills", health)

    filled = fill(filler)
    print("filler: %d bytes" % filled)
    # Calls go on; the store finds the disk full at its next journal write or checkpoint.
    deadline = time.time() + 20
    while True:
        farm.render_one()
        status, health = get("/healthz")
        if health.startswith("degraded"):
            break
        check_quietly(time.time() < deadline, "/healthz says degraded within 20 s of the disk filling", health)
    check(status == 200, "/healthz answers 200 while degraded (the daemon serves on)", status)
    check("degraded: store sqlite:" in health, "/healthz names the store", health)
    print("healthz: " + health.strip())
    _, metrics = get("/metrics")
    check(gauge(metrics, "rendertracker_store_degraded") == 1, "/metrics: rendertracker_store_degraded 1",
          [line for line in metrics.splitlines() if "store" in line])

    # Degraded for a while, across the daemon's checkpoints: every call still succeeds.
    calls_before = farm.calls
    until = time.time() + 7
    while time.time() < until and farm.next_frame <= FRAMES - 20:
        farm.render_one()
    status, health = get("/healthz")
    check(health.startswith("degraded"), "still degraded while the disk is full", health)
    print("calls while degraded: %d" % (farm.calls - calls_before))

    os.unlink(filler)
    freed = time.time()
    while True:
        status, health = get("/healthz")
        if health == "ok\n":
            break
        check_quietly(time.time() - freed < 20, "/healthz is ok again within 20 s of the disk having room", health)
        time.sleep(0.2)
    print("ok again after %.1f s" % (time.time() - freed))
    _, metrics = get("/metrics")
    check(gauge(metrics, "rendertracker_store_degraded") == 0, "/metrics: rendertracker_store_degraded 0",
          [line for line in metrics.splitlines() if "store" in line])
    for _ in range(5):
        farm.render_one()
    json.dump({"expected": farm.expected}, open(state, "w"))


def verify():
    expected = {int(frame): value for frame, value in json.load(open(sys.argv[3]))["expected"].items()}
    info = {row[0]: [row[1], row[2]] for row in tracker.getAllFramesInfo(PROJECT)}
    check(len(info) == FRAMES, "every frame of the project is there after the restart", len(info))
    wrong = ["frame %d: %r, expected %r" % (frame, info[frame], value) for frame, value in sorted(expected.items()) if info[frame] != value]
    check(not wrong, "every frame rendered before, during and after the full disk is as acknowledged (%d)" % len(expected), wrong[:10])
    untouched = [frame for frame in info if frame not in expected and info[frame] != [0, 0.0]]
    check(not untouched, "the frames never started are Waiting", untouched[:10])


run({"degraded": degraded, "verify": verify})
