"""Two daemons on one PostgreSQL database, through Python's xmlrpc.client.
Usage: shared_store.py URL_A cursor URL_B
         16 clients write through each daemon at once, each write a frame of its own; one monitor
         polls getChangedFrames with one cursor, asking each daemon in turn: it must see every
         write exactly once, in a cursor that only grows, and both daemons must end identical. Now
         and then the monitor opens GET /events on the daemon it did not just ask, resuming from
         its cursor (Last-Event-ID): the stream must go on from it, not start over.
       shared_store.py URL_A outage URL_B STOPFILE
         8 clients per daemon write until STOPFILE exists (at most 120 s; prints LOAD RUNNING once
         under way; the test restarts the database meanwhile, then makes the file); every call must
         succeed, and once the database is back both daemons must hold every acknowledged write and
         agree frame for frame.
(exits non-zero with a message on the first failed check)"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xmlrpc.client

from scenario import check, run

URL_A, URL_B = sys.argv[1], sys.argv[3]
RENDERING = 3


def proxy(url):
    return xmlrpc.client.ServerProxy(url + "/RPC2", allow_none=True)


def writers(project, per_daemon, frames_each, fraction_of, stop=None):
    """Clients writing through both daemons; returns (acknowledged {frame: fraction}, errors)."""
    acknowledged, errors, lock = {}, [], threading.Lock()

    def client(url, number):
        tracker = proxy(url)
        step = 0
        try:
            while step < frames_each or (stop is not None and not stop.is_set()):
                frame = number * 100000 + step
                fraction = fraction_of(frame)
                check_true = tracker.setFrameRenderFraction(project, frame, fraction)
                if check_true is not True:
                    raise RuntimeError("setFrameRenderFraction answered %r" % check_true)
                with lock:
                    acknowledged[frame] = fraction
                step += 1
                if stop is None and step >= frames_each:
                    break
        except Exception as error:
            with lock:
                errors.append("client %d on %s: %r" % (number, url, error))

    threads = [threading.Thread(target=client, args=(URL_A if n < per_daemon else URL_B, n)) for n in range(2 * per_daemon)]
    return threads, acknowledged, errors, lock


def first_event(url, project, last_event_id):
    """The first message of GET /events resuming from last_event_id, as JSON."""
    request = urllib.request.Request(url + "/events?project=" + urllib.parse.quote(project),
                                     headers={"Last-Event-ID": str(last_event_id)})
    with urllib.request.urlopen(request, timeout=10) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                return json.loads(line[6:])
    raise RuntimeError("the event stream ended before its first message")


def cursor():
    project = "farm/shared-cursor"
    check(proxy(URL_A).startedRenderProject(project, [], False, "job") is True, "the render starts through daemon A", None)
    threads, acknowledged, errors, lock = writers(project, 16, 40, lambda frame: 0.5)
    monitors = [proxy(URL_A), proxy(URL_B)]
    first = monitors[1].getChangedFrames(project, 0)
    since, seen, polls, backwards, restarts, streams = first["event_id"], {}, 0, [], [], 0
    for thread in threads:
        thread.start()

    def poll(monitor):
        nonlocal since
        answer = monitor.getChangedFrames(project, since)
        if answer["reset"]:
            backwards.append(("reset", since, answer["event_id"]))
        if answer["event_id"] < since:
            backwards.append(("cursor went back", since, answer["event_id"]))
        for frame, status, fraction in answer["frames"]:
            seen.setdefault(frame, []).append((status, fraction))
        since = answer["event_id"]

    while any(thread.is_alive() for thread in threads):
        poll(monitors[polls % 2])
        polls += 1
        if polls % 5 == 0:
            # The other daemon, which may not have applied what gave out this cursor yet.
            message = first_event((URL_A, URL_B)[polls % 2], project, since)
            changes = message.get("changes") or {"reset": False}
            if changes["reset"] or message["event_id"] < since:
                restarts.append((since, message["event_id"], changes["reset"]))
            streams += 1
    for thread in threads:
        thread.join()
    check(not errors, "every write through either daemon succeeded", errors[:5])
    # The last writes may still be on their way to the other daemon: poll both until quiet.
    deadline = time.time() + 10
    while time.time() < deadline and len(seen) < len(acknowledged):
        poll(monitors[polls % 2])
        polls += 1
    poll(monitors[0])
    poll(monitors[1])
    check(not backwards, "one cursor over both daemons never reset or went back", backwards[:5])
    check(streams > 0 and not restarts, "an event stream resumed on the other daemon goes on from the cursor (%d streams)" % streams,
          restarts[:5])
    twice = {frame: changes for frame, changes in seen.items() if len(changes) != 1}
    check(not twice, "no change was seen twice", list(twice.items())[:5])
    missing = sorted(set(acknowledged) - set(seen))
    check(not missing, "every acknowledged write was seen by the monitor (%d writes, %d polls)" % (len(acknowledged), polls), missing[:10])
    wrong = [frame for frame, changes in seen.items() if changes[0] != (RENDERING, 0.5)]
    check(not wrong, "each as written", [(frame, seen[frame]) for frame in wrong[:5]])
    a, b = monitors[0].getAllFramesInfo(project), monitors[1].getAllFramesInfo(project)
    check(a == b and len(a) == len(acknowledged), "both daemons hold the same %d frames" % len(a), (len(a), len(b)))
    check(monitors[0].getChangedFrames(project, 0)["event_id"] == monitors[1].getChangedFrames(project, 0)["event_id"],
          "both daemons are at the same event id", None)


def health(url):
    """What /healthz says (its body, or why there was none)."""
    try:
        return urllib.request.urlopen(url + "/healthz", timeout=2).read().decode().strip()
    except urllib.error.HTTPError as error:
        return "HTTP %d: %s" % (error.code, error.read().decode().strip())
    except Exception as error:
        return repr(error)


def healthy(url):
    return health(url) == "ok"


def outage():
    project = "farm/shared-outage"
    stop_file = sys.argv[4]
    check(proxy(URL_A).startedRenderProject(project, [], False, "job") is True, "the render starts", None)
    stop = threading.Event()
    threads, acknowledged, errors, lock = writers(project, 8, 0, lambda frame: (frame % 97 + 1) / 100.0, stop=stop)
    for thread in threads:
        thread.start()
    while True:
        with lock:
            if len(acknowledged) >= 200:
                break
        time.sleep(0.01)
    print("LOAD RUNNING", flush=True)
    deadline = time.time() + 120
    while not os.path.exists(stop_file) and time.time() < deadline:
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    check(not errors, "every call succeeded while the database went away and came back (%d writes)" % len(acknowledged), errors[:5])
    deadline = time.time() + 30
    while time.time() < deadline and not (healthy(URL_A) and healthy(URL_B)):
        time.sleep(0.2)
    check(healthy(URL_A) and healthy(URL_B), "both daemons are healthy again", (health(URL_A), health(URL_B)))
    while True:
        a, b = proxy(URL_A).getAllFramesInfo(project), proxy(URL_B).getAllFramesInfo(project)
        if (a == b and len(a) == len(acknowledged)) or time.time() > deadline:
            break
        time.sleep(0.2)
    check(a == b, "both daemons agree frame for frame", (len(a), len(b)))
    held = {frame: (status, fraction) for frame, status, fraction in a}
    lost = [frame for frame, fraction in acknowledged.items() if held.get(frame) != (RENDERING, fraction)]
    check(not lost, "every acknowledged write is there (%d)" % len(acknowledged), [(f, held.get(f), acknowledged[f]) for f in lost[:5]])


run({"cursor": cursor, "outage": outage})
