#!/usr/bin/env python3
"""A durable store at scale: loads PROJECTS x FRAMES rendered frames (default 100 x 10,000 =
1,000,000, each with its log) into a daemon on an SQLite store, then measures, for a graceful
restart (SIGTERM) and for a crash (SIGKILL right after the load, so the journal is replayed):
the time from start until /healthz answers, resident memory before and after, that every project
and a sample of frames came back, and the store's size on disk. Then runs a progress
workload on the same frames four times and prints the size after each round, which must stop
growing after the first: the store keeps one row per live frame and a journal of seconds, not a history of
every call.
Usage: store-restart.py BINARY [PROJECTS] [FRAMES]"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client

binary = sys.argv[1]
projects = int(sys.argv[2]) if len(sys.argv) > 2 else 100
frames = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
folder = tempfile.mkdtemp(prefix="store-bench-")
store = os.path.join(folder, "tracker.db")
port = 5093
url = "http://127.0.0.1:%d" % port


def start():
    began = time.time()
    process = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--store", "sqlite:" + store, "--log-level", "warning"])
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            return process, time.time() - began
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the daemon exited with %d" % process.returncode)
            time.sleep(0.05)


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0


def size_mib():
    total = 0
    for root, _, files in os.walk(folder):
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files)
    return total / 1048576.0


def sizes():
    """Database, WAL and journal in MiB."""
    mib = lambda path: os.path.getsize(path) / 1048576.0 if os.path.exists(path) else 0.0
    journal = sum(os.path.getsize(os.path.join(store + "-writes", name)) for name in os.listdir(store + "-writes"))
    return "database %.1f, WAL %.1f, journal %.1f" % (mib(store), mib(store + "-wal"), journal / 1048576.0)


def progress(server, fractions):
    numbers = list(range(1, frames + 1))
    for p in range(projects):
        name = "store/%03d" % p
        batch = xmlrpc.client.MultiCall(server)
        for f in numbers:
            for fraction in fractions:
                batch.setFrameRenderFraction(name, f, fraction)
        batch()


def load(server):
    numbers = list(range(1, frames + 1))
    for p in range(projects):
        name = "store/%03d" % p
        server.startedRenderProject(name, numbers, False, str(1000 + p))
        batch = xmlrpc.client.MultiCall(server)
        for f in numbers:
            batch.startedFrameRender(name, f, str(2000 + p), "/renders/%s.%05d.exr" % (name, f))
            batch.setFrameRenderFraction(name, f, 0.5)
            batch.setFrameRenderFraction(name, f, 1.0)
        batch()


def sample(server):
    return (len(server.getAllProjects()), server.getFrameLog("store/042" if projects > 42 else "store/000", frames // 2),
            server.getChangedFrames("store/000", 0)["event_id"])


daemon, startup = start()
server = xmlrpc.client.ServerProxy(url + "/RPC2", allow_none=True)
began = time.time()
load(server)
print("loaded %d frames in %.1f s" % (projects * frames, time.time() - began), flush=True)
before = sample(server)
time.sleep(6)  # one checkpoint
print("before restart: %.1f MiB resident, store %.1f MiB (%s)" % (rss_mib(daemon.pid), size_mib(), sizes()), flush=True)

for how, sig in (("SIGTERM", signal.SIGTERM), ("SIGKILL", signal.SIGKILL)):
    if sig == signal.SIGKILL:
        progress(server, [0.99, 1.0])  # fresh writes that only the journal holds at the kill
        before = sample(server)
        rss_before = rss_mib(daemon.pid)
    else:
        rss_before = rss_mib(daemon.pid)
    stopping = time.time()
    daemon.send_signal(sig)
    daemon.wait()
    stopped = time.time() - stopping
    daemon, startup = start()
    after = sample(server)
    print("%s: stopped in %.2f s, back in %.2f s; %.1f MiB resident before, %.1f MiB after (%+.1f%%); state %s" % (
        how, stopped, startup, rss_before, rss_mib(daemon.pid), 100 * (rss_mib(daemon.pid) / rss_before - 1),
        "identical" if after == before else "DIFFERENT: %r != %r" % (after, before)), flush=True)

# Progress within Rendering replaces the frame's last log entry, so after the first round (Done
# back to Rendering adds one entry) the state stops growing: so must the store.
for round in range(1, 5):
    progress(server, [0.3, 0.6])
    time.sleep(6)
    print("progress round %d: store %.1f MiB on disk (%s)" % (round, size_mib(), sizes()), flush=True)
daemon.send_signal(signal.SIGTERM)
daemon.wait()
shutil.rmtree(folder)
