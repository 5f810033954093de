// The rendertracker live monitor. Live state arrives on one Server-Sent Events stream
// (GET /events, see docs/protocol.md); everything else is JSON-RPC 2.0 on POST /rpc, so this file
// is also an example client. No libraries: the daemon serves this file itself, offline.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);

  // Status colours by wire index (Waiting ... Error); names come from getFrameStatusNames.
  const statusColors = ["#c5cad3", "#c9b3ef", "#8e6bd1", "#2f80ed", "#0aa2b5", "#2e9e5b", "#d93b36"];
  // A frame in flight fills its cell from the bottom over a tint of its colour, never over Waiting's
  // grey: a frame at 3% must not look Waiting.
  const inFlightTints = { 3: "#d3e3fb", 4: "#c8ecf0" };
  const RENDERING = 3, DOWNLOADING = 4, ERROR = 6;
  let statusNames = ["Waiting", "Generating IFD", "IFD Ready", "Rendering", "Downloading", "Done", "Error"];

  // ---- JSON-RPC ----------------------------------------------------------------------------

  let rpcID = 0;

  // Sends one call, or several as one JSON-RPC batch; answers the results in the same order.
  async function rpcBatch(calls) {
    const requests = calls.map(([method, ...params]) => ({ jsonrpc: "2.0", method, params, id: ++rpcID }));
    const response = await fetch("/rpc", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(requests),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status} from /rpc`);
    const answers = new Map((await response.json()).map((answer) => [answer.id, answer]));
    return requests.map((request) => {
      const answer = answers.get(request.id);
      if (!answer || answer.error) throw new Error(`${request.method}: ${answer ? answer.error.message : "no answer"}`);
      return answer.result;
    });
  }

  // ---- State ---------------------------------------------------------------------------------

  const projects = new Map(); // name -> { summary, receivedAt (performance.now() when it arrived) }
  let cursor = 0; // the event id of the last batch applied
  let following = null; // the project shown, or null for the list
  let source = null;
  let retryTimer = 0;
  // Counters read by the tests and useful when debugging: batches applied, frame-grid reloads.
  const stats = { batches: 0, resets: 0, connections: 0 };

  // ---- The event stream ----------------------------------------------------------------------

  // Opens the stream from `cursor`. A stream the browser reconnects by itself resumes with
  // Last-Event-ID; one that failed for good (HTTP error, daemon gone) is reopened here.
  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    const query = new URLSearchParams();
    if (following !== null) query.set("project", following);
    query.set("cursor", String(cursor));
    source = new EventSource("/events?" + query);
    stats.connections++;
    setConnection("connecting");
    source.onopen = () => setConnection("live");
    source.onmessage = (message) => applyBatch(JSON.parse(message.data));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        setConnection("offline");
        retryTimer = setTimeout(connect, 2000);
      } else {
        setConnection("reconnecting");
      }
    };
  }

  function setConnection(state) {
    const element = $("connection");
    element.dataset.state = state;
    element.textContent = state;
  }

  function applyBatch(batch) {
    stats.batches++;
    cursor = batch.event_id;
    if (batch.project_names) {
      const names = new Set(batch.project_names);
      for (const name of projects.keys()) if (!names.has(name)) projects.delete(name);
    }
    const now = performance.now();
    for (const summary of batch.projects) {
      const previous = projects.get(summary.project);
      if (previous && previous.summary.state === "running" && summary.state !== "running") announce(summary);
      projects.set(summary.project, { summary, receivedAt: now });
    }
    if (batch.changes && following !== null) grid.apply(batch.changes);
    document.body.dataset.cursor = String(cursor);
    scheduleRender();
  }

  // ---- Notifications -------------------------------------------------------------------------

  const notifyKey = "rendertracker.notify";
  let notifying = localStorage.getItem(notifyKey) === "1";

  function setUpNotifyButton() {
    const button = $("notify");
    if (!("Notification" in window)) {
      button.disabled = true;
      // Browsers offer notifications only to secure pages (HTTPS, or localhost).
      button.title = window.isSecureContext ? "This browser has no notifications"
        : "Notifications need this page over HTTPS or on localhost (see docs/monitor.md)";
      return;
    }
    const show = () => button.setAttribute("aria-pressed", String(notifying && Notification.permission === "granted"));
    show();
    button.onclick = async () => {
      if (!notifying && Notification.permission !== "granted") await Notification.requestPermission();
      notifying = !notifying && Notification.permission === "granted";
      localStorage.setItem(notifyKey, notifying ? "1" : "0");
      show();
    };
  }

  // A project left "running": say so on the page, and in a browser notification if opted in.
  function announce(summary) {
    const errors = summary.status_counts.Error;
    const text = summary.state === "done"
      ? `${summary.project} finished: ${summary.frame_count} frames in ${duration(summary.elapsed_seconds)}`
      : `${summary.project} failed: ${errors} frame${errors === 1 ? "" : "s"} in error`
        + (summary.last_project_error ? ` (${summary.last_project_error})` : "");
    $("notice").textContent = `${new Date().toLocaleTimeString()} ${text}`;
    if (notifying && "Notification" in window && Notification.permission === "granted") {
      new Notification(`rendertracker: ${summary.project} ${summary.state === "done" ? "finished" : "failed"}`, {
        body: text, tag: summary.project,
      });
    }
  }

  // ---- Formatting ----------------------------------------------------------------------------

  function duration(seconds) {
    if (seconds === null || seconds === undefined || !isFinite(seconds)) return "\u2014";
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
    if (m > 0) return `${m}m ${String(r).padStart(2, "0")}s`;
    return `${r}s`;
  }

  function clockTime(iso) {
    const date = new Date(iso);
    const sameDay = date.toDateString() === new Date().toDateString();
    return sameDay ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
      : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  // When a project will finish (running, with an estimate) or finished: a clock time, with its
  // date when not today.
  function finishTime(entry) {
    const { summary } = entry;
    if (summary.state === "running") {
      const left = leftNow(entry);
      return left === null ? "\u2014" : clockTime(new Date(Date.now() + left * 1000).toISOString());
    }
    return clockTime(new Date(Date.parse(summary.started) + summary.elapsed_seconds * 1000).toISOString());
  }

  // Elapsed and time left move on between batches: advance them by the time since arrival.
  function elapsedNow({ summary, receivedAt }) {
    const since = summary.state === "running" ? (performance.now() - receivedAt) / 1000 : 0;
    return summary.elapsed_seconds + since;
  }

  function leftNow({ summary, receivedAt }) {
    if (summary.state !== "running") return summary.state === "done" ? 0 : null;
    if (summary.seconds_left === null) return null;
    return Math.max(0, summary.seconds_left - (performance.now() - receivedAt) / 1000);
  }

  const done = (summary) => summary.status_counts.Done;
  const progress = (summary) => (summary.frame_count ? done(summary) / summary.frame_count : 0);

  // Fills a .bar element with one segment per status, sized by its share of the frames.
  function fillBar(bar, summary) {
    if (bar.children.length !== statusNames.length) {
      bar.replaceChildren(...statusNames.map((_, index) => {
        const segment = document.createElement("span");
        segment.className = "s" + index;
        return segment;
      }));
    }
    const total = summary.frame_count || 1;
    const parts = [];
    statusNames.forEach((name, index) => {
      const count = summary.status_counts[name] || 0;
      bar.children[index].style.width = (100 * count / total) + "%";
      // One error in 20,000 frames is still a visible mark, not a hairline.
      if (index === ERROR) bar.children[index].style.minWidth = count ? "4px" : "0";
      if (count) parts.push(`${name}: ${count}`);
    });
    bar.title = parts.join(", ") || "no frames";
  }

  // ---- The projects list ---------------------------------------------------------------------

  const rows = new Map(); // name -> <tr>
  const columns = ["name", "state", "bar", "done", "errors", "left", "finish", "started", "elapsed", "job"];

  function makeRow(name) {
    const row = document.createElement("tr");
    row.dataset.project = name;
    for (const column of columns) {
      const cell = document.createElement("td");
      cell.dataset.column = column;
      if (["done", "errors", "left", "elapsed"].includes(column)) cell.className = "number";
      row.append(cell);
    }
    const link = document.createElement("a");
    link.href = "#project=" + encodeURIComponent(name);
    link.textContent = name;
    row.cells[0].append(link);
    const state = document.createElement("span");
    row.cells[1].append(state);
    const bar = document.createElement("div");
    bar.className = "bar";
    const cause = document.createElement("div");
    cause.className = "cause";
    row.cells[2].append(bar, cause);
    return row;
  }

  const sorters = {
    started: (a, b) => b.summary.started.localeCompare(a.summary.started),
    name: (a, b) => a.summary.project.localeCompare(b.summary.project),
    state: (a, b) => a.summary.state.localeCompare(b.summary.state),
    progress: (a, b) => progress(a.summary) - progress(b.summary),
    left: (a, b) => (leftNow(b) ?? -1) - (leftNow(a) ?? -1),
  };

  function renderProjects() {
    const filter = $("filter").value.trim().toLowerCase();
    const hideFinished = $("hide-finished").checked;
    const shown = [...projects.values()].filter(({ summary }) =>
      (!hideFinished || summary.state === "running")
      && (!filter || summary.project.toLowerCase().includes(filter) || summary.job_id.toLowerCase().includes(filter)));
    shown.sort(sorters[$("sort").value] || sorters.started);

    for (const [name, row] of rows) if (!projects.has(name)) { row.remove(); rows.delete(name); }
    const body = $("projects").tBodies[0];
    const wanted = shown.map((entry) => {
      let row = rows.get(entry.summary.project);
      if (!row) rows.set(entry.summary.project, row = makeRow(entry.summary.project));
      fillRow(row, entry);
      return row;
    });
    // Reorder only when the order changed, so that steady updates do not touch the DOM tree.
    if (wanted.length !== body.rows.length || wanted.some((row, index) => body.rows[index] !== row)) {
      body.replaceChildren(...wanted);
    }
    $("project-count").textContent = `${shown.length} of ${projects.size} projects`;
    $("no-projects").hidden = projects.size > 0;
  }

  function setText(cell, text) {
    if (cell.textContent !== text) cell.textContent = text;
  }

  function fillRow(row, entry) {
    const { summary } = entry;
    const cells = row.cells;
    // Only the clocks move between batches: the rest is redone when the summary is new.
    if (row.summary !== summary) {
      row.summary = summary;
      const state = cells[1].firstChild;
      state.className = "state " + summary.state;
      setText(state, summary.state);
      row.dataset.state = summary.state;
      fillBar(cells[2].firstChild, summary);
      setText(cells[3], `${done(summary)} / ${summary.frame_count}`);
      setText(cells[4], String(summary.status_counts.Error));
      cells[4].classList.toggle("has-errors", summary.status_counts.Error > 0);
      const failure = summary.first_error;
      const cause = cells[2].lastChild;
      setText(cause, failure ? `frame ${failure.frame}: ${failure.cause}` : "");
      cause.title = cause.textContent;
      setText(cells[7], clockTime(summary.started));
      setText(cells[9], summary.job_id);
    }
    setText(cells[5], duration(leftNow(entry)));
    setText(cells[6], finishTime(entry));
    setText(cells[8], duration(elapsedNow(entry)));
  }

  // ---- The project view ----------------------------------------------------------------------

  function renderProjectFacts() {
    const entry = projects.get(following);
    $("project-name").textContent = following;
    const facts = $("project-facts");
    if (!entry) {
      facts.replaceChildren();
      $("project-bar").replaceChildren();
      return;
    }
    const { summary } = entry;
    setFacts(facts, [
      ["State", summary.state],
      ["Done", `${done(summary)} / ${summary.frame_count}`],
      ["Errors", String(summary.status_counts.Error)],
      ["Time left", duration(leftNow(entry))],
      ["Finish", finishTime(entry)],
      ["Frames", grid.numbers.length ? `${grid.numbers[0]}\u2013${grid.numbers[grid.numbers.length - 1]}` : "\u2014"],
      ["Started", clockTime(summary.started)],
      ["Elapsed", duration(elapsedNow(entry))],
      ["Job", summary.job_id || "\u2014"],
      ["IFDs", summary.generate_ifds ? "generated" : "no"],
      ...(summary.last_project_error ? [["Project error", summary.last_project_error]] : []),
    ]);
    fillBar($("project-bar"), summary);
    failures.follow(summary);
    const legend = $("legend");
    legend.replaceChildren(...statusNames.map((name, index) => {
      const item = document.createElement("li");
      const swatch = document.createElement("i");
      swatch.style.background = statusColors[index] || "#999";
      item.append(swatch, `${name} ${summary.status_counts[name] || 0}`);
      return item;
    }));
  }

  function setFacts(list, pairs) {
    list.replaceChildren(...pairs.map(([name, value]) => {
      const pair = document.createElement("div");
      const term = document.createElement("dt");
      const description = document.createElement("dd");
      term.textContent = name;
      description.textContent = value;
      pair.dataset.fact = name;
      pair.append(term, description);
      return pair;
    }));
  }

  // ---- The frame grid: one canvas, one cell per frame ----------------------------------------

  // Frames are kept in flat arrays sorted by frame number; a change redraws only its cell.
  const grid = {
    numbers: [],
    status: new Uint8Array(0),
    fraction: new Float32Array(0),
    indexOf: new Map(), // frame number -> position
    dirty: new Set(),
    full: true,
    cell: 12,
    gap: 2,
    columns: 1,
    gutter: 0, // the left margin that holds the frame numbers of the rows

    apply(changes) {
      if (changes.reset) {
        stats.resets++;
        this.load(changes.frames);
        return;
      }
      const added = [];
      for (const [number, status, fraction] of changes.frames) {
        const index = this.indexOf.get(number);
        if (index === undefined) {
          added.push([number, status, fraction]);
        } else {
          this.status[index] = status;
          this.fraction[index] = fraction;
          this.dirty.add(index);
        }
      }
      if (added.length) {
        // A frame reported for the first time (implicitly added): rebuild in frame order.
        const all = this.numbers.map((number, index) => [number, this.status[index], this.fraction[index]]);
        this.load(all.concat(added).sort((a, b) => a[0] - b[0]));
      }
      if (selectedFrame !== null && changes.frames.some(([number]) => number === selectedFrame)) refreshFramePanel();
    },

    load(frames) {
      this.numbers = frames.map((frame) => frame[0]);
      this.status = Uint8Array.from(frames, (frame) => frame[1]);
      this.fraction = Float32Array.from(frames, (frame) => frame[2]);
      this.indexOf = new Map(this.numbers.map((number, index) => [number, index]));
      this.full = true;
      this.dirty.clear();
    },

    font: "10px system-ui, sans-serif",

    // Lays the cells out for the box's width (smaller cells for large projects), after a gutter
    // wide enough for the largest frame number.
    layout() {
      const canvas = $("grid");
      const count = this.numbers.length;
      this.cell = count > 5000 ? 8 : count > 1000 ? 10 : 14;
      const pitch = this.cell + this.gap;
      const context = canvas.getContext("2d");
      context.font = this.font;
      const widest = count ? Math.max(...[this.numbers[0], this.numbers[count - 1]].map((n) => context.measureText(String(n)).width)) : 0;
      this.gutter = count ? Math.ceil(widest) + 8 : 0;
      const width = Math.max(this.gutter + pitch, $("grid-box").clientWidth - 2);
      this.columns = Math.max(1, Math.floor((width - this.gutter + this.gap) / pitch));
      const height = Math.max(1, Math.ceil(count / this.columns) * pitch);
      const ratio = window.devicePixelRatio || 1;
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      this.drawRowNumbers(context);
      return context;
    },

    // The first frame number of every row, or of every few rows when cells are small, so labels
    // stay at least 14 px apart.
    drawRowNumbers(context) {
      const pitch = this.cell + this.gap;
      const every = Math.max(1, Math.ceil(14 / pitch));
      context.font = this.font;
      context.fillStyle = "#667085";
      context.textAlign = "right";
      context.textBaseline = "middle";
      for (let index = 0; index < this.numbers.length; index += this.columns * every) {
        const y = Math.floor(index / this.columns) * pitch + this.cell / 2;
        context.fillText(String(this.numbers[index]), this.gutter - 5, y);
      }
    },

    draw() {
      const context = this.full ? this.layout() : $("grid").getContext("2d");
      const indices = this.full ? this.numbers.keys() : this.dirty;
      for (const index of indices) this.drawCell(context, index);
      this.full = false;
      this.dirty.clear();
      $("no-frames").hidden = this.numbers.length > 0;
      $("no-frames").textContent = projects.has(following)
        ? "This project has no frames." : "No project of this name (yet): it appears when a farm job reports it.";
    },

    // A cell is its status colour; Rendering and Downloading fill from the bottom by fraction.
    drawCell(context, index) {
      const { x, y } = this.cellOrigin(index);
      const size = this.cell;
      const status = this.status[index];
      const color = statusColors[status] || "#999";
      context.clearRect(x, y, size, size);
      if (status === RENDERING || status === DOWNLOADING) {
        context.fillStyle = inFlightTints[status];
        context.fillRect(x, y, size, size);
        const filled = Math.round(size * Math.min(1, Math.max(0, this.fraction[index])));
        context.fillStyle = color;
        context.fillRect(x, y + size - filled, size, filled);
        context.strokeStyle = color;
        context.lineWidth = 1;
        context.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
      } else {
        context.fillStyle = color;
        context.fillRect(x, y, size, size);
      }
      if (this.numbers[index] === selectedFrame) {
        context.strokeStyle = "#1d2330";
        context.lineWidth = 2;
        context.strokeRect(x + 1, y + 1, size - 2, size - 2);
      }
    },

    cellOrigin(index) {
      const pitch = this.cell + this.gap;
      return { x: this.gutter + (index % this.columns) * pitch, y: Math.floor(index / this.columns) * pitch };
    },

    // The frame position under a point of the canvas, or -1.
    indexAt(x, y) {
      const pitch = this.cell + this.gap;
      x -= this.gutter;
      if (x < 0) return -1;
      const column = Math.floor(x / pitch), row = Math.floor(y / pitch);
      if (column >= this.columns || x % pitch >= this.cell || y % pitch >= this.cell) return -1;
      const index = row * this.columns + column;
      return index < this.numbers.length ? index : -1;
    },
  };

  function describeFrame(index) {
    const status = grid.status[index];
    const name = statusNames[status] || `status ${status}`;
    const percent = status === RENDERING || status === DOWNLOADING ? ` ${Math.round(grid.fraction[index] * 100)}%` : "";
    return `Frame ${grid.numbers[index]} \u00b7 ${name}${percent}`;
  }

  function pointerIndex(event) {
    const box = $("grid").getBoundingClientRect();
    return grid.indexAt(event.clientX - box.left, event.clientY - box.top);
  }

  function setUpGrid() {
    const canvas = $("grid");
    const tooltip = $("tooltip");
    canvas.addEventListener("mousemove", (event) => {
      const index = pointerIndex(event);
      tooltip.hidden = index < 0;
      if (index < 0) return;
      tooltip.textContent = describeFrame(index);
      tooltip.style.left = event.clientX + 12 + "px";
      tooltip.style.top = event.clientY + 12 + "px";
    });
    canvas.addEventListener("mouseleave", () => { tooltip.hidden = true; });
    canvas.addEventListener("click", (event) => {
      const index = pointerIndex(event);
      if (index >= 0) selectFrame(grid.numbers[index]);
    });
    $("close-frame").onclick = () => selectFrame(null);
    new ResizeObserver(() => { grid.full = true; scheduleRender(); }).observe($("grid-box"));
  }

  // ---- The frame panel -----------------------------------------------------------------------

  let selectedFrame = null;
  let panelRequest = 0;

  function selectFrame(number) {
    const previous = grid.indexOf.get(selectedFrame);
    selectedFrame = number;
    // Redraw the old and the new selection's outline.
    if (previous !== undefined) grid.dirty.add(previous);
    if (grid.indexOf.has(number)) grid.dirty.add(grid.indexOf.get(number));
    $("frame-panel").hidden = number === null;
    if (number !== null) refreshFramePanel();
    scheduleRender();
  }

  // Shows a frame's panel and brings its cell into view (from the failed-frames list).
  function jumpToFrame(number) {
    selectFrame(number);
    const index = grid.indexOf.get(number);
    if (index === undefined) return;
    const box = $("grid-box");
    const { y } = grid.cellOrigin(index);
    if (y < box.scrollTop || y + grid.cell > box.scrollTop + box.clientHeight) box.scrollTop = y - box.clientHeight / 2;
    $("frame-panel").scrollIntoView({ block: "nearest" });
  }

  // Cause, log, job id and image path in one JSON-RPC batch. The panel leads with the cause (one
  // line the tracker reads from what may be 16 KB of renderer output); the log follows, newest
  // entry first, each long entry folded with its size.
  async function refreshFramePanel() {
    const number = selectedFrame, project = following;
    const request = ++panelRequest;
    let log, jobID, imagePath, cause;
    try {
      [log, jobID, imagePath, cause] = await rpcBatch([
        ["getFrameLog", project, number], ["getFrameJobID", project, number], ["getImagePath", project, number],
        ["getFrameCause", project, number],
      ]);
    } catch (error) {
      log = [String(error)];
    }
    if (request !== panelRequest) return; // a newer selection or update took over
    const index = grid.indexOf.get(number);
    const status = index === undefined ? null : grid.status[index];
    $("frame-title").textContent = `Frame ${number}`;
    const causeLine = $("frame-cause");
    causeLine.hidden = status !== ERROR || !cause;
    causeLine.textContent = status === ERROR && cause ? cause : "";
    setFacts($("frame-facts"), [
      ["Status", index === undefined ? "\u2014" : describeFrame(index).split(" \u00b7 ")[1]],
      ["Job", jobID ?? "\u2014"],
      ["Image", imagePath ?? "\u2014"],
    ]);
    $("frame-log").replaceChildren(...[...(log || [])].reverse().map(logEntry));
  }

  // One log line; a long one (a renderer's whole output) folded, its end shown when unfolded.
  function logEntry(line) {
    const lines = line.split("\n");
    if (lines.length <= 3 && line.length <= 400) {
      const entry = document.createElement("div");
      entry.textContent = line;
      return entry;
    }
    const entry = document.createElement("details");
    const summary = document.createElement("summary");
    const kilobytes = (new Blob([line]).size / 1024).toFixed(1);
    summary.textContent = `${lines[0].slice(0, 160)} \u2026 (${lines.length} lines, ${kilobytes} KB)`;
    const text = document.createElement("pre");
    text.textContent = line;
    entry.append(summary, text);
    entry.addEventListener("toggle", () => { text.scrollTop = text.scrollHeight; });
    return entry;
  }

  // ---- Failed frames: each with its cause; click one to open it ------------------------------

  const failures = {
    key: "",
    timer: 0,
    fetchedAt: 0,
    list: [],

    // Asks again when the project's errors changed, at most every 2 seconds.
    follow(summary) {
      const key = `${summary.project}|${summary.status_counts.Error}|${summary.first_error ? summary.first_error.frame : ""}|${summary.last_event_id}`;
      if (summary.status_counts.Error === 0) {
        this.key = key;
        this.show([], 0);
        return;
      }
      if (key === this.key) return;
      this.key = key;
      clearTimeout(this.timer);
      const wait = Math.max(0, this.fetchedAt + 2000 - performance.now());
      this.timer = setTimeout(() => this.fetch(summary.project, summary.status_counts.Error), wait);
    },

    async fetch(project, total) {
      this.fetchedAt = performance.now();
      let list;
      try {
        [list] = await rpcBatch([["getFailedFrames", project]]);
      } catch (error) {
        return;
      }
      if (project === following) this.show(list, total);
    },

    show(list, total) {
      this.list = list;
      $("failures").hidden = list.length === 0;
      $("failure-count").textContent = total > list.length ? `${list.length} of ${total}` : String(list.length);
      $("failure-list").replaceChildren(...list.map(([frame, cause]) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = String(frame);
        button.dataset.frame = String(frame);
        button.onclick = () => jumpToFrame(frame);
        item.append(button, cause);
        return item;
      }));
    },

    reset() {
      clearTimeout(this.timer);
      this.key = "";
      this.show([], 0);
    },
  };

  // ---- Views and rendering -------------------------------------------------------------------

  let renderPending = false;

  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(() => {
      renderPending = false;
      render();
    });
  }

  function render() {
    if (following === null) {
      renderProjects();
    } else {
      renderProjectFacts();
      grid.draw();
    }
  }

  // `#project=<name>` shows a project; anything else the list. Each view has its own stream,
  // opened from cursor 0: the first batch is the whole view.
  function showView() {
    const match = /^#project=(.*)$/.exec(location.hash);
    const next = match ? decodeURIComponent(match[1]) : null;
    if (next === following && source) return;
    following = next;
    $("projects-view").hidden = following !== null;
    $("project-view").hidden = following === null;
    document.title = following === null ? "rendertracker" : `${following} \u2014 rendertracker`;
    grid.load([]);
    failures.reset();
    selectFrame(null);
    cursor = 0;
    connect();
    render();
  }

  async function start() {
    try {
      [statusNames] = await rpcBatch([["getFrameStatusNames"]]);
    } catch (error) {
      $("notice").textContent = `Could not read the status names (${error.message}); using the built-in ones.`;
    }
    setUpNotifyButton();
    setUpGrid();
    for (const id of ["filter", "sort", "hide-finished"]) $(id).addEventListener("input", scheduleRender);
    window.addEventListener("hashchange", showView);
    // Elapsed and time left count on between batches.
    setInterval(scheduleRender, 1000);
    showView();
  }

  // For tests and for debugging from the console.
  window.rendertrackerMonitor = {
    stats,
    get cursor() { return cursor; },
    frame(number) {
      const index = grid.indexOf.get(number);
      if (index === undefined) return null;
      const { x, y } = grid.cellOrigin(index);
      return { status: grid.status[index], fraction: grid.fraction[index], x, y, size: grid.cell };
    },
    get columns() { return grid.columns; },
    statusColors,
  };

  start();
})();
