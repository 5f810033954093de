"""GET /events (Server-Sent Events) and the monitor's files, over raw sockets, while Python's
xmlrpc.client writes to the tracker.
Usage: event_stream.py URL SCENARIO   (exits non-zero with a message on the first failed check)"""
import gzip
import http.client
import json
import socket
import sys
import time
import urllib.parse
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
HOST = urllib.parse.urlparse(URL).hostname
PORT = urllib.parse.urlparse(URL).port
tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", allow_none=True)


class Stream:
    """One open event stream: sends the request, then reads chunked SSE messages."""

    def __init__(self, query="", headers=None, timeout=5.0, source="127.0.0.1", receive_buffer=None):
        """source: the client's address, any of 127.0.0.0/8 (the daemon counts streams per address).
        receive_buffer: a small socket buffer makes the daemon wait for the reader, as a slow page does."""
        self.socket = socket.socket()
        self.socket.settimeout(timeout)
        if receive_buffer:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.socket.bind((source, 0))
        self.socket.connect((HOST, PORT))
        lines = ["GET /events%s HTTP/1.1" % query, "Host: %s:%d" % (HOST, PORT), "Accept: text/event-stream"]
        lines += ["%s: %s" % item for item in (headers or {}).items()]
        self.socket.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        self.text = ""  # decoded body not yet parsed into messages
        self.ended = False
        head = self._read_until(b"\r\n\r\n")
        self.status = int(head.split(b" ")[1])
        self.headers = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.decode().partition(":")
            self.headers[name.strip().lower()] = value.strip()

    def _read_until(self, marker):
        while marker not in self.buffer:
            data = self.socket.recv(65536)
            if not data:
                raise EOFError("connection closed")
            self.buffer += data
        part, _, self.buffer = self.buffer.partition(marker)
        return part

    def _read_chunk(self):
        size = int(self._read_until(b"\r\n"), 16)
        if size == 0:
            self._read_until(b"\r\n")
            self.ended = True
            return
        while len(self.buffer) < size + 2:
            data = self.socket.recv(65536)
            if not data:
                raise EOFError("connection closed mid-chunk")
            self.buffer += data
        self.text += self.buffer[:size].decode()
        self.buffer = self.buffer[size + 2:]

    def message(self):
        """The next message as a dict of its fields ('data' parsed as JSON); comments are skipped.
        Raises socket.timeout when none arrives within the timeout."""
        while True:
            while "\n\n" not in self.text:
                if self.ended:
                    raise EOFError("stream ended")
                self._read_chunk()
            block, _, self.text = self.text.partition("\n\n")
            fields = {}
            for line in block.split("\n"):
                if line.startswith(":"):
                    continue
                name, _, value = line.partition(": ")
                fields[name] = value
            if fields:
                if "data" in fields:
                    fields["data"] = json.loads(fields["data"])
                return fields

    def close(self):
        self.socket.close()


def start(name, frames, job="1"):
    tracker.startedRenderProject(name, frames, False, job)


def summaries(batch):
    return {summary["project"]: summary for summary in batch["projects"]}


def events_arrive():
    start("sse/a", [1, 2, 3])
    start("sse/b", [7])
    stream = Stream("?project=sse%2Fa&cursor=0")
    check(stream.status == 200 and stream.headers.get("content-type", "").startswith("text/event-stream"),
          "the stream answers 200 text/event-stream", (stream.status, stream.headers))
    first = stream.message()
    batch = first["data"]
    check(first.get("retry") == "1000", "the first message asks for reconnection after 1 s", first)
    check(first["id"] == str(batch["event_id"]), "the SSE id is the batch's event_id", first)
    check(batch["project_names"] == ["sse/a", "sse/b"], "the first batch lists every project", batch)
    check(set(summaries(batch)) == {"sse/a", "sse/b"} and summaries(batch)["sse/a"]["state"] == "running",
          "the first batch has every project's summary", batch["projects"])
    expected = tracker.getChangedFrames("sse/a", 0)
    check(batch["changes"] == expected, "the first batch's changes are getChangedFrames(project, 0)", (batch["changes"], expected))

    before = time.monotonic()
    tracker.setFrameRenderFraction("sse/a", 2, 0.5)
    batch = stream.message()["data"]
    took = time.monotonic() - before
    check(took < 1.0, "a change arrives within a second", took)
    check(batch["changes"] == {"event_id": batch["event_id"], "frames": [[2, 3, 0.5]], "reset": False},
          "only the changed frame comes, not a reset", batch["changes"])
    check(list(summaries(batch)) == ["sse/a"] and "project_names" not in batch,
          "only the changed project's summary comes, and no name list when the names did not change", batch)

    # A change to another project: its summary, and no frames for the followed one.
    tracker.setFrameError("sse/b", 7, "boom")
    batch = stream.message()["data"]
    check("changes" not in batch and summaries(batch)["sse/b"]["state"] == "failed",
          "another project's change brings its summary only", batch)
    stream.close()


def coalesced():
    start("sse/busy", list(range(1, 1001)))
    stream = Stream("?project=sse%2Fbusy&cursor=0")
    stream.message()
    for frame in range(1, 1001):
        tracker.setFrameRenderFraction("sse/busy", frame, 1.0)
    deadline = time.monotonic() + 3
    batches, seen = 0, {}
    stream.socket.settimeout(0.5)
    while time.monotonic() < deadline and len(seen) < 1000:
        try:
            batch = stream.message()["data"]
        except socket.timeout:
            continue
        batches += 1
        for number, status, _ in batch["changes"]["frames"]:
            seen[number] = status
    check(len(seen) == 1000 and set(seen.values()) == {5}, "every one of 1,000 writes arrived, Done", len(seen))
    # The writes take a second or more through xmlrpc.client; at most 4 batches a second.
    check(batches < 1000 / 10, "1,000 writes came in a few batches, not one message each", batches)
    stream.close()


def resume_with_cursor():
    start("sse/r", [1, 2, 3, 4])
    stream = Stream("?project=sse%2Fr")
    cursor = stream.message()["data"]["event_id"]
    stream.close()
    tracker.setFrameRenderFraction("sse/r", 3, 0.25)
    tracker.setFrameRenderFraction("sse/r", 4, 1.0)
    stream = Stream("?project=sse%%2Fr&cursor=%d" % cursor)
    batch = stream.message()["data"]
    check(batch["changes"]["reset"] is False and batch["changes"]["frames"] == [[3, 3, 0.25], [4, 5, 1.0]],
          "a stream opened with the cursor sends only what changed after it", batch["changes"])
    check("sse/r" in batch["project_names"], "a new connection always sends the name list", batch)
    stream.close()


def resume_with_last_event_id():
    start("sse/l", [1, 2])
    stream = Stream("?project=sse%2Fl&cursor=0")
    cursor = stream.message()["id"]
    stream.close()
    tracker.setFrameRenderFraction("sse/l", 2, 0.75)
    # As EventSource reconnects: the original URL (cursor=0) plus Last-Event-ID, which wins.
    stream = Stream("?project=sse%2Fl&cursor=0", headers={"Last-Event-ID": cursor})
    batch = stream.message()["data"]
    check(batch["changes"] == {"event_id": batch["event_id"], "frames": [[2, 3, 0.75]], "reset": False},
          "Last-Event-ID resumes from that id, over the query's cursor", batch["changes"])
    stream.close()


def reset_and_removal():
    start("sse/x", [1, 2, 3])
    stream = Stream("?project=sse%2Fx")
    stream.message()
    start("sse/x", [10, 11])  # re-rendered: the stream's cursor predates the new project
    batch = stream.message()["data"]
    check(batch["changes"]["reset"] is True and batch["changes"]["frames"] == [[10, 0, 0.0], [11, 0, 0.0]],
          "a re-rendered project comes as a reset with its new frames", batch["changes"])
    tracker.removeProject("sse/x")
    batch = stream.message()["data"]
    check("sse/x" not in batch["project_names"] and batch["changes"]["reset"] is True and batch["changes"]["frames"] == [],
          "a removal sends the name list without it and a reset with no frames", batch)
    tracker.incrementAndGetLastEventId()
    stream.socket.settimeout(1.0)
    try:
        extra = stream.message()
    except socket.timeout:
        extra = None
    check(extra is None, "nothing is sent when nothing the stream shows changed", extra)
    stream.close()
    # A cursor ahead of the counter (a restarted daemon) resets.
    start("sse/y", [5])
    stream = Stream("?project=sse%2Fy&cursor=999999")
    batch = stream.message()["data"]
    check(batch["changes"]["reset"] is True and batch["changes"]["frames"] == [[5, 0, 0.0]] and "sse/y" in summaries(batch),
          "a cursor ahead of the counter gets everything, as a reset", batch)
    stream.close()


def bad_parameters():
    for query, headers, words in [
        ("?cursor=abc", {}, "cursor"),
        ("?cursor=1.5", {}, "cursor"),
        ("?project=a&since=3", {}, "since"),
        ("?project=" + "x" * 4097, {}, "project"),
        ("?project=bob%2Gshot", {}, "percent-encoding"),
        ("", {"Last-Event-ID": "yesterday"}, "Last-Event-ID"),
    ]:
        stream = Stream(query, headers=headers)
        body = stream.socket.recv(65536).decode(errors="replace") if not stream.buffer else stream.buffer.decode()
        check(stream.status == 400 and words in body, "%s%s is refused with 400 naming %s" % (query[:30], headers, words),
              (stream.status, body))
        stream.close()


def name_with_space():
    # URLSearchParams (the monitor page) writes a space as "+": the project is "sse/shot (2)".
    start("sse/shot (2)", [1, 2])
    start("sse/shot+(2)", [7])
    stream = Stream("?project=sse%2Fshot+%282%29")
    batch = stream.message()["data"]
    check(stream.status == 200 and batch["changes"]["frames"] == [[1, 0, 0.0], [2, 0, 0.0]],
          "'+' in the query is a space: the stream follows sse/shot (2)", batch)
    stream.close()


def refusal(stream):
    return stream.socket.recv(65536).decode(errors="replace") if not stream.buffer else stream.buffer.decode()


def stream_limit():
    # Eight streams from one address; a ninth from it is refused, and other addresses are served.
    mine = [Stream() for _ in range(8)]
    for stream in mine:
        stream.message()
    ninth = Stream()
    body = refusal(ninth)
    check(ninth.status == 429 and ninth.headers.get("retry-after") == "5" and "from this address (8)" in body,
          "a ninth stream from one address is refused with 429", (ninth.status, ninth.headers, body))
    ninth.close()
    others = [Stream(source="127.0.0.%d" % address) for address in range(2, 9) for _ in range(8)]
    for stream in others:
        stream.message()
    check(all(stream.status == 200 for stream in mine + others), "64 streams from eight addresses are served",
          [stream.status for stream in others])
    extra = Stream(source="127.0.0.9")
    body = refusal(extra)
    check(extra.status == 503 and extra.headers.get("retry-after") == "5" and "too many open event streams (64)" in body,
          "a 65th, from a ninth address, is refused with 503 and Retry-After", (extra.status, extra.headers, body))
    extra.close()
    # A stream whose client closes its connection gives its slot back at once, with nothing
    # written to it (before, only a failed write noticed: up to two 15 s heartbeats).
    mine.pop().close()
    closed = time.monotonic()
    while True:
        again = Stream()
        if again.status == 200 or time.monotonic() - closed > 2:
            break
        again.close()
        time.sleep(0.05)
    took = time.monotonic() - closed
    check(again.status == 200 and took < 1, "a closed stream's slot is given back within a second (%.2f s)" % took, again.status)
    for stream in mine + others + [again]:
        stream.close()


def open_until_shutdown():
    """Prints 'open' once the stream is served, then expects its clean end (the terminating
    chunk) within 5 seconds: the test triggers the graceful shutdown meanwhile."""
    stream = Stream("?cursor=0", timeout=5.0)
    stream.message()
    print("open", flush=True)
    try:
        while True:
            stream.message()
    except EOFError as error:
        check(stream.ended, "the stream ended cleanly with its terminating chunk", str(error))
    except socket.timeout:
        check(False, "the stream ends within 5 s of the shutdown", "still open")


def monitor_files():
    def get(path, headers=None):
        connection = http.client.HTTPConnection(HOST, PORT, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    status, headers, page = get("/", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    check(status == 200 and headers["content-type"] == "text/html; charset=utf-8" and b"/monitor/monitor.js" in page,
          "a browser gets the page at /", (status, headers))
    status, headers, page = get("/")
    check(status == 200 and b"<html" in page, "a client that sends no Accept gets the page too", (status, page[:40]))
    status, headers, text = get("/", {"Accept": "*/*"})
    check(status == 200 and headers["content-type"].startswith("text/plain") and text.startswith(b"rendertracker: POST"),
          "curl's Accept */* gets the one-line hint", (status, text))
    for name, content_type in [("monitor.js", "text/javascript; charset=utf-8"), ("monitor.css", "text/css; charset=utf-8")]:
        status, plain_headers, plain = get("/monitor/" + name)
        check(status == 200 and plain_headers["content-type"] == content_type and "content-encoding" not in plain_headers,
              name + " is served plain with its content type", (status, plain_headers))
        status, headers, zipped = get("/monitor/" + name, {"Accept-Encoding": "gzip"})
        check(headers.get("content-encoding") == "gzip" and gzip.decompress(zipped) == plain and len(zipped) < len(plain),
              name + " is gzipped for a client that accepts it", headers)
        check(headers["etag"] != plain_headers["etag"] and headers["vary"] == "Accept-Encoding",
              name + ": each encoding has its own ETag", (headers["etag"], plain_headers["etag"]))
        status, headers, body = get("/monitor/" + name, {"If-None-Match": plain_headers["etag"]})
        check(status == 304 and body == b"", name + " revalidates with 304", status)
        status, _, _ = get("/monitor/" + name, {"If-None-Match": '"stale"'})
        check(status == 200, name + " with a stale ETag is sent again", status)
    status, _, _ = get("/monitor/nothing.js")
    check(status == 404, "an unknown monitor file is 404", status)


def paged_first_batch():
    # 4,500 projects: a first batch of every summary was 1.8 MB at once (39 MB for 100,000); it
    # comes in pages of at most 1,000, each sent at once after the one before.
    names = ["page/%04d" % number for number in range(4500)]
    for first in range(0, len(names), 500):
        batch = xmlrpc.client.MultiCall(tracker)
        for name in names[first:first + 500]:
            batch.startedRenderProject(name, [1, 2, 3], False, "1")
        batch()
    counter = tracker.getChangedFrames(names[0], 0)["event_id"]
    # A slow reader (a small socket buffer) keeps the daemon in the middle of the pages while a
    # project already sent (page/0005) and one not yet sent (page/4499) change.
    stream = Stream("?project=page%2F0007&cursor=0", timeout=20, receive_buffer=16384)
    messages = [stream.message()]
    tracker.setFrameRenderFraction("page/0005", 1, 0.5)
    tracker.setFrameRenderFraction("page/4499", 1, 0.25)
    while messages[-1]["data"].get("more"):
        messages.append(stream.message())
    pages = [message["data"] for message in messages]
    sizes = [len(json.dumps(page)) for page in pages]
    check([len(page["projects"]) for page in pages] == [1000, 1000, 1000, 1000, 500],
          "4,500 summaries come in pages of at most 1,000", [len(page["projects"]) for page in pages])
    # About 500 bytes a summary (the range, learned_from and first_error made it 506 from 400).
    check(max(sizes) < 600000, "no page is over 600 KB", sizes)
    sent = [summary["project"] for page in pages for summary in page["projects"]]
    check(sent == names, "every project's summary comes once, in name order", len(sent))
    check([page.get("more") for page in pages] == [True, True, True, True, None], "every page but the last says more follow", None)
    check([message["id"] for message in messages[:-1]] == ["0"] * 4 and all(page["event_id"] == 0 for page in pages[:-1]),
          "until the last page, the id stays the cursor the stream started from", [message["id"] for message in messages])
    check(pages[-1]["event_id"] == counter, "the last page's id is the counter when the first page was read", (pages[-1]["event_id"], counter))
    check(pages[0]["project_names"] == names and all("project_names" not in page for page in pages[1:]),
          "the names come once, in the first page", None)
    check(pages[0]["changes"]["reset"] and [frame[0] for frame in pages[0]["changes"]["frames"]] == [1, 2, 3]
          and all("changes" not in page for page in pages[1:]), "the followed project's frames come once, in the first page", None)
    # page/0005 changed after its page was sent: the summaries are read again from the first
    # page's moment, so its new state follows; page/4499's came in its page or follows too.
    latest = {}
    for page in pages:
        latest.update(summaries(page))
    while latest["page/0005"]["status_counts"]["Rendering"] == 0 or latest["page/4499"]["status_counts"]["Rendering"] == 0:
        latest.update(summaries(stream.message()["data"]))
    check(True, "a project that changed during the pages is sent again", None)
    stream.close()


run({
    "paged_first_batch": paged_first_batch,
    "events_arrive": events_arrive,
    "coalesced": coalesced,
    "resume_with_cursor": resume_with_cursor,
    "resume_with_last_event_id": resume_with_last_event_id,
    "reset_and_removal": reset_and_removal,
    "bad_parameters": bad_parameters,
    "stream_limit": stream_limit,
    "name_with_space": name_with_space,
    "open_until_shutdown": open_until_shutdown,
    "monitor_files": monitor_files,
})
