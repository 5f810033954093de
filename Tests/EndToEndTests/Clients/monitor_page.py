"""The live monitor page in a real headless Chromium (through Selenium and Debian's chromedriver),
while Python's xmlrpc.client plays the farm.
Usage: monitor_page.py URL SCENARIO   (exits non-zero with a message on the first failed check)
SCREENSHOTS_DIR: where the screenshots go (docs/images for the documentation; default a temporary
folder)."""
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
PORT = urllib.parse.urlparse(URL).port
tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)
SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR") or tempfile.mkdtemp(prefix="monitor-screenshots-")

WAITING, GENERATING, IFD_READY, RENDERING, DOWNLOADING, DONE, ERROR = range(7)


def browser(width=1400, height=900):
    """Headless Chromium, or a clear failure naming what to install: CI must not pass without it."""
    missing = [name for name in ("chromium", "chromedriver") if not shutil.which(name)]
    if missing:
        sys.exit("FAILED: %s not found: install the Debian packages chromium and chromium-driver "
                 "(make test and .ci/run do)" % " and ".join(missing))
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        sys.exit("FAILED: the selenium module is missing: python3 -m pip install selenium (make test and .ci/run do)")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=%d,%d" % (width, height), "--force-device-scale-factor=1", "--lang=en-GB"):
        options.add_argument(argument)
    # Debian's chromedriver, named explicitly: Selenium would otherwise try to download one.
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def wait_until(driver, script, limit, what):
    """Polls a JavaScript expression until it is truthy; fails after `limit` seconds. Returns the
    value and the seconds it took."""
    started = time.monotonic()
    while True:
        value = driver.execute_script("return " + script)
        took = time.monotonic() - started
        if value:
            return value, took
        if took > limit:
            check(False, "%s within %.1f s" % (what, limit), value)
        time.sleep(0.02)


def frame(driver, number):
    return driver.execute_script("return rendertrackerMonitor.frame(arguments[0])", number)


def cell_color(driver, number, near_bottom=False):
    """The colour the canvas shows for a frame's cell, as '#rrggbb' (its centre, or its bottom row
    for a partly rendered frame)."""
    return driver.execute_script("""
        const cell = rendertrackerMonitor.frame(arguments[0]);
        const y = arguments[1] ? cell.y + cell.size - 2 : cell.y + cell.size / 2;
        const [r, g, b] = document.getElementById("grid").getContext("2d")
            .getImageData(cell.x + cell.size / 2, y, 1, 1).data;
        return "#" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");
    """, number, near_bottom)


def row_texts(driver):
    return driver.execute_script("""
        return [...document.querySelectorAll("#projects tbody tr")].map((row) =>
            Object.fromEntries([...row.cells].map((cell) => [cell.dataset.column, cell.textContent])));
    """)


def screenshot(driver, name):
    path = os.path.join(SCREENSHOTS, name)
    driver.save_screenshot(path)
    with open(path, "rb") as image:
        check(image.read(8) == b"\x89PNG\r\n\x1a\n", "screenshot " + path, path)


def farm(project, frames, job, plan, generate_ifds=False):
    """Starts a project and puts frames into states: plan maps frame -> (status, fraction)."""
    tracker.startedRenderProject(project, frames, generate_ifds, job)
    for number, (status, fraction) in plan.items():
        if status in (GENERATING, IFD_READY):
            tracker.startedGeneratingFrameIFD(project, number)
            if status == IFD_READY:
                tracker.endedGeneratingFrameIFD(project, number)
        elif status == RENDERING:
            tracker.startedFrameRender(project, number, str(int(job) + number), "/render/%s.%04d.exr" % (project, number))
            tracker.setFrameRenderFraction(project, number, fraction)
        elif status == DOWNLOADING:
            tracker.setFrameDownloadFraction(project, number, fraction)
        elif status == DONE:
            tracker.startedFrameRender(project, number, str(int(job) + number), "/render/%s.%04d.exr" % (project, number))
            tracker.setFrameRenderFraction(project, number, 1.0)
        elif status == ERROR:
            tracker.startedFrameRender(project, number, str(int(job) + number), "/render/%s.%04d.exr" % (project, number))
            tracker.setFrameError(project, number, "mantra: Unable to open /textures/rock_%d.rat: no such file" % number)


def projects_list():
    farm("anna/fx_v012", list(range(1, 41)), "100", {**{n: (DONE, 1) for n in range(1, 31)}, 31: (ERROR, 0), 32: (RENDERING, 0.4)})
    farm("bob/shot_v003", [1, 2, 3], "200", {n: (DONE, 1) for n in (1, 2, 3)})
    farm("carl/crowd_v007", [1, 2], "300", {1: (ERROR, 0), 2: (DONE, 1)})
    driver = browser()
    try:
        driver.get(URL + "/")
        wait_until(driver, 'document.querySelectorAll("#projects tbody tr").length === 3', 5, "three projects listed")
        rows = {row["name"]: row for row in row_texts(driver)}
        check(rows["anna/fx_v012"]["state"] == "running" and rows["anna/fx_v012"]["done"] == "30 / 40"
              and rows["anna/fx_v012"]["errors"] == "1" and rows["anna/fx_v012"]["job"] == "100",
              "a running project's state, frames done, errors and job id", rows["anna/fx_v012"])
        check(rows["bob/shot_v003"]["state"] == "done" and rows["carl/crowd_v007"]["state"] == "failed",
              "finished projects are done and failed", rows)
        widths = driver.execute_script("""
            const bar = document.querySelector('tr[data-project="anna/fx_v012"] .bar');
            return [...bar.children].map((segment) => segment.style.width);""")
        check(widths[DONE] == "75%" and widths[ERROR] == "2.5%" and widths[RENDERING] == "2.5%" and widths[WAITING] == "20%",
              "the bar is split by status in proportion", widths)
        causes = driver.execute_script("""return Object.fromEntries([...document.querySelectorAll("#projects tbody tr")]
            .map((row) => [row.dataset.project, row.querySelector(".cause").textContent]))""")
        check(causes == {"anna/fx_v012": "frame 31: mantra: Unable to open /textures/rock_31.rat: no such file",
                         "bob/shot_v003": "", "carl/crowd_v007": "frame 1: mantra: Unable to open /textures/rock_1.rat: no such file"},
              "a failed project's row shows its first failed frame and the cause", causes)
        finish = rows["bob/shot_v003"]["finish"]
        check(re.fullmatch(r"\d{1,2}:\d\d( [AP]M)?", finish), "a finished project's finish is a clock time (today: no date)", finish)
        screenshot(driver, "monitor-projects.png")

        driver.find_element("id", "filter").send_keys("crowd")
        wait_until(driver, 'document.querySelectorAll("#projects tbody tr").length === 1', 2, "the filter leaves one project")
        driver.find_element("id", "filter").clear()
        driver.execute_script('document.getElementById("filter").dispatchEvent(new Event("input"))')
        driver.find_element("id", "hide-finished").click()
        wait_until(driver, 'document.querySelectorAll("#projects tbody tr").length === 1', 2, "hiding finished projects leaves the running one")
        check([row["name"] for row in row_texts(driver)] == ["anna/fx_v012"], "the running project stays", row_texts(driver))
        driver.find_element("id", "hide-finished").click()
        driver.execute_script('const s = document.getElementById("sort"); s.value = "name"; s.dispatchEvent(new Event("input"))')
        wait_until(driver, """[...document.querySelectorAll("#projects tbody tr")].map((r) => r.dataset.project).join()
            === "anna/fx_v012,bob/shot_v003,carl/crowd_v007" """, 2, "all three back, sorted by name")
    finally:
        driver.quit()


def project_view():
    plan = {1: (DONE, 1), 2: (DONE, 1), 3: (RENDERING, 0.75), 4: (ERROR, 0), 5: (IFD_READY, 0), 6: (DOWNLOADING, 0.5)}
    plan.update({n: (DONE, 1) for n in range(20, 120)})
    farm("dina/env_v020", list(range(1, 301)), "400", plan, generate_ifds=True)
    driver = browser()
    try:
        driver.get(URL + "/#project=" + urllib.parse.quote("dina/env_v020", safe=""))
        wait_until(driver, "rendertrackerMonitor.frame(300) !== null", 5, "the grid holds all 300 frames")
        colors = driver.execute_script("return rendertrackerMonitor.statusColors")
        for number, status in [(1, DONE), (4, ERROR), (5, IFD_READY), (7, WAITING), (300, WAITING)]:
            check(frame(driver, number)["status"] == status, "frame %d is status %d" % (number, status), frame(driver, number))
            check(cell_color(driver, number) == colors[status], "frame %d's cell has its status colour" % number,
                  (cell_color(driver, number), colors[status]))
        check(abs(frame(driver, 3)["fraction"] - 0.75) < 1e-6 and cell_color(driver, 3, near_bottom=True) == colors[RENDERING],
              "a frame rendering at 75% fills its cell from the bottom", (frame(driver, 3), cell_color(driver, 3, True)))
        facts = driver.execute_script("""return Object.fromEntries([...document.querySelectorAll("#project-facts div")]
            .map((d) => [d.dataset.fact, d.querySelector("dd").textContent]))""")
        check(facts["Done"] == "102 / 300" and facts["Errors"] == "1" and facts["Job"] == "400" and facts["IFDs"] == "generated",
              "the project's facts", facts)
        screenshot(driver, "monitor-project.png")

        # Click frame 4's cell: its log, job id, image path and error.
        from selenium.webdriver.common.action_chains import ActionChains
        canvas = driver.find_element("id", "grid")
        cell = frame(driver, 4)
        size = canvas.size
        ActionChains(driver).move_to_element_with_offset(
            canvas, cell["x"] + cell["size"] // 2 - size["width"] // 2, cell["y"] + cell["size"] // 2 - size["height"] // 2).click().perform()
        wait_until(driver, '!document.getElementById("frame-panel").hidden && document.getElementById("frame-log").textContent',
                   3, "the frame panel shows the log")
        log = driver.execute_script('return [...document.querySelectorAll("#frame-log > *")].map((e) => e.textContent)')
        expected = tracker.getFrameLog("dina/env_v020", 4)
        check(log == list(reversed(expected)) and "Error: mantra: Unable to open" in log[0],
              "the panel shows getFrameLog's lines, newest first", log)
        details = driver.execute_script("""return Object.fromEntries([...document.querySelectorAll("#frame-facts div")]
            .map((d) => [d.dataset.fact, d.querySelector("dd").textContent]))""")
        cause = driver.execute_script('return document.getElementById("frame-cause").textContent')
        check(driver.find_element("id", "frame-title").text == "Frame 4" and details["Job"] == "404"
              and details["Image"] == "/render/dina/env_v020.0004.exr"
              and cause == "mantra: Unable to open /textures/rock_4.rat: no such file",
              "the panel shows the cause, the job id and the image path", (cause, details))
        screenshot(driver, "monitor-frame-log.png")
    finally:
        driver.quit()


def name_with_space():
    """suggestInactiveProjectName's `name (2)`: the page writes the space as "+" in /events?project=."""
    farm("bob/shot_v003", [1, 2], "500", {1: (RENDERING, 0.5)})
    name = tracker.suggestInactiveProjectName("bob/shot_v003")
    check(name == "bob/shot_v003 (2)", "the second concurrent render's name", name)
    farm(name, [1, 2, 3], "600", {1: (DONE, 1), 2: (RENDERING, 0.5)})
    driver = browser()
    try:
        driver.get(URL + "/#project=" + urllib.parse.quote(name, safe=""))
        wait_until(driver, "rendertrackerMonitor.frame(3) !== null", 5, "the grid of %s holds its 3 frames" % name)
        check(frame(driver, 1)["status"] == DONE and frame(driver, 2)["status"] == RENDERING,
              "the frames of a project whose name has a space", [frame(driver, n) for n in (1, 2)])
    finally:
        driver.quit()


def live_updates():
    farm("eve/lookdev_v001", list(range(1, 101)), "500", {n: (DONE, 1) for n in range(1, 99)})
    driver = browser()
    try:
        driver.get(URL + "/#project=" + urllib.parse.quote("eve/lookdev_v001", safe=""))
        wait_until(driver, 'document.getElementById("connection").dataset.state === "live" && rendertrackerMonitor.frame(100)',
                   5, "the page is live with the project's frames")
        resets = driver.execute_script("return rendertrackerMonitor.stats.resets")
        tracker.startedFrameRender("eve/lookdev_v001", 99, "599", "/render/eve.0099.exr")
        tracker.setFrameRenderFraction("eve/lookdev_v001", 99, 0.5)
        _, took = wait_until(driver, "(f => f.status === 3 && f.fraction === 0.5)(rendertrackerMonitor.frame(99))", 2,
                             "a frame's progress appears")
        print("progress appeared after %.3f s" % took)
        check(driver.execute_script("return rendertrackerMonitor.stats.resets") == resets,
              "a change updates the grid without reloading it", resets)

        # The project finishes: the page says so (and notifies, when opted in).
        tracker.setFrameRenderFraction("eve/lookdev_v001", 99, 1.0)
        tracker.setFrameRenderFraction("eve/lookdev_v001", 100, 1.0)
        notice, took = wait_until(driver, 'document.getElementById("notice").textContent', 2, "the finish is announced")
        check("eve/lookdev_v001 finished: 100 frames" in notice, "the notice names the finished project", notice)

        # Back to the list: a project started meanwhile appears live.
        driver.get(URL + "/#")
        wait_until(driver, 'document.querySelector(\'tr[data-project="eve/lookdev_v001"]\')', 5, "the list")
        tracker.startedRenderProject("fred/new_v001", [1, 2, 3], False, "600")
        _, took = wait_until(driver, 'document.querySelector(\'tr[data-project="fred/new_v001"]\')', 2, "a new project appears")
        print("new project appeared after %.3f s" % took)
    finally:
        driver.quit()


class Proxy:
    """A TCP proxy between the browser and the daemon that can drop every connection (a network
    failure, a restarted load balancer); it keeps what clients sent, to see how they reconnect."""

    def __init__(self, target_port):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.target_port = target_port
        self.lock = threading.Lock()
        self.sockets = []
        self.sent = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source, target, keep):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if keep:
                    with self.lock:
                        self.sent.append(data)
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def drop(self):
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for end in sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()

    def requests(self):
        with self.lock:
            return b"".join(self.sent).decode(errors="replace")


def reconnect():
    farm("gus/sim_v004", list(range(1, 51)), "700", {n: (DONE, 1) for n in range(1, 11)})
    proxy = Proxy(PORT)
    driver = browser()
    try:
        driver.get("http://127.0.0.1:%d/#project=%s" % (proxy.port, urllib.parse.quote("gus/sim_v004", safe="")))
        wait_until(driver, 'document.getElementById("connection").dataset.state === "live" && rendertrackerMonitor.frame(50)',
                   5, "the page is live through the proxy")
        driver.execute_script("window.loadedOnce = 'yes'")  # gone if the page reloads
        stats = driver.execute_script("return {...rendertrackerMonitor.stats, cursor: rendertrackerMonitor.cursor}")

        proxy.drop()
        wait_until(driver, 'document.getElementById("connection").dataset.state !== "live"', 3, "the page notices the drop")
        # Changes while the page is disconnected.
        tracker.setFrameRenderFraction("gus/sim_v004", 20, 1.0)
        tracker.setFrameError("gus/sim_v004", 21, "simulation diverged")
        _, took = wait_until(driver, "rendertrackerMonitor.frame(20).status === 5 && rendertrackerMonitor.frame(21).status === 6",
                             4, "the changes made during the drop arrive after the reconnection")
        print("changes arrived %.3f s after the drop was noticed" % took)
        after = driver.execute_script("return {...rendertrackerMonitor.stats, loaded: window.loadedOnce}")
        check(after["loaded"] == "yes", "the page did not reload", after)
        check(after["resets"] == stats["resets"], "the grid was not reloaded: the stream resumed", (stats, after))
        check("Last-Event-ID: %d" % stats["cursor"] in proxy.requests(),
              "the browser reconnected with Last-Event-ID = the page's cursor (%d)" % stats["cursor"],
              [line for line in proxy.requests().split("\r\n") if line.startswith(("GET /events", "Last-Event-ID"))])
        check(driver.execute_script('return document.getElementById("connection").dataset.state') == "live",
              "the page is live again", None)
    finally:
        driver.quit()
        proxy.drop()


def many_projects():
    """3,500 projects: the first batch comes in pages of 1,000 (see protocol.md, Live updates);
    the list shows them all, then live changes as before."""
    for first in range(0, 3500, 500):
        batch = xmlrpc.client.MultiCall(tracker)
        for number in range(first, first + 500):
            batch.startedRenderProject("many/shot_%04d" % number, [1, 2], False, str(number))
        batch()
    driver = browser()
    try:
        driver.get(URL + "/")
        _, took = wait_until(driver, 'document.getElementById("project-count").textContent === "3500 of 3500 projects"', 30,
                             "all 3,500 projects listed")
        print("3,500 projects listed after %.3f s" % took)
        check(driver.execute_script("return rendertrackerMonitor.stats.batches") >= 4, "they came in several batches", None)
        tracker.setFrameError("many/shot_0001", 1, "mantra died")
        wait_until(driver, 'document.querySelector(\'tr[data-project="many/shot_0001"] td[data-column="errors"]\').textContent === "1"',
                   5, "a change after the pages shows")
    finally:
        driver.quit()


def mantra_output(last_line, size=16 * 1024):
    """A failed mantra frame's whole output, as HQueue sends it: tile progress, then the error."""
    lines = ["mantra: Loading /tmp/houdini_temp/hero_v013.1187.ifd", "mantra: Render mode: micropolygon"]
    tile = 0
    while len("\n".join(lines)) < size:
        tile += 1
        lines.append("ALF_PROGRESS %d%%  [tile %d of 960, 0 errors, 1 warning] elapsed 0:%02d:%02d" % (tile * 100 // 960, tile, tile // 60 % 60, tile % 60))
    return "\n".join(lines + [last_line])


def failure_cause():
    """A 16 KB mantra error whose last line is the cause: the list names it, the failed-frames list
    jumps to the frame, the panel leads with it without scrolling, the grid keeps its columns."""
    project = "hana/hero_v013"
    cause = "mantra: Error: cannot allocate 12.6 GB for texture cache (8.0 GB free on blade-17)"
    frames = list(range(1001, 1241))
    farm(project, frames, "900", {**{n: (DONE, 1) for n in range(1001, 1150)}, 1150: (RENDERING, 0.03)})
    tracker.startedFrameRender(project, 1187, "1187", "/render/hero.1187.exr")
    tracker.setFrameError(project, 1187, mantra_output(cause))
    tracker.startedFrameRender(project, 1203, "1203", "/render/hero.1203.exr")
    tracker.setFrameError(project, 1203, "Traceback (most recent call last):\n  File \"/pipe/render.py\", line 9, in <module>\n"
                          "    raise RuntimeError('x')\nRuntimeError: output driver /out/karma1 not found")
    driver = browser()
    try:
        driver.get(URL + "/")
        wait_until(driver, 'document.querySelector(\'tr[data-project="%s"] .cause\')' % project, 5, "the project listed")
        listed = driver.execute_script("""const row = document.querySelector('tr[data-project="%s"]');
            return { cause: row.querySelector(".cause").textContent,
                     errorWidth: row.querySelector(".bar .s6").getBoundingClientRect().width }""" % project)
        check(listed["cause"] == "frame 1187: " + cause, "the list names the first failed frame and its cause", listed)
        check(listed["errorWidth"] >= 4, "2 errors in 240 frames are visible on the bar (at least 4 px)", listed)

        driver.get(URL + "/#project=" + urllib.parse.quote(project, safe=""))
        wait_until(driver, "rendertrackerMonitor.frame(1240) !== null", 5, "the grid holds all 240 frames")
        colors = driver.execute_script("return rendertrackerMonitor.statusColors")
        check(cell_color(driver, 1150) != colors[WAITING] and cell_color(driver, 1151) == colors[WAITING],
              "a frame rendering at 3% does not look Waiting", (cell_color(driver, 1150), colors[WAITING]))
        check(frame(driver, 1001)["x"] > 0, "the grid leaves a gutter for the rows' frame numbers", frame(driver, 1001))
        items, _ = wait_until(driver, """(() => { const items = [...document.querySelectorAll("#failure-list li")];
            return items.length === 2 && items.map((li) => li.textContent); })()""", 5, "the failed-frames list")
        check(items == ["1187" + cause, "1203RuntimeError: output driver /out/karma1 not found"],
              "each failed frame with its cause, by frame number", items)
        before = driver.execute_script("""return { columns: rendertrackerMonitor.columns, cell: rendertrackerMonitor.frame(1187),
            box: document.getElementById("grid").getBoundingClientRect().toJSON() }""")

        driver.find_element("css selector", '#failure-list button[data-frame="1187"]').click()
        wait_until(driver, 'document.getElementById("frame-title").textContent === "Frame 1187" '
                           '&& document.getElementById("frame-cause").textContent', 3, "the list jumps to frame 1187")
        shown = driver.execute_script("""const cause = document.getElementById("frame-cause");
            const box = cause.getBoundingClientRect(), side = document.getElementById("side").getBoundingClientRect();
            const log = document.getElementById("frame-log");
            return { text: cause.textContent, top: box.top, bottom: box.bottom, height: innerHeight,
                     sideTop: side.top, sideBottom: side.bottom, logFits: log.scrollWidth <= log.clientWidth,
                     columns: rendertrackerMonitor.columns, cell: rendertrackerMonitor.frame(1187),
                     box: document.getElementById("grid").getBoundingClientRect().toJSON(),
                     entries: [...log.children].map((e) => e.tagName) }""")
        check(shown["text"] == cause, "the panel leads with the cause", shown["text"])
        check(0 <= shown["top"] and shown["bottom"] <= shown["height"] and shown["sideTop"] <= shown["top"]
              and shown["bottom"] <= shown["sideBottom"], "the cause is in view without scrolling", shown)
        check(shown["entries"][0] == "DETAILS", "the 16 KB output is folded, newest entry first", shown["entries"])
        check(shown["logFits"], "the log wraps: no horizontal scrolling", shown)
        check(shown["columns"] == before["columns"] and shown["cell"] == before["cell"] and shown["box"] == before["box"],
              "the grid keeps its columns and the clicked cell stays put when the panel opens", (before, shown))
        screenshot(driver, "monitor-failure.png")
    finally:
        driver.quit()


def phone():
    """A phone-width window: no sideways scrolling in the list or the project view."""
    farm("ivy/comp_v002", list(range(1, 121)), "950", {**{n: (DONE, 1) for n in range(1, 60)}, 60: (ERROR, 0)})
    driver = browser(width=390, height=844)
    try:
        driver.get(URL + "/")
        wait_until(driver, 'document.querySelector(\'tr[data-project="ivy/comp_v002"]\')', 5, "the list")
        width = driver.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
        check(width[0] <= width[1], "the list fits the phone's width", width)
        driver.get(URL + "/#project=" + urllib.parse.quote("ivy/comp_v002", safe=""))
        wait_until(driver, "rendertrackerMonitor.frame(120) !== null", 5, "the grid")
        width = driver.execute_script("return [document.documentElement.scrollWidth, innerWidth, rendertrackerMonitor.columns]")
        check(width[0] <= width[1] and width[2] >= 10, "the project view fits the phone's width, 10+ columns", width)
        screenshot(driver, "monitor-phone.png")
    finally:
        driver.quit()


def timed_render(project, seconds_by_frame, failed=(), job="1"):
    """Starts every frame at once and finishes frame n after seconds_by_frame[n] of real time
    (the daemon times renders by its own clock), or fails it then when n is in `failed`."""
    frames = sorted(seconds_by_frame)
    tracker.startedRenderProject(project, frames, False, job)
    batch = xmlrpc.client.MultiCall(tracker)
    for number in frames:
        batch.startedFrameRender(project, number, job, "/render/%s.%04d.exr" % (project, number))
    batch()
    started = time.monotonic()
    for number in sorted(frames, key=lambda n: seconds_by_frame[n]):
        time.sleep(max(0, started + seconds_by_frame[number] - time.monotonic()))
        if number in failed:
            tracker.setFrameError(project, number, "mantra: Error: license server timed out")
        else:
            tracker.setFrameRenderFraction(project, number, 1.0)


def charts_and_history():
    """Two renders of one shot, the second slower from frame 6 on: the render-time chart has one
    bar per frame in proportion, the history view lists both renders with their numbers, and the
    comparison names the frame where it got slower."""
    project = "lena/shot_v013"
    timed_render(project, {n: 0.2 * n for n in range(1, 11)})
    timed_render(project, {n: 0.2 * n * (1.6 if n >= 6 else 1) for n in range(1, 11)}, failed=(9, 10), job="2")
    history = tracker.getRenderHistory(project)
    check([(r["ending"], r["frames"], r["done"], r["errors"]) for r in history] == [("live", 10, 8, 2), ("replaced", 10, 10, 0)],
          "the tracker kept both renders", history)
    report = tracker.getRenderReport(history[0]["render_id"])
    driver = browser()
    try:
        driver.get(URL + "/#project=" + urllib.parse.quote(project, safe=""))
        bars, _ = wait_until(driver, "rendertrackerMonitor.chartBars.length === 10 && rendertrackerMonitor.chartBars", 10,
                             "the render-time chart has one bar per frame")
        seconds = {frame["frame"]: frame["render_seconds"] or 0 for frame in report["frames"]}
        tallest = max(bars, key=lambda bar: bar["height"])
        check([bar["frame"] for bar in bars] == list(range(1, 11)), "the bars in frame order", [bar["frame"] for bar in bars])
        check(all(abs(bar["height"] / tallest["height"] - seconds[bar["frame"]] / max(seconds.values())) < 0.01 for bar in bars),
              "bar heights in proportion to render times", [(bar["frame"], round(bar["height"], 1), seconds[bar["frame"]]) for bar in bars])
        check(bars[8]["height"] == 0 and bars[9]["height"] == 0, "failed frames have no render time", bars[8:])
        pixel = driver.execute_script("""const bar = rendertrackerMonitor.chartBars[7], canvas = document.getElementById("chart-frame-times");
            const ratio = canvas.width / canvas.clientWidth, y = canvas.clientHeight - 20 - bar.height / 4;
            const [r, g, b] = canvas.getContext("2d").getImageData(Math.round((bar.x + bar.width / 2) * ratio), Math.round(y * ratio), 1, 1).data;
            return "#" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");""")
        colors = driver.execute_script("return rendertrackerMonitor.statusColors")
        check(pixel == colors[DONE], "a Done frame's bar is drawn in Done's colour", pixel)
        note = driver.execute_script('return document.getElementById("compare-note").textContent')
        check("slower than render %d from frame 6 on" % history[1]["render_id"] in note, "the comparison names where it got slower", note)
        machines = driver.execute_script("""return [...document.querySelectorAll("#machine-table tbody tr")]
            .map((row) => [...row.cells].map((cell) => cell.textContent).concat(row.className))""")
        check(len(machines) == 1 and machines[0][0] == "127.0.0.1" and machines[0][1] == "8" and machines[0][3] == "2"
              and machines[0][4] == "bad", "the machine table: frames done, failures, marked", machines)
        screenshot(driver, "monitor-charts.png")

        driver.find_element("id", "history-link").click()
        rows, _ = wait_until(driver, """(() => { const rows = [...document.querySelectorAll("#history tbody tr")];
            return rows.length === 2 && rows.map((row) => Object.fromEntries([...row.cells].map((c) => [c.dataset.column, c.textContent]))); })()""",
            5, "the history view lists the two renders")

        def duration(value):
            return "%ds" % int(value + 0.5)
        expected = [{"render": str(r["render_id"]), "state": r["state"], "ending": r["ending"], "frames": "10", "done": str(r["done"]),
                     "errors": str(r["errors"]), "machine": duration(r["render_seconds"]), "wall": duration(r["wall_seconds"]),
                     "job": r["job_id"]} for r in history]
        got = [{key: row[key] for key in expected[0]} for row in rows]
        check(got == expected, "each render's state, frames, errors, machine time and wall time", (got, expected))
        compare, _ = wait_until(driver, 'rendertrackerMonitor.historyBars.length === 10 && document.getElementById("history-compare").textContent',
                                5, "the history's comparison chart")
        check("from frame 6 on" in compare, "the history compares the render with the one before", compare)
        screenshot(driver, "monitor-history.png")
    finally:
        driver.quit()


def previews():
    """With --preview-root (MonitorPageTests makes ROOT, the daemon's root): a Done frame whose PNG
    lies under it shows the image in its panel; a Done frame whose image is outside shows the
    placeholder with the reason, and no image."""
    root = os.path.join(tempfile.gettempdir(), "rendertracker-monitor-previews")
    outside = os.path.join(tempfile.gettempdir(), "rendertracker-monitor-previews-outside")
    os.makedirs(outside, exist_ok=True)
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")
    for folder in (root, outside):
        with open(os.path.join(folder, "shot.0001.png"), "wb") as image:
            image.write(png)
    tracker.startedRenderProject("mia/preview_v001", [1, 2], False, "1")
    for number, folder in ((1, root), (2, outside)):
        tracker.startedFrameRender("mia/preview_v001", number, "1", os.path.join(folder, "shot.0001.png"))
        tracker.setFrameRenderFraction("mia/preview_v001", number, 1.0)
    driver = browser()
    try:
        driver.get(URL + "/#project=" + urllib.parse.quote("mia/preview_v001", safe=""))
        wait_until(driver, "rendertrackerMonitor.frame(2) !== null", 5, "the grid")
        driver.execute_script("rendertrackerMonitor.select(1)")
        shown, _ = wait_until(driver, """(() => { const img = document.querySelector("#frame-preview img");
            return !document.getElementById("frame-preview").hidden && !img.hidden && img.complete && img.naturalWidth > 0
                && { width: img.naturalWidth, caption: document.querySelector("#frame-preview figcaption").textContent }; })()""",
            5, "frame 1's preview")
        check(shown["width"] == 1 and shown["caption"] == "", "the PNG under the root is shown", shown)
        driver.execute_script("rendertrackerMonitor.select(2)")
        placeholder, _ = wait_until(driver, """document.getElementById("frame-title").textContent === "Frame 2"
            && document.querySelector("#frame-preview figcaption").textContent""", 5, "frame 2's placeholder")
        hidden = driver.execute_script('return document.querySelector("#frame-preview img").hidden')
        check(hidden and "not a file under a --preview-root" in placeholder, "no image outside the root: the placeholder says why",
              (hidden, placeholder))
    finally:
        driver.quit()


run({
    "many_projects": many_projects,
    "projects_list": projects_list,
    "project_view": project_view,
    "live_updates": live_updates,
    "reconnect": reconnect,
    "name_with_space": name_with_space,
    "failure_cause": failure_cause,
    "phone": phone,
    "charts_and_history": charts_and_history,
    "previews": previews,
})
