#!/usr/bin/env python3
"""The monitor page's cost in headless Chromium: first render and update cost with 100 projects,
one of them 20,000 frames, updated at 200 frames per second.

Usage: Benchmarks/monitor-page.py URL [SECONDS]   (a fresh daemon; SECONDS of updates, default 10)
       Benchmarks/monitor-page.py URL --hold PROJECT   (keeps a page open on PROJECT until
       SIGTERM: Benchmarks/throughput.sh uses it to measure RPC throughput with a page open)
Needs chromium, chromium-driver and selenium (`make test-deps`). Results: docs/performance.md.

Measures, in the page (Performance API, injected before the page's own script runs, and Chrome's
own counters through the DevTools protocol):
- first render: from navigation start until the list shows 100 rows / the grid holds 20,000 frames;
- while updating: the main thread's busy share (TaskDuration per wall second), script time, long
  tasks (> 50 ms, which a user feels as jank), and animation frames per second."""
import shutil
import signal
import statistics
import sys
import threading
import time
import urllib.parse
import xmlrpc.client

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

URL = sys.argv[1].rstrip("/")
HOLD = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--hold" else None
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 and not HOLD else 10.0
BIG = "bench/big_20000"
tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)

# Runs before the page's script: counts animation frames and long tasks, and records when a
# condition (set by the benchmark) first holds.
PROBE = """
window.probe = { frames: 0, longTasks: [], reached: null, condition: null };
(function tick() { probe.frames++; if (!probe.reached && probe.condition && probe.condition()) probe.reached = performance.now();
  requestAnimationFrame(tick); })();
new PerformanceObserver((list) => { for (const e of list.getEntries()) probe.longTasks.push(e.duration); })
  .observe({ type: "longtask", buffered: true });
"""


def set_up():
    multicall = xmlrpc.client.MultiCall(tracker)
    for index in range(99):
        name = "bench/p%03d" % index
        multicall.startedRenderProject(name, list(range(1, 201)), index % 2 == 0, str(1000 + index))
        for frame in range(1, 1 + index * 2):
            multicall.setFrameRenderFraction(name, frame, 1.0)
    multicall.startedRenderProject(BIG, list(range(1, 20001)), True, "9999")
    for frame in range(1, 5001):
        multicall.setFrameRenderFraction(BIG, frame, 1.0)
    multicall()


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    driver.execute_cdp_cmd("Performance.enable", {})
    return driver


def metrics(driver):
    return {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}


def first_render(driver, path, condition):
    """Milliseconds from navigation start until `condition` (JavaScript) first held in a frame."""
    driver.get("about:blank")
    driver.get(URL + path)
    driver.execute_script("probe.condition = () => " + condition)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        reached = driver.execute_script("return probe.reached")
        if reached:
            return reached
        time.sleep(0.05)
    sys.exit("never reached: " + condition)


class Feeder(threading.Thread):
    """Sends `rate` frame updates a second to the big project, in 10 multicalls a second."""

    def __init__(self, rate):
        super().__init__(daemon=True)
        self.rate = rate
        self.sent = 0
        self.stop = threading.Event()

    def run(self):
        proxy = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)
        per_tick = self.rate // 10
        frame = 5001
        next_tick = time.monotonic()
        while not self.stop.is_set():
            multicall = xmlrpc.client.MultiCall(proxy)
            for _ in range(per_tick):
                multicall.setFrameRenderFraction(BIG, frame, (self.sent % 97) / 100 + 0.01)
                frame = frame + 1 if frame < 20000 else 5001
                self.sent += 1
            multicall()
            next_tick += 0.1
            time.sleep(max(0.0, next_tick - time.monotonic()))


def under_updates(driver, label):
    feeder = Feeder(200)
    driver.execute_script("probe.longTasks = []; probe.frames = 0")
    before, started = metrics(driver), time.monotonic()
    feeder.start()
    time.sleep(SECONDS)
    feeder.stop.set()
    feeder.join()
    after, wall = metrics(driver), time.monotonic() - started
    probe = driver.execute_script("return {frames: probe.frames, longTasks: probe.longTasks}")
    busy = (after["TaskDuration"] - before["TaskDuration"]) / wall
    script = (after["ScriptDuration"] - before["ScriptDuration"]) / wall
    layout = (after["LayoutDuration"] + after["RecalcStyleDuration"] - before["LayoutDuration"] - before["RecalcStyleDuration"]) / wall
    long_tasks = probe["longTasks"]
    print("%-34s %6.0f updates/s  main thread busy %5.1f%%  script %5.1f%%  style+layout %5.1f%%  long tasks %d%s  %4.0f frames/s"
          % (label, feeder.sent / wall, 100 * busy, 100 * script, 100 * layout, len(long_tasks),
             " (max %.0f ms)" % max(long_tasks) if long_tasks else "", probe["frames"] / wall))


def main():
    set_up()
    driver = browser()
    try:
        list_times = [first_render(driver, "/", 'document.querySelectorAll("#projects tbody tr").length === 100')
                      for _ in range(3)]
        big = "/#project=" + urllib.parse.quote(BIG, safe="")
        grid_times = [first_render(driver, big, "window.rendertrackerMonitor && rendertrackerMonitor.frame(20000) !== null")
                      for _ in range(3)]
        print("first render, list of 100 projects:   median %4.0f ms (runs: %s)"
              % (statistics.median(list_times), ", ".join("%.0f" % t for t in list_times)))
        print("first render, 20,000-frame grid:      median %4.0f ms (runs: %s)"
              % (statistics.median(grid_times), ", ".join("%.0f" % t for t in grid_times)))
        # A page with charts (since issue 13; they load when scrolled into view): until the
        # render-time chart has its 20,000 bars.
        if driver.execute_script('return "chartBars" in rendertrackerMonitor'):
            scrolled = ('window.rendertrackerMonitor && (document.getElementById("charts").scrollIntoView(), true)'
                        " && rendertrackerMonitor.chartBars.length === 20000")
            chart_times = [first_render(driver, big, scrolled) for _ in range(3)]
            print("first render, 20,000-bar chart:       median %4.0f ms (runs: %s)"
                  % (statistics.median(chart_times), ", ".join("%.0f" % t for t in chart_times)))
        # The grid view, idle for a moment, then under 200 updates a second.
        time.sleep(1)
        under_updates(driver, "20,000-frame grid, 200 frames/s:")
        if driver.execute_script('return "chartBars" in rendertrackerMonitor'):
            driver.execute_script('document.getElementById("charts").scrollIntoView()')
            time.sleep(1)
            under_updates(driver, "charts on screen, 200 frames/s:")
        driver.get(URL + "/")
        first_render(driver, "/", 'document.querySelectorAll("#projects tbody tr").length === 100')
        time.sleep(1)
        under_updates(driver, "list of 100 projects, 200 frames/s:")
    finally:
        driver.quit()


def hold(project):
    driver = browser()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        driver.get(URL + "/#project=" + urllib.parse.quote(project, safe=""))
        print("page open on", project, flush=True)
        while True:
            time.sleep(1)
    finally:
        driver.quit()


hold(HOLD) if HOLD else main()
