"""What no number of clients may take from the daemon (docs/operations.md, Limits), attacked over
raw sockets while a farm call, through Python's xmlrpc.client, must still be served.
Usage: resource_bounds.py URL SCENARIO PID   (PID: the daemon's process, whose memory is read from /proc)"""
import os
import re
import resource
import select
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
HOST = urllib.parse.urlparse(URL).hostname
PORT = urllib.parse.urlparse(URL).port
PID = int(sys.argv[3]) if len(sys.argv) > 3 else None
MIB = 1024 * 1024


def rss_bytes():
    with open("/proc/%d/status" % PID) as status:
        return int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1)) * 1024


def metric(name):
    text = urllib.request.urlopen(URL + "/metrics", timeout=10).read().decode()
    match = re.search(r"^%s (\d+)" % name, text, re.MULTILINE)
    return int(match.group(1)) if match else None


def farm_call():
    """A farm job's report, as HQueue's scripts make it; it must succeed within a few seconds."""
    started = time.monotonic()
    proxy = xmlrpc.client.ServerProxy(URL + "/RPC2")
    answer = proxy.startedRenderProject("farm/shot_v001", [1, 2, 3], False, "42")
    proxy.setFrameRenderFraction("farm/shot_v001", 1, 0.5)
    return answer is True, time.monotonic() - started


def answer_of(connection):
    """The status line and headers the daemon sent on a connection, or None if it sent nothing."""
    try:
        data = connection.recv(65536)
    except ConnectionResetError:
        return None
    return data.decode(errors="replace") if data else None


def held_bodies():
    # Each attacker declares a 30 MiB body, sends 29 MiB and stops, keeping the connection open.
    # Without a budget every byte stays in memory (17 of them OOM-killed the daemon in a 512 MiB
    # cgroup); with the default 256 MiB budget some are refused with 503 and the rest held.
    attackers, declared, sent_each = 12, 30 * MIB, 29 * MIB
    budget = 256 * MIB
    rss_before = rss_bytes()
    refused, held, lock = [], [], threading.Lock()

    def attack():
        connection = socket.create_connection((HOST, PORT), timeout=60)
        connection.sendall(b"POST /RPC2 HTTP/1.1\r\nHost: tracker\r\nContent-Type: text/xml\r\n"
                           b"Content-Length: %d\r\n\r\n<methodCall><methodName>isRunning</methodName>" % declared)
        piece = b"x" * MIB
        for _ in range(sent_each // MIB):
            if select.select([connection], [], [], 0)[0]:
                break  # the daemon answered before the body was complete: a refusal
            try:
                connection.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
        readable = select.select([connection], [], [], 0.5)[0]
        with lock:
            (refused if readable else held).append((connection, answer_of(connection) if readable else None))

    threads = [threading.Thread(target=attack) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held_bytes = metric("rendertracker_request_body_bytes_held")
    rss_growth = rss_bytes() - rss_before
    print("held %d connections, refused %d; %s bytes of bodies held, RSS grew by %d" % (len(held), len(refused), held_bytes, rss_growth))
    check(refused and held, "some attackers are refused and some held", (len(refused), len(held)))
    for _, answer in refused:
        check(answer is not None and answer.startswith("HTTP/1.1 503") and "retry-after: 5" in answer.lower()
              and "request bodies at once" in answer, "a refused attacker gets 503 with Retry-After and why", answer)
    check(held_bytes is not None and held_bytes <= budget, "the daemon holds at most its budget of bodies", held_bytes)
    check(rss_growth < budget + 64 * MIB, "its memory grew by less than the budget and 64 MiB", rss_growth)
    ok, seconds = farm_call()
    check(ok and seconds < 5, "a farm call is served meanwhile, within seconds", seconds)
    for connection, _ in held + refused:
        connection.close()
    deadline = time.monotonic() + 10
    while metric("rendertracker_request_body_bytes_held") != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    check(metric("rendertracker_request_body_bytes_held") == 0, "every byte is given back when the connections close",
          metric("rendertracker_request_body_bytes_held"))
    ok, _ = farm_call()
    check(ok, "the daemon still serves farm calls", ok)


def trickled_body():
    # Run against a daemon with --request-seconds 2 --idle-timeout 5: one byte every half second
    # restarts the idle timeout each time, so only the request deadline can end this request.
    connection = socket.create_connection((HOST, PORT), timeout=60)
    connection.sendall(b"POST /RPC2 HTTP/1.1\r\nHost: tracker\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<")
    started = time.monotonic()
    closed = False
    while not closed and time.monotonic() - started < 30:
        if select.select([connection], [], [], 0.5)[0]:
            closed = answer_of(connection) is None
        else:
            try:
                connection.sendall(b"m")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
    seconds = time.monotonic() - started
    check(closed and seconds < 10, "the daemon closed the trickling connection after the request deadline", (closed, seconds))
    ok, _ = farm_call()
    check(ok, "the daemon still serves farm calls", ok)


def cpu_seconds():
    fields = open("/proc/%d/stat" % PID).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def idle_sockets():
    # Run against a daemon started with a soft limit of 1,024 open files: 1,100 sockets that
    # never send a byte stopped all service and burned a core until they closed.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 2048), hard), hard))
    sockets = [socket.create_connection((HOST, PORT), timeout=10) for _ in range(1100)]
    time.sleep(1)
    before = cpu_seconds()
    time.sleep(3)
    spent = cpu_seconds() - before
    check(spent < 1, "the daemon idles beside 1,100 idle sockets (CPU seconds in 3 s)", spent)
    ok, seconds = farm_call()
    check(ok and seconds < 5, "a farm call is served within seconds", seconds)
    for connection in sockets:
        connection.close()


def busy_connections():
    # Run against a daemon with --max-connections 20: 20 connections each in the middle of a
    # request leave no idle one to close, so a 21st is refused (closed at once).
    busy = []
    for _ in range(20):
        connection = socket.create_connection((HOST, PORT), timeout=10)
        connection.sendall(b"POST /RPC2 HTTP/1.1\r\nHost: tracker\r\nContent-Length: 100\r\n\r\n<methodCall>")
        busy.append(connection)
    time.sleep(0.5)
    extra = socket.create_connection((HOST, PORT), timeout=10)
    check(select.select([extra], [], [], 5)[0] and answer_of(extra) is None, "a 21st connection is closed at once", None)
    for connection in busy:
        connection.close()
    time.sleep(0.5)
    ok, _ = farm_call()
    check(ok, "once they are gone, a farm call is served", ok)


def memory_given_back():
    # 2,000 projects of 100 frames, then removed: glibc kept every freed byte for the daemon's own
    # later use, so its memory stayed at the peak; the daemon now trims once enough has left.
    proxy = xmlrpc.client.ServerProxy(URL + "/RPC2")
    idle = rss_bytes()
    for start in range(0, 2000, 100):
        batch = xmlrpc.client.MultiCall(proxy)
        for project in range(start, start + 100):
            batch.startedRenderProject("churn/shot_%04d" % project, list(range(1, 101)), False, str(project))
        batch()
    peak = rss_bytes()
    removed = []
    for start in range(0, 2000, 100):
        batch = xmlrpc.client.MultiCall(proxy)
        for project in range(start, start + 100):
            batch.removeProject("churn/shot_%04d" % project)
        removed += list(batch())
    check(removed == [True] * 2000, "the projects are removed", removed.count(True))
    deadline = time.monotonic() + 30
    while rss_bytes() > peak - (peak - idle) // 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    after = rss_bytes()
    print("idle %d MiB, with the projects %d MiB, after removing them %d MiB" % (idle >> 20, peak >> 20, after >> 20))
    check(peak - idle > 32 * MIB, "the projects took memory", peak - idle)
    check(after <= peak - (peak - idle) // 2, "at least half of it is given back within 30 s", after)


if __name__ == "__main__":
    run({"held_bodies": held_bodies, "trickled_body": trickled_body, "idle_sockets": idle_sockets,
         "busy_connections": busy_connections, "memory_given_back": memory_given_back})
