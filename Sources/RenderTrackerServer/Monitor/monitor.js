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
  const RENDERING = 3, DOWNLOADING = 4, DONE = 5, ERROR = 6;
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

  // Formatters made once, when first needed: a toLocaleString call builds one each time (100
  // rows, every second), and making them as the script loads put about 50 ms of locale loading
  // before the page's first request (measured: the 20,000-frame grid's first render went from
  // about 200 to 400 ms).
  const formats = {};
  const timeOfDay = () => (formats.time ??= new Intl.DateTimeFormat([], { hour: "2-digit", minute: "2-digit" }));
  const dayAndTime = () => (formats.day ??= new Intl.DateTimeFormat([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }));

  function clockTime(iso) {
    const date = new Date(iso);
    const sameDay = date.toDateString() === new Date().toDateString();
    return (sameDay ? timeOfDay() : dayAndTime()).format(date);
  }

  // When a project will finish (running, with an estimate) or finished: a clock time, with its
  // date when not today. It moves only when a new summary arrives (the time left counts down
  // from the summary's arrival), so it is computed with the summary's other cells.
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
      setText(cells[6], finishTime(entry));
      setText(cells[7], clockTime(summary.started));
      setText(cells[9], summary.job_id);
    }
    setText(cells[5], duration(leftNow(entry)));
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
    charts.follow(entry);
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
    showPreview(project, number, status, request);
  }

  // A Done frame's thumbnail (`serve --preview-root`), or the tracker's reason as a placeholder;
  // nothing at all when the daemon has previews off.
  async function showPreview(project, number, status, request) {
    const box = $("frame-preview"), image = box.querySelector("img"), caption = box.querySelector("figcaption");
    if (status !== DONE) { box.hidden = true; return; }
    let response, body;
    try {
      response = await fetch("/preview?" + new URLSearchParams({ project, frame: String(number) }));
      body = response.ok ? await response.blob() : await response.text();
    } catch (error) {
      response = null;
      body = String(error);
    }
    if (request !== panelRequest) return;
    if (response && !response.ok && body.startsWith("previews are off")) { box.hidden = true; return; }
    box.hidden = false;
    if (image.src.startsWith("blob:")) URL.revokeObjectURL(image.src);
    image.hidden = !(response && response.ok);
    image.src = response && response.ok ? URL.createObjectURL(body) : "";
    caption.textContent = response && response.ok ? "" : `No preview: ${body}`;
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
    fetchedAt: -Infinity,
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

  // ---- Charts: hand-written on <canvas> -----------------------------------------------------

  // Why not Debian's libjs-chart.js (3.9, 200 KB): Chart.js keeps an element object per bar and
  // animates them; 20,000 bars cost it far more than one pass of fillRect here (a few ms), and
  // the page must stay within its first-render and update figures (docs/performance.md).

  // Sizes a chart canvas to its box and the screen's pixel ratio; answers its 2D context and
  // plot area (CSS pixels) inside margins for the axis labels.
  function chartArea(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600, height = canvas.clientHeight || 170;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = "10px system-ui, sans-serif";
    return { context, left: 48, top: 8, width: width - 56, height: height - 28 };
  }

  // A y axis from 0 to `max` with 4 labelled lines, and x labels at the given positions.
  function drawAxes(area, max, yLabel, xTicks) {
    const { context, left, top, width, height } = area;
    context.strokeStyle = "#e3e6eb";
    context.fillStyle = "#667085";
    context.lineWidth = 1;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (let step = 0; step <= 4; step++) {
      const y = Math.round(top + height - (height * step) / 4) + 0.5;
      context.beginPath();
      context.moveTo(left, y);
      context.lineTo(left + width, y);
      context.stroke();
      context.fillText(yLabel((max * step) / 4), left - 4, y);
    }
    context.textAlign = "center";
    context.textBaseline = "top";
    let lastRight = -Infinity;
    for (const { x, label } of xTicks) {
      const half = context.measureText(label).width / 2;
      if (x - half < lastRight + 8) continue; // never overlap two labels
      context.fillText(label, Math.min(left + width - half, Math.max(left + half, x)), top + height + 4);
      lastRight = x + half;
    }
  }

  // Evenly spaced x labels from a list of positions: about one per 80 pixels.
  function ticks(count, width, position, label) {
    const every = Math.max(1, Math.ceil(count / Math.max(1, width / 80)));
    const result = [];
    for (let index = 0; index < count; index += every) result.push({ x: position(index), label: label(index) });
    return result;
  }

  function shortClock(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  const statusIndex = (name) => Math.max(0, statusNames.indexOf(name));

  // Render time per frame number: one bar per frame, coloured by status, height in proportion to
  // its render seconds; `previous` (another render's frames) as a dark line over it, matched by
  // frame number. Answers the bars' geometry (read by the tests).
  function drawFrameTimes(canvas, frames, previous) {
    const area = chartArea(canvas);
    const { context, left, top, width, height } = area;
    const before = new Map((previous || []).map((frame) => [frame.frame, frame.render_seconds]));
    let max = 0;
    for (const frame of frames) max = Math.max(max, frame.render_seconds || 0, before.get(frame.frame) || 0);
    max = max || 1;
    const label = (value) => (max < 2 ? `${Math.round(value * 1000)} ms` : max < 20 ? `${value.toFixed(1)} s` : duration(value));
    drawAxes(area, max, label, ticks(frames.length, width,
      (index) => left + ((index + 0.5) * width) / frames.length, (index) => String(frames[index].frame)));
    const pitch = width / Math.max(1, frames.length);
    const bars = [];
    frames.forEach((frame, index) => {
      const seconds = frame.render_seconds || 0;
      const barHeight = (height * seconds) / max;
      const x = left + index * pitch;
      context.fillStyle = statusColors[statusIndex(frame.status)] || "#999";
      context.fillRect(x, top + height - barHeight, Math.max(1, pitch - (pitch > 3 ? 1 : 0)), barHeight);
      bars.push({ frame: frame.frame, x, width: pitch, height: barHeight, seconds });
    });
    if (before.size) {
      context.strokeStyle = "#1d2330";
      context.lineWidth = 1.5;
      context.beginPath();
      let drawing = false;
      frames.forEach((frame, index) => {
        const seconds = before.get(frame.frame);
        if (seconds === undefined || seconds === null) { drawing = false; return; }
        const x = left + (index + 0.5) * pitch, y = top + height - (height * seconds) / max;
        if (drawing) context.lineTo(x, y); else context.moveTo(x, y);
        drawing = true;
      });
      context.stroke();
    }
    return bars;
  }

  // "30% slower than render 12 from frame 1150 on": the frames both renders timed, split where the
  // ratio of their total times before and after differs most (prefix sums: one pass).
  function compareRenders(frames, previous, previousName) {
    const before = new Map(previous.map((frame) => [frame.frame, frame.render_seconds]));
    const pairs = frames.filter((frame) => frame.render_seconds > 0 && before.get(frame.frame) > 0)
      .map((frame) => [frame.frame, frame.render_seconds, before.get(frame.frame)]);
    if (pairs.length < 2) return "";
    const total = pairs.reduce((sum, [, now, then]) => [sum[0] + now, sum[1] + then], [0, 0]);
    const percent = (ratio) => `${Math.round(Math.abs(ratio - 1) * 100)}% ${ratio >= 1 ? "slower" : "faster"}`;
    let best = null, now = 0, then = 0;
    const least = Math.max(1, Math.floor(pairs.length / 20)); // at least 5% of the frames on each side
    for (let split = 1; split < pairs.length; split++) {
      now += pairs[split - 1][1];
      then += pairs[split - 1][2];
      if (split < least || pairs.length - split < least) continue;
      const early = now / then, late = (total[0] - now) / (total[1] - then);
      const gap = Math.abs(Math.log(late / early));
      if (!best || gap > best.gap) best = { gap, early, late, frame: pairs[split][0] };
    }
    const overall = total[0] / total[1];
    if (best && best.gap > Math.log(1.1) && Math.abs(best.early - 1) < 0.1) {
      return `${percent(best.late)} than ${previousName} from frame ${best.frame} on`;
    }
    return Math.abs(overall - 1) < 0.02 ? `as fast as ${previousName}` : `${percent(overall)} than ${previousName}`;
  }

  // Frames finished per slice of the render's time (bars) and machines at work (line).
  function drawTimeline(canvas, timeline) {
    const area = chartArea(canvas);
    const { context, left, top, width, height } = area;
    if (!timeline.length) return;
    const max = Math.max(1, ...timeline.map((slice) => Math.max(slice.completions, slice.rendering)));
    const pitch = width / timeline.length;
    drawAxes(area, max, (value) => String(Math.round(value)), ticks(timeline.length, width,
      (index) => left + index * pitch, (index) => shortClock(new Date(timeline[index].start))));
    context.fillStyle = statusColors[5];
    timeline.forEach((slice, index) => {
      const barHeight = (height * slice.completions) / max;
      context.fillRect(left + index * pitch + 1, top + height - barHeight, Math.max(1, pitch - 2), barHeight);
    });
    context.strokeStyle = statusColors[RENDERING];
    context.lineWidth = 2;
    context.beginPath();
    timeline.forEach((slice, index) => {
      const x = left + (index + 0.5) * pitch, y = top + height - (height * slice.rendering) / max;
      if (index) context.lineTo(x, y); else context.moveTo(x, y);
    });
    context.stroke();
  }

  // The predicted finish (a clock time, y) at each moment the estimate arrived (x).
  function drawFinish(canvas, samples) {
    const area = chartArea(canvas);
    const { context, left, top, width, height } = area;
    if (samples.length < 2) {
      context.fillStyle = "#667085";
      context.fillText("collecting: the estimate as it changes while this page is open", left, top + height / 2);
      return;
    }
    const first = samples[0].at, last = samples[samples.length - 1].at;
    let low = Infinity, high = -Infinity;
    for (const { finish } of samples) { low = Math.min(low, finish); high = Math.max(high, finish); }
    if (high - low < 60000) { low -= 30000; high += 30000; }
    const x = (at) => left + (width * (at - first)) / Math.max(1, last - first);
    const y = (finish) => top + height - (height * (finish - low)) / (high - low);
    drawAxes(area, high - low, (value) => shortClock(new Date(low + value)), ticks(5, width,
      (index) => left + (index * width) / 4, (index) => shortClock(new Date(first + (index * (last - first)) / 4))));
    context.strokeStyle = statusColors[RENDERING];
    context.lineWidth = 2;
    context.beginPath();
    samples.forEach(({ at, finish }, index) => (index ? context.lineTo(x(at), y(finish)) : context.moveTo(x(at), y(finish))));
    context.stroke();
  }

  // The project view's charts and machine table, from the live render's getRenderReport (and
  // the render before it of the same project, for comparison): asked again at most every 10 s
  // while the project changes, and only while the charts are on screen (a 20,000-frame report is
  // megabytes: a page showing the grid alone must not fetch it).
  const charts = {
    key: "",
    timer: 0,
    fetchedAt: -Infinity,
    report: null,
    previous: null,
    bars: [],
    finishes: [],

    finishDrawnAt: 0,

    follow(entry) {
      const { summary } = entry;
      const left = leftNow(entry);
      if (summary.state === "running" && left !== null) {
        const at = Date.now(), finish = at + left * 1000;
        const last = this.finishes[this.finishes.length - 1];
        if (!last || at - last.at >= 1000) this.finishes.push({ at, finish });
        if (this.finishes.length > 2000) this.finishes.splice(0, 1000);
        if (at - this.finishDrawnAt > 2000) {
          this.finishDrawnAt = at;
          drawFinish($("chart-finish"), this.finishes);
        }
      }
      const key = `${summary.project}|${summary.last_event_id}`;
      if (key === this.key) return;
      this.key = key;
      this.stale = true;
      if (this.visible) this.schedule();
    },

    visible: false,
    stale: false,

    schedule() {
      if (!this.stale || following === null) return;
      this.stale = false;
      clearTimeout(this.timer);
      // At least 300 ms: a page that just opened lays its grid out first, which may push the
      // charts off screen (the observer says so before the timer fires).
      // 10 s, or longer for large renders: a report is about 185 bytes a frame (3.7 MB at
      // 20,000 frames, 136 ms to answer in a release build; asked every 40 s).
      const every = Math.max(10000, (this.report ? this.report.frames.length : 0) * 2);
      const wait = Math.max(300, this.fetchedAt + every - performance.now());
      const project = following;
      this.timer = setTimeout(() => {
        if (this.visible && project === following) this.fetch(project); else this.stale = true;
      }, wait);
    },

    watch() {
      // On screen: a fifth of the charts shows, not their top edge under a tall grid.
      new IntersectionObserver((entries) => {
        this.visible = entries.some((entry) => entry.isIntersecting);
        if (this.visible) this.schedule();
      }, { threshold: 0.2 }).observe($("charts"));
    },

    async fetch(project) {
      this.fetchedAt = performance.now();
      try {
        const [history] = await rpcBatch([["getRenderHistory", project]]);
        const live = history.find((render) => render.ending === "live");
        if (!live) return;
        const previous = history.find((render) => render.render_id < live.render_id);
        const calls = [["getRenderReport", live.render_id]];
        if (previous && (!this.previous || this.previous.render.render_id !== previous.render_id)) {
          calls.push(["getRenderReport", previous.render_id]);
        }
        const answers = await rpcBatch(calls);
        if (project !== following) return;
        this.report = answers[0];
        if (answers[1]) this.previous = answers[1];
        if (!previous) this.previous = null;
        this.draw();
      } catch (error) {
        // The charts wait for the next change; the grid and the panel do not depend on them.
      }
    },

    draw() {
      if (!this.report) return;
      const previousFrames = this.previous ? this.previous.frames : null;
      this.bars = drawFrameTimes($("chart-frame-times"), this.report.frames, previousFrames);
      $("compare-note").textContent = previousFrames
        ? `line: render ${this.previous.render.render_id} (${clockTime(this.previous.render.started)}); this one is `
          + (compareRenders(this.report.frames, previousFrames, `render ${this.previous.render.render_id}`) || "not comparable yet")
        : "";
      drawTimeline($("chart-timeline"), this.report.timeline);
      drawFinish($("chart-finish"), this.finishes);
      showMachines(this.report);
    },

    reset() {
      clearTimeout(this.timer);
      // Clearing sizes the canvases, a layout before the view's first batch: only when drawn on.
      const drawn = this.report !== null || this.finishes.length > 0;
      Object.assign(this, { key: "", report: null, previous: null, bars: [], finishes: [], stale: false });
      if (drawn) for (const id of ["chart-frame-times", "chart-timeline", "chart-finish"]) chartArea($(id));
      $("compare-note").textContent = "";
      $("machines").hidden = true;
    },
  };

  // Failures and mean frame time by machine (the client address that started each render); a
  // machine with failures, or 1.5 times slower than the median machine, is marked.
  function showMachines(report) {
    const failures = new Map(report.failures_by_machine.map(({ machine, failures }) => [machine, failures]));
    const machines = new Map(report.machines.map((entry) => [entry.machine, entry]));
    for (const machine of failures.keys()) if (!machines.has(machine)) machines.set(machine, { machine, frames: 0, mean_seconds: null });
    const means = [...machines.values()].map((entry) => entry.mean_seconds).filter((mean) => mean !== null).sort((a, b) => a - b);
    const median = means.length ? means[Math.floor(means.length / 2)] : null;
    const rows = [...machines.values()].sort((a, b) => (failures.get(b.machine) || 0) - (failures.get(a.machine) || 0)
      || (b.mean_seconds || 0) - (a.mean_seconds || 0));
    $("machines").hidden = rows.length === 0;
    $("machine-table").tBodies[0].replaceChildren(...rows.map((entry) => {
      const row = document.createElement("tr");
      const failed = failures.get(entry.machine) || 0;
      const slow = median !== null && entry.mean_seconds !== null && entry.mean_seconds > 1.5 * median;
      row.className = failed || slow ? "bad" : "";
      row.dataset.machine = entry.machine;
      for (const text of [entry.machine, String(entry.frames), entry.mean_seconds === null ? "\u2014" : duration(entry.mean_seconds), String(failed)]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }));
  }

  // ---- Past renders --------------------------------------------------------------------------

  const history = { project: null, renders: [], chosen: null, reports: new Map(), bars: [] };

  async function showHistory(project) {
    history.project = project;
    $("history-name").textContent = `${project}: past renders`;
    $("history-back").href = "#project=" + encodeURIComponent(project);
    let renders = [];
    try {
      [renders] = await rpcBatch([["getRenderHistory", project]]);
    } catch (error) {
      $("notice").textContent = `Could not read the render history (${error.message}).`;
    }
    if (history.project !== project) return;
    history.renders = renders;
    $("no-history").hidden = renders.length > 0;
    $("history").tBodies[0].replaceChildren(...renders.map((render) => {
      const row = document.createElement("tr");
      row.dataset.render = String(render.render_id);
      const cells = [
        ["render", String(render.render_id)], ["started", clockTime(render.started)], ["state", render.state],
        ["ending", render.ending], ["frames", String(render.frames)], ["done", String(render.done)],
        ["errors", String(render.errors)], ["machine", duration(render.render_seconds)], ["wall", duration(render.wall_seconds)],
        ["job", render.job_id],
      ];
      for (const [column, text] of cells) {
        const cell = document.createElement("td");
        cell.dataset.column = column;
        cell.textContent = text;
        row.append(cell);
      }
      row.onclick = () => chooseRender(render.render_id);
      return row;
    }));
    if (renders.length) chooseRender(renders[0].render_id);
  }

  // Draws the chosen render's frame times over the render before it.
  async function chooseRender(id) {
    history.chosen = id;
    for (const row of $("history").tBodies[0].rows) row.classList.toggle("chosen", row.dataset.render === String(id));
    const index = history.renders.findIndex((render) => render.render_id === id);
    const previous = history.renders[index + 1];
    const wanted = [id, ...(previous ? [previous.render_id] : [])].filter((render) => !history.reports.has(render));
    if (wanted.length) {
      const answers = await rpcBatch(wanted.map((render) => ["getRenderReport", render]));
      wanted.forEach((render, position) => history.reports.set(render, answers[position]));
    }
    if (history.chosen !== id) return;
    const report = history.reports.get(id), before = previous ? history.reports.get(previous.render_id) : null;
    if (!report) return;
    history.bars = drawFrameTimes($("chart-history"), report.frames, before ? before.frames : null);
    $("history-compare").textContent = `render ${id}` + (before
      ? ` (bars) over render ${previous.render_id} (line): ` + (compareRenders(report.frames, before.frames, `render ${previous.render_id}`) || "no frames timed in both")
      : ", the first kept");
  }

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

  // `#project=<name>` shows a project, `#history=<name>` its past renders; anything else the
  // list. The list and a project have their own stream, opened from cursor 0: the first batch is
  // the whole view. Past renders do not change: they are asked once, with no stream.
  let showingHistory = null;

  function showView() {
    const match = /^#(project|history)=(.*)$/.exec(location.hash);
    const name = match ? decodeURIComponent(match[2]) : null;
    const historyOf = match && match[1] === "history" ? name : null;
    const next = historyOf === null ? name : null;
    $("history-view").hidden = historyOf === null;
    $("projects-view").hidden = next !== null || historyOf !== null;
    $("project-view").hidden = next === null;
    if (historyOf !== null) {
      if (source) source.close();
      clearTimeout(retryTimer);
      source = null;
      following = null;
      showingHistory = historyOf;
      document.title = `${historyOf} past renders \u2014 rendertracker`;
      showHistory(historyOf);
      return;
    }
    if (next === following && source && showingHistory === null) return;
    showingHistory = null;
    following = next;
    document.title = following === null ? "rendertracker" : `${following} \u2014 rendertracker`;
    if (following !== null) $("history-link").href = "#history=" + encodeURIComponent(following);
    grid.load([]);
    failures.reset();
    charts.reset();
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
    window.addEventListener("resize", () => charts.draw());
    charts.watch();
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
    select: selectFrame,
    get chartBars() { return charts.bars; },
    get historyBars() { return history.bars; },
    statusColors,
  };

  start();
})();
