"""Checks examples/hqueue/rendertracker.py (the HQueue client module) against a live daemon.

Usage: python3 hqueue_client_module.py http://127.0.0.1:PORT[/path]
Runs on Python 2.7 and 3.x. Prints "ok: <what>" per check; exits non-zero on the
first failure (an AssertionError saying what was expected and what came back).
"""

import os
import socket
import sys
import threading
import time

if not __debug__:
    sys.exit("run without -O: the checks are asserts")

try:
    from urllib.parse import urlparse
except ImportError:  # Python 2
    from urlparse import urlparse

try:
    from xmlrpc.server import SimpleXMLRPCServer
except ImportError:  # Python 2
    from SimpleXMLRPCServer import SimpleXMLRPCServer

# Settings the module reads; the checks below set what they need themselves.
for variable in ("RENDERTRACKER_URL", "RENDERTRACKER_PORT", "RENDERTRACKER_HOST", "HQUEUE_SERVER", "RENDERTRACKER_TOKEN",
                 "RENDERTRACKER_TIMEOUT", "RENDERTRACKER_CALL_TIMEOUT", "RENDERTRACKER_RETRY_SECONDS"):
    os.environ.pop(variable, None)

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "examples", "hqueue"))
sys.path.insert(0, MODULE_DIR)
sys.dont_write_bytecode = True  # no .pyc / __pycache__ beside the example module
import rendertracker  # noqa: E402

assert os.path.normcase(os.path.dirname(os.path.abspath(rendertracker.__file__))) == os.path.normcase(MODULE_DIR), \
    "expected rendertracker imported from %s, got %s" % (MODULE_DIR, rendertracker.__file__)


def ok(what):
    sys.stdout.write("ok: %s\n" % what)
    sys.stdout.flush()


def timed(function, *args):
    start = time.time()
    result = function(*args)
    return result, time.time() - start


class FakeTracker(object):
    """A tiny XML-RPC tracker in a thread, bound at once but listening only after listen().

    Until listen() the port refuses connections (bound, not listening), so it is a port
    where nothing answers that no other process can take.
    """

    def __init__(self):
        self.server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True,
                                         bind_and_activate=False)
        self.server.allow_reuse_address = True
        self.server.server_bind()
        self.port = self.server.server_address[1]
        self.server.register_function(lambda: True, "isRunning")
        self.server.register_function(self.slow, "slow")
        self.server.register_function(self.formula, "applyProjectNameFormula")
        self.thread = None

    @staticmethod
    def slow(seconds):
        time.sleep(seconds)
        return True

    @staticmethod
    def formula(user, local_hip_path):
        if user == "fault":
            raise ValueError("formula refused")
        return "fake:" + user + ":" + local_hip_path

    def listen(self):
        self.server.server_activate()
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()

    def stop(self):
        if self.thread is not None:
            self.server.shutdown()
        self.server.server_close()


class SilentServer(object):
    """Accepts TCP connections and never answers."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept)
        self.thread.daemon = True
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except (socket.error, OSError):
                return
            self.accepted.append(connection)  # held open, never read or answered

    def stop(self):
        for connection in self.accepted:
            connection.close()
        self.sock.close()


def main(url):
    parsed = urlparse(url)
    host, port = parsed.hostname, parsed.port
    assert host and port, "expected a URL like http://127.0.0.1:PORT, got %r" % url

    # -- live daemon: connection and cache. The test suite runs many clients at once on a small
    # machine, so the live probe gets a generous timeout; the default is checked on a silent server.
    os.environ["RENDERTRACKER_TIMEOUT"] = "20"
    connection, elapsed = timed(rendertracker.getConnection, host, port)
    del os.environ["RENDERTRACKER_TIMEOUT"]
    if connection is None:
        try:
            direct = repr(rendertracker.xmlrpclib.ServerProxy(url + "/RPC2").isRunning())
        except Exception as error:  # the reason the probe failed, for the message below
            direct = "%s: %s" % (type(error).__name__, error)
        raise AssertionError("expected a connection to the daemon at %s:%s after %.2fs, got None; "
                             "a direct isRunning() gives %s" % (host, port, elapsed, direct))
    running = connection.isRunning()
    assert running is True, "expected isRunning() True from the daemon, got %r" % (running,)
    ok("getConnection(%s, %d) -> connection, isRunning() True (%.2fs)" % (host, port, elapsed))
    again = rendertracker.getConnection(host, port)
    assert again is connection, "expected the cached connection object %r, got %r" % (connection, again)
    ok("second getConnection returns the cached connection")
    via_name = rendertracker.getConnection("%s:%d" % (host, port))
    assert via_name is connection, "expected getConnection('host:port') to be the cached connection, got %r" % (via_name,)
    ok("getConnection('%s:%d') shares the cache" % (host, port))
    os.environ["RENDERTRACKER_PORT"] = str(port)
    via_env = rendertracker.getConnection(host)
    del os.environ["RENDERTRACKER_PORT"]
    assert via_env is connection, "expected getConnection(host) with RENDERTRACKER_PORT=%d to be the cached connection, got %r" % (port, via_env)
    ok("RENDERTRACKER_PORT is honoured")

    # -- nothing listens: refused fast, then negative cache
    fake = FakeTracker()  # bound, not listening yet
    result, elapsed = timed(rendertracker.getConnection, "127.0.0.1", fake.port)
    assert result is None, "expected None for port %d where nothing listens, got %r" % (fake.port, result)
    ok("getConnection to a port where nothing listens -> None (%.3fs)" % elapsed)
    result, elapsed = timed(rendertracker.getConnection, "127.0.0.1", fake.port)
    assert result is None, "expected None from the negative cache, got %r after %.3fs" % (result, elapsed)
    ok("repeated getConnection -> None from the negative cache (%.4fs)" % elapsed)

    fake.listen()
    result = rendertracker.getConnection("127.0.0.1", fake.port)
    assert result is None, "expected None still cached for port %d within the retry time, got %r" % (fake.port, result)
    ok("a tracker appearing within the retry time is not probed yet")
    os.environ["RENDERTRACKER_RETRY_SECONDS"] = "0"
    os.environ["RENDERTRACKER_TIMEOUT"] = "0.5"
    fake_connection = rendertracker.getConnection("127.0.0.1", fake.port)
    assert fake_connection is not None, "expected a connection once RENDERTRACKER_RETRY_SECONDS=0, got None"
    ok("after the retry time the host is probed again and answers")

    # -- the probe timeout (0.5 s here) does not stay on the connection
    try:
        answer, elapsed = timed(fake_connection.slow, 1.2)
    except Exception as error:  # a timeout here means the probe timeout stayed on the connection
        answer, elapsed = error, 0.0
    assert answer is True, "expected a 1.2 s call to succeed past the 0.5 s probe timeout, got %r" % (answer,)
    ok("a call slower than the probe timeout succeeds (%.2fs)" % elapsed)
    del os.environ["RENDERTRACKER_TIMEOUT"]

    # -- silent server: None after about the probe timeout
    silent = SilentServer()
    result, elapsed = timed(rendertracker.getConnection, "127.0.0.1", silent.port)
    assert result is None, "expected None from a server that never answers, got %r" % (result,)
    # A lower bound only (a loaded CI machine may be slow); the upper bound just proves the 30 s
    # call timeout was not used for the probe.
    assert 1.5 <= elapsed < 25.0, "expected None after about the 2 s probe timeout, took %.2fs" % elapsed
    ok("getConnection to a silent server -> None after %.2fs (default probe timeout 2 s)" % elapsed)
    os.environ["RENDERTRACKER_RETRY_SECONDS"] = "30"
    result, elapsed = timed(rendertracker.getConnection, "127.0.0.1", silent.port)
    assert result is None, "expected None from the negative cache for the silent server, got %r after %.3fs" % (result, elapsed)
    ok("repeated getConnection to the silent server -> None from the negative cache (%.4fs)" % elapsed)
    os.environ["RENDERTRACKER_RETRY_SECONDS"] = "0"
    os.environ["RENDERTRACKER_TIMEOUT"] = "0.5"
    result, elapsed = timed(rendertracker.getConnection, "127.0.0.1", silent.port)
    assert result is None and 0.3 <= elapsed < 2.0, \
        "expected None after about RENDERTRACKER_TIMEOUT=0.5 s, got %r after %.2fs" % (result, elapsed)
    ok("RENDERTRACKER_TIMEOUT=0.5 is honoured (%.2fs)" % elapsed)
    del os.environ["RENDERTRACKER_TIMEOUT"]
    del os.environ["RENDERTRACKER_RETRY_SECONDS"]
    silent.stop()

    # -- project name formula through the daemon, and the local fallback
    name = rendertracker.applyProjectNameFormula("bob", "/home/bob/shot_v003.hipnc", connection)
    assert name == "bob/shot_v003", "expected 'bob/shot_v003' from the daemon, got %r" % (name,)
    ok("applyProjectNameFormula('bob', '/home/bob/shot_v003.hipnc', connection) -> %r" % name)
    cases = [
        ("bob", "C:\\Users\\bob\\shots\\shot_v003.hiplc", "bob/shot_v003"),
        ("bob", "/proj/lighting.hiplc", "bob/lighting"),
        ("bob", "/proj/no_extension", "bob/no_extension"),
        ("bob", '/proj/my"shot".hip', "bob/my'shot'"),
        ('jo"e', "/proj/a.hip", "jo'e/a"),
        ("bob", "/proj/a.b.hip", "bob/a.b"),
        ("bob", "/proj/twice.hip.hipnc", "bob/twice.hip"),
        ("bob", "/proj/.hip", "bob/.hip"),
        ("bob", "/proj/LOUD.HIPNC", "bob/LOUD"),
        ("bob", "\\\\server\\share\\unc.hip", "bob/unc"),
        ("bob", "C:/mixed\\separators/q.hipnc", "bob/q"),
        ("bob", "relative.hip", "bob/relative"),
        ("bob", "/proj/scene.otl", "bob/scene.otl"),
    ]
    for user, path, expected in cases:
        remote = rendertracker.applyProjectNameFormula(user, path, connection)
        local = rendertracker.localProjectNameFormula(user, path)
        assert remote == expected, "expected %r from the daemon for (%r, %r), got %r" % (expected, user, path, remote)
        assert local == remote, "expected the local formula to match the daemon's %r for (%r, %r), got %r" % (remote, user, path, local)
    ok("daemon and local formula agree on %d paths (backslashes, .hiplc, no extension, quotes, ...)" % len(cases))

    name = rendertracker.applyProjectNameFormula("bob", "/x/from_fake.hip", fake_connection)
    assert name == "fake:bob:/x/from_fake.hip", "expected the tracker's own formula answer, got %r" % (name,)
    ok("the tracker's formula is used when it answers")
    name = rendertracker.applyProjectNameFormula("fault", "/x/shot.hip", fake_connection)
    assert name == "fault/shot", "expected the local fallback 'fault/shot' when the call faults, got %r" % (name,)
    ok("a faulting formula call falls back locally")

    # -- no tracker reachable: local fallback
    name = rendertracker.applyProjectNameFormula("bob", "/x/offline.hipnc")
    assert name == "bob/offline", "expected local 'bob/offline' with no connection and no host set, got %r" % (name,)
    ok("no connection and no host configured -> local formula")
    name = rendertracker.applyProjectNameFormula("bob", "/x/dummy.hip", rendertracker.DummyConnection())
    assert name == "bob/dummy", "expected local 'bob/dummy' through a DummyConnection, got %r" % (name,)
    ok("DummyConnection -> local formula")
    refused = FakeTracker()  # bound, never listening
    os.environ["RENDERTRACKER_HOST"] = "127.0.0.1:%d" % refused.port
    name, elapsed = timed(rendertracker.applyProjectNameFormula, "bob", "/x/unreachable.hiplc")
    assert name == "bob/unreachable" and elapsed < 3.0, \
        "expected local 'bob/unreachable' quickly with RENDERTRACKER_HOST unreachable, got %r after %.2fs" % (name, elapsed)
    ok("RENDERTRACKER_HOST unreachable -> local formula (%.3fs)" % elapsed)
    del os.environ["RENDERTRACKER_HOST"]
    refused.stop()
    os.environ["HQUEUE_SERVER"] = "http://127.0.0.1:5000/"
    os.environ["RENDERTRACKER_PORT"] = str(fake.port)
    name = rendertracker.applyProjectNameFormula("bob", "/x/env.hip")
    assert name == "fake:bob:/x/env.hip", \
        "expected the tracker at HQUEUE_SERVER's host and RENDERTRACKER_PORT to answer, got %r" % (name,)
    ok("HQUEUE_SERVER host + RENDERTRACKER_PORT -> the tracker's formula")
    del os.environ["HQUEUE_SERVER"]
    del os.environ["RENDERTRACKER_PORT"]
    fake.stop()

    # -- IFD route through the module's connection
    base = "rt-hqueue-client-test/py%d-pid%d-%d" % (sys.version_info[0], os.getpid(), int(time.time() * 1000) % 100000)
    project = connection.suggestInactiveProjectName(base)
    assert project == base, "expected suggestInactiveProjectName(%r) to return it unchanged, got %r" % (base, project)
    ok("suggestInactiveProjectName -> %r" % project)
    try:
        job = "job-%d" % os.getpid()
        connection.startedRenderProject(project, [3, 1, 2], True, job)
        info = connection.getAllFramesInfo(project)
        expected = [[1, 0, 0.0], [2, 0, 0.0], [3, 0, 0.0]]
        assert info == expected, "expected %r after startedRenderProject([3, 1, 2]), got %r" % (expected, info)
        ok("startedRenderProject with unsorted frames -> all Waiting, sorted")
        suggestion = connection.suggestInactiveProjectName(base)
        assert suggestion == base + " (2)", "expected %r for a running project's name, got %r" % (base + " (2)", suggestion)
        ok("suggestInactiveProjectName for the running project -> %r" % suggestion)
        connection.startedFrameRender(project, 1, job + "-render", "/render/shot.0001.exr")
        info = connection.getAllFramesInfo(project)
        expected = [[1, 3, 0.0], [2, 0, 0.0], [3, 0, 0.0]]
        assert info == expected, "expected %r after startedFrameRender(1), got %r" % (expected, info)
        ok("startedFrameRender -> frame 1 Rendering")
        connection.setFrameRenderFraction(project, 1, 0.5)
        info = connection.getAllFramesInfo(project)
        expected = [[1, 3, 0.5], [2, 0, 0.0], [3, 0, 0.0]]
        assert info == expected, "expected %r after setFrameRenderFraction(1, 0.5), got %r" % (expected, info)
        ok("setFrameRenderFraction 0.5 -> frame 1 Rendering at 0.5")
        connection.setFrameRenderFraction(project, 1, 1.0)
        info = connection.getAllFramesInfo(project)
        expected = [[1, 5, 1.0], [2, 0, 0.0], [3, 0, 0.0]]
        assert info == expected, "expected %r after setFrameRenderFraction(1, 1.0), got %r" % (expected, info)
        ok("setFrameRenderFraction 1.0 -> frame 1 Done; getAllFramesInfo %r" % (info,))
    finally:
        try:
            connection.removeProject(project)
        except Exception:
            pass

    # -- DummyConnection and getConnectionOrDummy
    dummy = rendertracker.DummyConnection()
    running = dummy.isRunning()
    assert running is False, "expected DummyConnection.isRunning() False, got %r" % (running,)
    calls = [
        ("suggestInactiveProjectName", dummy.suggestInactiveProjectName("bob/shot")),
        ("startedRenderProject", dummy.startedRenderProject("bob/shot", [1, 2], True, "1")),
        ("startedFrameRender", dummy.startedFrameRender("bob/shot", 1, "1", "/tmp/x.exr")),
        ("setFrameRenderFraction", dummy.setFrameRenderFraction("bob/shot", 1, 0.5)),
        ("setFrameError", dummy.setFrameError("bob/shot", 1, "boom")),
        ("getImagePath", dummy.getImagePath("bob/shot", 1)),
        ("getAllFramesInfo", dummy.getAllFramesInfo("bob/shot")),
        ("system.listMethods", dummy.system.listMethods()),
    ]
    for method, result in calls:
        assert result is None, "expected DummyConnection.%s(...) to return None, got %r" % (method, result)
    ok("DummyConnection: isRunning() False, %d other methods return None" % len(calls))
    nowhere = FakeTracker()  # bound, never listening
    stand_in = rendertracker.getConnectionOrDummy("127.0.0.1", nowhere.port)
    assert isinstance(stand_in, rendertracker.DummyConnection), \
        "expected a DummyConnection for a port with no tracker, got %r" % (stand_in,)
    nowhere.stop()
    real = rendertracker.getConnectionOrDummy(host, port)
    assert real is connection, "expected getConnectionOrDummy to return the cached live connection, got %r" % (real,)
    ok("getConnectionOrDummy -> DummyConnection without tracker, the connection with one")

    # -- non-ASCII user names and hip paths: the local formula and the daemon agree
    expected = u"b\u00f8b/sh\u00f8t_v1"
    hip = u"/proj/\u00e9p/sh\u00f8t_v1.hip"
    paths = [hip, hip.encode("utf-8")] if bytes is str else [hip]  # Python 2 passes byte strings too
    for path in paths:
        local = rendertracker.localProjectNameFormula(u"b\u00f8b", path)
        assert local == expected, "expected %r from the local formula for %r, got %r" % (expected, path, local)
        remote = rendertracker.applyProjectNameFormula(u"b\u00f8b", path, connection)
        assert remote == expected, "expected %r from the tracker for %r, got %r" % (expected, path, remote)
    ok("a unicode user name with non-ASCII hip paths (%s) -> %r locally and from the tracker"
       % (", ".join(type(path).__name__ for path in paths), expected))

    sys.stdout.write("all checks passed (Python %s)\n" % sys.version.split()[0])


def admin_token(url, token):
    """The daemon has an admin token: removeProject needs RENDERTRACKER_TOKEN."""
    parsed = urlparse(url)
    os.environ["RENDERTRACKER_URL"] = url.rstrip("/") + "/RPC2"
    os.environ.pop("RENDERTRACKER_TOKEN", None)
    rendertracker.clearConnectionCache()
    connection = rendertracker.getConnection(parsed.hostname, parsed.port)
    assert connection is not None, "no connection to %s" % url
    connection.startedRenderProject("farm/token", [1], False, "1")
    try:
        connection.removeProject("farm/token")
        raise AssertionError("removeProject without the token succeeded")
    except Exception as error:  # xmlrpclib.Fault
        assert getattr(error, "faultCode", None) == -32001 and "admin-token" in error.faultString, \
            "expected fault -32001 naming admin-token, got %r" % (error,)
    ok("without RENDERTRACKER_TOKEN, removeProject is refused naming the rule")
    os.environ["RENDERTRACKER_TOKEN"] = token
    assert connection.removeProject("farm/token") is True, "removeProject with the token did not remove the project"
    ok("with RENDERTRACKER_TOKEN, every call sends it: removeProject -> True")
    sys.stdout.write("all checks passed (Python %s)\n" % sys.version.split()[0])


if __name__ == "__main__":
    if len(sys.argv) == 3:
        admin_token(sys.argv[1], sys.argv[2])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit("usage: %s http://127.0.0.1:PORT [ADMIN_TOKEN]" % sys.argv[0])
