"""A render driven by 32 concurrent farm clients (Python's xmlrpc.client, one connection each),
every acknowledged call kept in a file; then, against the restarted daemon, a check that every
acknowledged write is there.
Usage: store_load.py URL load ACKFILE    (prints READY TO KILL once the short clients are done and
                                          the load is well under way; exits 0 once every client
                                          stopped, 1 if none was cut short by the kill)
       store_load.py URL verify ACKFILE  (exits non-zero with a message on the first failed check)"""
import json
import sys
import threading
import time
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
PROJECT = "farm/sigkill"
THREADS = 32
SHORT_THREADS = 8  # render 2 frames each and finish before the kill
SHORT_FRAMES = 2
LONG_FRAMES = 50
KILL_AFTER = 1200  # acknowledged calls before the daemon may be killed

WAITING, RENDERING, DONE, ERROR = 0, 3, 5, 6


def frames_of_threads():
    frames, number = [], 1
    for thread in range(THREADS):
        count = SHORT_FRAMES if thread < SHORT_THREADS else LONG_FRAMES
        frames.append(list(range(number, number + count)))
        number += count
    return frames


def steps(frame):
    """A frame's calls, in order: started, three fractions, then Done (or Error for every fifth)."""
    calls = [("startedFrameRender", [PROJECT, frame, "job.%d" % frame, "/renders/sigkill/f.%d.exr" % frame])]
    calls += [("setFrameRenderFraction", [PROJECT, frame, fraction]) for fraction in (0.25, 0.5, 0.75)]
    if frame % 5 == 0:
        calls.append(("setFrameError", [PROJECT, frame, "boom %d" % frame]))
    else:
        calls.append(("setFrameRenderFraction", [PROJECT, frame, 1.0]))
    return calls


def state_after(frame, step):
    """[status, fraction] after the frame's call `step` (-1: none yet)."""
    if step < 0:
        return [WAITING, 0.0]
    if step < 4:
        return [RENDERING, [0.0, 0.25, 0.5, 0.75][step]]
    return [ERROR, 0.0] if frame % 5 == 0 else [DONE, 1.0]


def load():
    ack_path = sys.argv[3]
    frames = frames_of_threads()
    acks = open(ack_path, "w")
    lock = threading.Lock()
    acknowledged = [0]
    finished = [False] * THREADS
    stopped = [None] * THREADS

    tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)
    everything = [frame for numbers in frames for frame in numbers]
    check(tracker.startedRenderProject(PROJECT, everything, False, "job") is True, "startedRenderProject acknowledged", None)

    def client(thread):
        proxy = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)
        try:
            for frame in frames[thread]:
                for step, (method, params) in enumerate(steps(frame)):
                    if getattr(proxy, method)(*params) is not True:
                        raise RuntimeError("%s answered something else than true" % method)
                    with lock:
                        acks.write(json.dumps({"thread": thread, "frame": frame, "step": step}) + "\n")
                        acks.flush()
                        acknowledged[0] += 1
            finished[thread] = True
        except Exception as error:  # the daemon was killed: this client stops here
            stopped[thread] = repr(error)

    threads = [threading.Thread(target=client, args=(thread,)) for thread in range(THREADS)]
    for thread in threads:
        thread.start()
    said = False
    while any(thread.is_alive() for thread in threads):
        if not said and all(finished[:SHORT_THREADS]) and acknowledged[0] >= KILL_AFTER:
            print("READY TO KILL after %d acknowledged calls" % acknowledged[0], flush=True)
            said = True
        time.sleep(0.005)
    for thread in threads:
        thread.join()
    acks.close()
    cut = [thread for thread in range(THREADS) if stopped[thread]]
    total = sum(len(steps(frame)) for frame in everything)
    print("acknowledged %d of %d calls; %d clients finished, %d cut short (%s)" % (
        acknowledged[0], total, THREADS - len(cut), len(cut), stopped[cut[0]] if cut else "none"))
    check(said, "the load went far enough for the kill", acknowledged[0])
    check(len(cut) > 0, "the daemon was killed while clients were still sending", acknowledged[0])


def verify():
    frames = frames_of_threads()
    last = {}  # frame -> last acknowledged step
    last_of_thread = {}  # thread -> (frame, step) of its last acknowledged call
    for line in open(sys.argv[3]):
        ack = json.loads(line)
        last[ack["frame"]] = max(last.get(ack["frame"], -1), ack["step"])
        last_of_thread[ack["thread"]] = (ack["frame"], ack["step"])
    tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)
    check(PROJECT in tracker.getAllProjects(), "the project is there after the restart", tracker.getAllProjects())
    info = {row[0]: [row[1], row[2]] for row in tracker.getAllFramesInfo(PROJECT)}
    everything = [frame for numbers in frames for frame in numbers]
    check(sorted(info) == everything, "every frame of the project is there", len(info))

    mismatches, exact = [], 0
    for thread, numbers in enumerate(frames):
        # The call the client had sent when the daemon died: applied or not, either is right.
        in_flight = None
        if thread in last_of_thread:
            frame, step = last_of_thread[thread]
            if step + 1 < len(steps(frame)):
                in_flight = (frame, step + 1)
            elif numbers.index(frame) + 1 < len(numbers):
                in_flight = (numbers[numbers.index(frame) + 1], 0)
        elif numbers:
            in_flight = (numbers[0], 0)
        for frame in numbers:
            step = last.get(frame, -1)
            allowed = [state_after(frame, step)]
            if in_flight == (frame, step + 1):
                allowed.append(state_after(frame, step + 1))
            else:
                exact += 1
            if info[frame] not in allowed:
                mismatches.append("frame %d: %r, acknowledged up to step %d so expected one of %r" % (frame, info[frame], step, allowed))
    check(not mismatches, "every frame is at its last acknowledged state (or the call in flight)", mismatches[:10])
    finished = [thread for thread, numbers in enumerate(frames) if last_of_thread.get(thread) == (numbers[-1], 4)]
    check(set(range(SHORT_THREADS)) <= set(finished), "the clients that finished before the kill are all there exactly", finished)

    # Job ids, image paths and error messages of every frame a client started, in multicalls.
    started = [frame for frame in everything if last.get(frame, -1) >= 0]
    for first in range(0, len(started), 200):
        batch = started[first:first + 200]
        multicall = xmlrpc.client.MultiCall(tracker)
        for frame in batch:
            multicall.getFrameJobID(PROJECT, frame)
            multicall.getImagePath(PROJECT, frame)
            multicall.getFrameLog(PROJECT, frame)
        answers = list(multicall())
        for index, frame in enumerate(batch):
            job, image, log = answers[3 * index:3 * index + 3]
            if job != "job.%d" % frame or image != "/renders/sigkill/f.%d.exr" % frame:
                mismatches.append("frame %d: job %r, image %r" % (frame, job, image))
            if last[frame] == 4 and frame % 5 == 0 and "boom %d" % frame not in log[-1]:
                mismatches.append("frame %d: log %r" % (frame, log))
    check(not mismatches, "every started frame has its job id, image path and error", mismatches[:10])
    print("verified %d frames (%d acknowledged calls), %d of them exactly" % (len(everything), sum(s + 1 for s in last.values()), exact))


run({"load": load, "verify": verify})
