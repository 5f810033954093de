"""A monitor's getChangedFrames cursor across a daemon restart, and what `--store memory` keeps.
Usage: store_cursor.py URL SCENARIO [STATEFILE]   (exits non-zero with a message on the first failed check)
  before STATEFILE  a render, a cursor, changes after it; the cursor and the daemon's answer saved
  after STATEFILE   (restarted daemon) the saved cursor gets exactly the saved answer, reset false
  memory_write      a project written
  memory_empty      (restarted daemon) nothing is left"""
import json
import sys
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
PROJECT = "mon/cursor"
tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)


def before():
    tracker.startedRenderProject(PROJECT, list(range(1, 11)), False, "31")
    for frame in (1, 2, 3):
        tracker.startedFrameRender(PROJECT, frame, "31", "/r/%d.exr" % frame)
    tracker.setFrameRenderFraction(PROJECT, 1, 1.0)
    cursor = tracker.getChangedFrames(PROJECT, 0)["event_id"]
    # After the cursor: frames 2, 5 and 7 change; the bare counter moves too.
    tracker.setFrameRenderFraction(PROJECT, 2, 0.5)
    tracker.startedFrameRender(PROJECT, 5, "31", "/r/5.exr")
    tracker.setFrameError(PROJECT, 7, "no license")
    counter = tracker.incrementAndGetLastEventId()
    answer = tracker.getChangedFrames(PROJECT, cursor)
    check(answer["reset"] is False, "the changes after the cursor, no reset", answer)
    check([row[0] for row in answer["frames"]] == [2, 5, 7], "frames 2, 5 and 7 changed after the cursor, oldest change first", answer)
    check(answer["frames"] == [[2, 3, 0.5], [5, 3, 0.0], [7, 6, 0.0]], "their status and fraction", answer)
    check(answer["event_id"] == counter, "the answer's cursor is the counter", (answer, counter))
    json.dump({"cursor": cursor, "answer": answer}, open(sys.argv[3], "w"))


def after():
    saved = json.load(open(sys.argv[3]))
    answer = tracker.getChangedFrames(PROJECT, saved["cursor"])
    check(answer == saved["answer"], "the old cursor gets exactly the changes after it", (answer, saved["answer"]))
    current = saved["answer"]["event_id"]
    nothing = tracker.getChangedFrames(PROJECT, current)
    check(nothing == {"event_id": current, "frames": [], "reset": False}, "the newest cursor: nothing new, no reset", nothing)
    tracker.setFrameRenderFraction(PROJECT, 3, 0.25)
    changed = tracker.getChangedFrames(PROJECT, current)
    check(changed["reset"] is False and changed["frames"] == [[3, 3, 0.25]], "a change after the restart, no reset", changed)
    check(changed["event_id"] > current, "event ids go on past the ones handed out before", changed)


def memory_write():
    tracker.startedRenderProject("mem/gone", [1, 2], False, "1")
    tracker.setFrameRenderFraction("mem/gone", 1, 1.0)
    check(tracker.getAllProjects() == ["mem/gone"], "the project is there", tracker.getAllProjects())


def memory_empty():
    check(tracker.getAllProjects() == [], "nothing is left after a restart", tracker.getAllProjects())
    check(tracker.getRenderHistory("mem/gone") == [], "no history either", tracker.getRenderHistory("mem/gone"))
    check(tracker.getChangedFrames("mem/gone", 0)["event_id"] == 0, "the counter starts again", tracker.getChangedFrames("mem/gone", 0))


run({"before": before, "after": after, "memory_write": memory_write, "memory_empty": memory_empty})
