"""HQueue's call sequences, sent with Python's own xmlrpc.client exactly as the farm scripts do.
Usage: hqueue_routes.py URL SCENARIO   (exits non-zero with a message on the first failed check)"""
import sys
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
WAITING, GENERATING, IFD_READY, RENDERING, DOWNLOADING, DONE, ERROR = range(7)


def proxy(**options):
    return xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True, **options)


def statuses(server, project):
    return {f: s for f, s, _ in server.getAllFramesInfo(project)}


def ifd_route():
    s = proxy()
    project = s.suggestInactiveProjectName("bob/ifd_shot")
    check(project == "bob/ifd_shot", "a free name is suggested as is", project)
    frames = [5, 1, 3, 2, 4]  # HQueue sends frames in subdivision order
    check(s.startedRenderProject(project, frames, True, "101") is True, "startedRenderProject answers True", None)
    check(s.suggestInactiveProjectName("bob/ifd_shot") == "bob/ifd_shot (2)", "a running name gets (2)",
          s.suggestInactiveProjectName("bob/ifd_shot"))
    check(s.doesProjectGenerateIFDs(project) is True, "the project generates IFDs", None)
    info = s.getAllFramesInfo(project)
    check(info == [[f, WAITING, 0.0] for f in range(1, 6)], "frames listed sorted, all Waiting", info)
    for f in frames:
        s.startedGeneratingFrameIFD(project, f)
    check(set(statuses(s, project).values()) == {GENERATING}, "every frame Generating IFD", statuses(s, project))
    for f in frames:
        s.endedGeneratingFrameIFD(project, f)
    check(set(statuses(s, project).values()) == {IFD_READY}, "every frame IFD Ready", statuses(s, project))
    for f in frames:
        s.startedFrameRender(project, f, "2%02d" % f, "/renders/ifd_shot.%04d.exr" % f)
        check(s.getImagePath(project, f) == "/renders/ifd_shot.%04d.exr" % f, "mantra reads frame %d's image path" % f,
              s.getImagePath(project, f))
        for tenth in (0.07, 0.35, 0.98):
            s.setFrameRenderFraction(project, f, tenth)
        check(s.getAllFramesInfo(project)[f - 1] == [f, RENDERING, 0.98], "frame %d Rendering at 0.98" % f,
              s.getAllFramesInfo(project)[f - 1])
        s.setFrameRenderFraction(project, f, 1.0)
    check(s.isProjectDone(project) is True, "all frames Done", s.getAllFramesInfo(project))
    check(s.isProjectRunning(project) is False, "a done project is not running", None)
    check(s.getEstimatedRenderSecondsLeft(project) == 0.0, "nothing left of a done project",
          s.getEstimatedRenderSecondsLeft(project))
    check(s.getFrameJobID(project, 3) == "203", "frame 3 rendered by job 203", s.getFrameJobID(project, 3))
    check(s.suggestInactiveProjectName("bob/ifd_shot") == "bob/ifd_shot", "a done project's name is free again", None)
    log = s.getFrameLog(project, 2)
    check(any("Rendering by job 202" in line for line in log) and log[-1].endswith("Done"), "the frame log tells the story", log)


def render_from_hip():
    s = proxy()
    project = "bob/hip_shot"
    s.startedRenderProject(project, [10, 11, 12], False, "301")
    check(s.doesProjectGenerateIFDs(project) is False, "render from hip generates no IFDs", None)
    for f in (10, 11, 12):
        s.startedFrameRender(project, f, "302", "/renders/hip.%d.exr" % f)
        s.setFrameRenderFraction(project, f, 0.5)
        s.setFrameRenderFraction(project, f, 100.0)  # the percentage this route sends at the end
    info = s.getAllFramesInfo(project)
    check(info == [[10, DONE, 1.0], [11, DONE, 1.0], [12, DONE, 1.0]], "100.0 finishes each frame", info)
    check(s.isProjectDone(project) is True, "the project is done", None)


def existing_ifds():
    s = proxy()
    project = "bob/existing_ifds"  # never started: this route only reports results
    check(s.getAllFramesInfo(project) == [], "an unknown project has no frames", s.getAllFramesInfo(project))
    check(s.getImagePath(project, 1) is None, "an unknown frame's image path is None", None)
    check(s.isProjectRunning(project) is False, "an unknown project is not running", None)
    for f in (1, 2, 3):
        check(s.setFrameRenderFraction(project, f, 1.0) is True, "a result for unknown frame %d is accepted" % f, None)
    s.setFrameError(project, 4, "mantra: cannot open IFD")
    check(statuses(s, project) == {1: DONE, 2: DONE, 3: DONE, 4: ERROR}, "results recorded", statuses(s, project))
    check(project in s.getAllProjects(), "the project now exists", s.getAllProjects())
    check(s.isProjectDone(project) is False, "a project with an error is not done", None)
    check(s.isProjectRunning(project) is False, "nor running: it failed", None)
    log = s.getFrameLog(project, 1)
    check("project created implicitly" in log[0], "the log says how the project appeared", log)


def tiled():
    s = proxy()
    project = "bob/tiled"
    s.startedRenderProject(project, [1], True, "401")
    for tile in range(4):  # each tile job starts the same frame with its own job id
        s.startedFrameRender(project, 1, "41%d" % tile, "/renders/tiled.0001.exr")
        s.setFrameRenderFraction(project, 1, 0.25 * (tile + 1) - 0.01)
    check(s.getFrameJobID(project, 1) == "413", "the last tile job's id is kept", s.getFrameJobID(project, 1))
    check(statuses(s, project) == {1: RENDERING}, "the frame is still Rendering", statuses(s, project))
    s.setFrameRenderFraction(project, 1, 1.0)
    check(statuses(s, project) == {1: DONE}, "the frame is Done", statuses(s, project))


def retry_after_error():
    s = proxy()
    project = "bob/retry"
    s.startedRenderProject(project, [1, 2], False, "501")
    s.startedFrameRender(project, 1, "502", "/renders/retry.1.exr")
    mantra_output = "mantra: rendering...\n" * 200000 + "mantra: Error: out of memory\n"  # about 4 MB
    s.setFrameError(project, 1, mantra_output)
    check(statuses(s, project)[1] == ERROR, "the frame is in Error", statuses(s, project))
    log = s.getFrameLog(project, 1)
    last = log[-1]
    check("bytes cut" in last and last.endswith("mantra: Error: out of memory\n") and len(last) < 70000,
          "the huge message is kept head and tail, bounded", (len(last), last[-200:]))
    s.startedFrameRender(project, 1, "503", "/renders/retry.1.exr")  # HQueue retries the job
    check(statuses(s, project)[1] == RENDERING, "a retried frame leaves Error", statuses(s, project))
    check(any("retry after error" in line for line in s.getFrameLog(project, 1)), "the log notes the retry", None)
    s.setFrameRenderFraction(project, 1, 1.0)
    check(statuses(s, project)[1] == DONE, "the retried frame finishes", statuses(s, project))


def rerender_stale_cursor():
    s = proxy()
    project = "bob/rerender"
    s.startedRenderProject(project, list(range(1, 101)), False, "601")
    first = s.getChangedFrames(project, 0)
    check(first["reset"] is True and len(first["frames"]) == 100, "cursor 0 gets every frame with reset", first["reset"])
    cursor = first["event_id"]
    s.setFrameRenderFraction(project, 7, 0.5)
    s.setFrameRenderFraction(project, 9, 0.25)
    s.setFrameRenderFraction(project, 7, 0.75)
    changes = s.getChangedFrames(project, cursor)
    check(changes["reset"] is False and changes["frames"] == [[9, RENDERING, 0.25], [7, RENDERING, 0.75]],
          "only the changed frames, each once, in order of change", changes)
    stale = changes["event_id"]
    s.startedRenderProject(project, list(range(1, 51)), False, "602")  # re-render clears the old project
    after = s.getChangedFrames(project, stale)
    check(after["reset"] is True and len(after["frames"]) == 50 and after["frames"][6] == [7, WAITING, 0.0],
          "a cursor from before the re-render resets", after["reset"])
    quiet = s.getChangedFrames(project, after["event_id"])
    check(quiet["frames"] == [] and quiet["reset"] is False, "nothing changed since the new cursor", quiet)
    check(s.incrementAndGetLastEventId() == after["event_id"] + 1, "the event counter is global and increments", None)


def multicall():
    s = proxy()
    s.startedRenderProject("bob/multi", [1, 2], False, "701")
    batch = xmlrpc.client.MultiCall(s)
    batch.setFrameRenderFraction("bob/multi", 1, 0.5)
    batch.isProjectDone("no/such/project")
    batch.getAllFramesInfo("bob/multi")
    results = batch()
    check(results[0] is True, "the first call of the batch ran", None)
    try:
        results[1]
        check(False, "the failing call raises its own fault", None)
    except xmlrpc.client.Fault as fault:
        check(fault.faultCode == 1 and "no such project" in fault.faultString, "the failing call raises its own fault", fault)
    check(results[2] == [[1, RENDERING, 0.5], [2, WAITING, 0.0]], "a fault does not stop the batch", results[2])
    nested = s.system.multicall([{"methodName": "system.multicall", "params": [[]]}, {"methodName": "isRunning", "params": []}])
    check(nested[0]["faultCode"] == -32600 and "nested" in nested[0]["faultString"] and nested[1] == [True],
          "nested multicall is refused, the rest runs", nested)


def project_error():
    s = proxy()
    project = "bob/project_error"
    s.startedRenderProject(project, [1, 2, 3], False, "801")
    s.setFrameRenderFraction(project, 1, 1.0)
    s.setProjectError(project, "Output driver '/out/mantra1' does not exist.")
    check(statuses(s, project) == {1: DONE, 2: ERROR, 3: ERROR}, "frames not Done go to Error, Done frames stay",
          statuses(s, project))
    check(any("frame stays Done" in line for line in s.getFrameLog(project, 1)), "the Done frame's log has the message", None)
    check(s.isProjectRunning(project) is False, "the project failed", None)
    s.startedFrameRender(project, 2, "802", "/r/2.exr")  # the quirk: jobs go on after a spurious project error
    check(statuses(s, project)[2] == RENDERING and s.isProjectRunning(project) is True, "a frame can still restart", None)


def cloud_download():
    s = proxy()
    project = "bob/cloud"
    s.startedRenderProject(project, [1], False, "901")
    s.startedFrameRender(project, 1, "902", "/r/cloud.1.exr")
    s.setFrameRenderFraction(project, 1, 0.99)
    s.setFrameDownloadFraction(project, 1, 0.4)
    check(s.getAllFramesInfo(project) == [[1, DOWNLOADING, 0.4]], "Downloading with the download fraction",
          s.getAllFramesInfo(project))
    s.setFrameDownloadFraction(project, 1, 1.0)
    check(s.getAllFramesInfo(project) == [[1, DONE, 1.0]], "a full download is Done", s.getAllFramesInfo(project))


def introspection():
    s = proxy()
    methods = s.system.listMethods()
    seed = ["startedRenderProject", "startedGeneratingFrameIFD", "endedGeneratingFrameIFD", "startedFrameRender",
            "setFrameRenderFraction", "setFrameDownloadFraction", "setFrameError", "setProjectError",
            "getAllFramesInfo", "getChangedFrames", "getEstimatedRenderSecondsLeft", "getFrameLog", "getFrameJobID",
            "getImagePath", "getAllProjects", "isProjectDone", "isProjectRunning", "isRunning", "removeProject",
            "doesProjectGenerateIFDs", "suggestInactiveProjectName", "incrementAndGetLastEventId",
            "applyProjectNameFormula", "getFrameStatusNames", "getProjectSummary",
            "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall"]
    check(all(m in methods for m in seed), "every method is listed", sorted(set(seed) - set(methods)))
    check(s.system.methodSignature("setFrameRenderFraction") == [["boolean", "string", "int", "double"]],
          "signatures are [return, params...]", s.system.methodSignature("setFrameRenderFraction"))
    check("percentages" in s.system.methodHelp("setFrameRenderFraction"), "help explains the method", None)
    check(s.getFrameStatusNames() == ["Waiting", "Generating IFD", "IFD Ready", "Rendering", "Downloading", "Done", "Error"],
          "status names by index", s.getFrameStatusNames())
    check(s.isRunning() is True, "isRunning answers True", None)
    check(s.applyProjectNameFormula("bob", "/home/bob/shots/sq010_sh020_v003.hipnc") == "bob/sq010_sh020_v003",
          "the built-in name formula", None)


def types_and_faults():
    s = proxy()
    s.startedRenderProject("bob/types", [1, 2], False, "1001")
    check(s.setFrameRenderFraction("bob/types", 2.0, 0.5) is True, "an integral double is a frame number", None)
    check(s.getAllFramesInfo("bob/types")[1] == [2, RENDERING, 0.5], "frame 2.0 is frame 2", s.getAllFramesInfo("bob/types"))
    for call, code, words in [
        (lambda: s.setFrameRenderFraction("bob/types", "two", 0.5), -32602, "parameter 2 (frame) must be an integer"),
        (lambda: s.setFrameRenderFraction("bob/types", 1, float("inf")), -32602, "parameter 3 (fraction) must be a finite number"),
        (lambda: s.setFrameRenderFraction("bob/types", 1.5, 0.5), -32602, "got double 1.5"),
        (lambda: s.startedRenderProject("bob/types", [1, "x"], False, "1"), -32602, "item 1 is string"),
        (lambda: s.setFrameError("bob/types", 1), -32602, "takes 3 parameters; got 2"),
        (lambda: s.noSuchMethod(), -32601, "noSuchMethod"),
        (lambda: s.isProjectDone("never/heard/of"), 1, "no such project"),
        (lambda: s.setFrameError("x" * 5000, 1, "e"), -32602, "project names are limited to 4096"),
    ]:
        try:
            call()
            check(False, "fault %d expected" % code, None)
        except xmlrpc.client.Fault as fault:
            check(fault.faultCode == code and words in fault.faultString, "fault %d: %s" % (code, words), fault)
    check(s.setFrameRenderFraction("bob/types", 1, 250.0) is True and s.getAllFramesInfo("bob/types")[0][1] == DONE,
          "a fraction over 100 is clamped, not refused", s.getAllFramesInfo("bob/types"))
    check(s.removeProject("bob/types") is True and s.removeProject("bob/types") is False, "removeProject says if it removed", None)


def gzip_both_ways():
    transport = xmlrpc.client.Transport()
    transport.encode_threshold = 0  # gzip every request body
    s = xmlrpc.client.ServerProxy(URL + "/RPC2", transport=transport, allow_none=True)
    frames = list(range(1, 10001))
    s.startedRenderProject("bob/gzip", frames, False, "1101")
    info = s.getAllFramesInfo("bob/gzip")  # a large answer, gzipped by the server (Python asks for gzip)
    check(len(info) == 10000 and info[-1] == [10000, WAITING, 0.0], "10,000 frames through gzip both ways", len(info))


if __name__ == "__main__":
    run({name: f for name, f in list(globals().items())
         if callable(f) and getattr(f, "__module__", None) == "__main__" and name not in ['proxy', 'statuses']})
