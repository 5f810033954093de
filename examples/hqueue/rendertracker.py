"""Client side of the rendertracker daemon, as HQueue's farm scripts expect it.

HQueue's job scripts (hqlib.py, HQrender.py, the mantra tile callback
hq_mantracallback.py) do ``import rendertracker`` and then call
``rendertracker.getConnection(host)`` and
``rendertracker.applyProjectNameFormula(user, hip_path)``.  This single file
provides that module-level API and talks XML-RPC to the rendertracker daemon
(a render-status tracker compatible with SideFX HQueue's own tracker).  It runs
unchanged on Python 2.7 and Python 3.

Install
-------
Put this file on the PYTHONPATH of every HQueue client machine, in place of or
in front of the original ``rendertracker`` module, for example in the
``python*/lib/python*/site-packages`` folder of the Houdini build the jobs use
(``$HQROOT/houdini_distros/hfs.<platform>/...``), in a site-packages folder of
the system Python, or in a folder listed in the client's PYTHONPATH.  Nothing
else is needed: only the standard library is used.

Configuration (environment variables, read at every call)
---------------------------------------------------------
RENDERTRACKER_PORT     port of the daemon when the caller gives none (default 5002)
RENDERTRACKER_URL      full URL of the daemon, e.g. http://tracker:5002/RPC2;
                       when set it is used for every connection and the host
                       name and port the caller gives are ignored
RENDERTRACKER_HOST     host (or host:port) used when the caller gives no host
                       name, and by applyProjectNameFormula without connection
HQUEUE_SERVER          the HQueue server; its host name (not its port) is used
                       like RENDERTRACKER_HOST when that is not set
RENDERTRACKER_TOKEN    the tracker's admin token, sent as "Authorization: Bearer"
                       with every call (needed for removeProject when the
                       tracker has one); unset sends none
RENDERTRACKER_TIMEOUT  seconds to wait for the isRunning() probe (default 2)
RENDERTRACKER_CALL_TIMEOUT  seconds to wait for ordinary calls (default 30)
RENDERTRACKER_RETRY_SECONDS seconds during which a host that did not answer is
                       not probed again: getConnection returns None at once
                       (default 30)

Example
-------
    import rendertracker
    tracker = rendertracker.getConnection("hqserver")   # None if no tracker
    if tracker is not None:
        project = rendertracker.applyProjectNameFormula(
            "bob", "/home/bob/shot_v003.hipnc", tracker)  # "bob/shot_v003"
        project = tracker.suggestInactiveProjectName(project)
        tracker.startedRenderProject(project, [1, 2, 3], True, "1234")
        tracker.startedFrameRender(project, 1, "1235", "/render/shot.0001.exr")
        tracker.setFrameRenderFraction(project, 1, 1.0)

    # or, to never test for None:
    tracker = rendertracker.getConnectionOrDummy("hqserver")

A returned connection is an ``xmlrpc.client.ServerProxy`` (``xmlrpclib`` on
Python 2) with allow_none=True; any daemon method can be called on it.  It is
cached and shared, so use it from one thread at a time (or build your own
proxy per thread).  Connection errors and faults from calls on it propagate to
the caller, exactly as with the original module.
"""

import os
import socket
import sys
import threading
import time

try:
    import xmlrpc.client as xmlrpclib
except ImportError:  # Python 2
    import xmlrpclib

try:
    string_types = (basestring,)  # noqa: F821 (Python 2)
except NameError:
    string_types = (str,)

try:
    _text_type = unicode  # noqa: F821 (Python 2)
except NameError:
    _text_type = str


def _text(value):
    """value as text: bytes are decoded (the file system's encoding, else UTF-8; undecodable
    bytes replaced, never an exception)."""
    if isinstance(value, _text_type):
        return value
    encoding = sys.getfilesystemencoding() or "utf-8"
    try:
        return value.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return value.decode("utf-8", "replace")


try:
    _monotonic = time.monotonic
except AttributeError:  # Python 2
    _monotonic = time.time

__all__ = [
    "DEFAULT_PORT",
    "getConnection",
    "getConnectionOrDummy",
    "applyProjectNameFormula",
    "localProjectNameFormula",
    "DummyConnection",
    "clearConnectionCache",
]

DEFAULT_PORT = 5002
DEFAULT_PROBE_TIMEOUT = 2.0
DEFAULT_CALL_TIMEOUT = 30.0
DEFAULT_RETRY_SECONDS = 30.0

HIP_EXTENSIONS = (".hip", ".hipnc", ".hiplc")

_lock = threading.Lock()
_connections = {}  # url -> ServerProxy that answered isRunning() with True
_failures = {}  # url -> monotonic time of the last probe that got no tracker


# ---------------------------------------------------------------- settings

def _envFloat(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError:
        return default
    if number != number or number < 0:  # NaN or negative
        return default
    return number


def _probeTimeout():
    timeout = _envFloat("RENDERTRACKER_TIMEOUT", DEFAULT_PROBE_TIMEOUT)
    return timeout if timeout > 0 else DEFAULT_PROBE_TIMEOUT


def _callTimeout():
    timeout = _envFloat("RENDERTRACKER_CALL_TIMEOUT", DEFAULT_CALL_TIMEOUT)
    return timeout if timeout > 0 else DEFAULT_CALL_TIMEOUT


def _retrySeconds():
    return _envFloat("RENDERTRACKER_RETRY_SECONDS", DEFAULT_RETRY_SECONDS)


def _defaultPort():
    value = os.environ.get("RENDERTRACKER_PORT", "").strip()
    if value:
        try:
            port = int(value)
            if 0 < port < 65536:
                return port
        except ValueError:
            pass
    return DEFAULT_PORT


def _hostOnly(value):
    """The host name of "host", "host:port" or "http://host:port/path"."""
    value = value.strip()
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0]
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def _defaultHost():
    host = os.environ.get("RENDERTRACKER_HOST", "").strip()
    if host:
        return host
    hqueue = os.environ.get("HQUEUE_SERVER", "").strip()
    if hqueue:
        return _hostOnly(hqueue)
    return None


def _trackerURL(machine_name, port):
    """The URL of the tracker for a host name (optionally "host:port" or a URL)."""
    override = os.environ.get("RENDERTRACKER_URL", "").strip()
    if override:
        return override
    host = (machine_name or "").strip() or _defaultHost() or "localhost"
    if "://" in host:
        return host
    embedded_port = None
    if host.startswith("["):  # [IPv6] or [IPv6]:port
        address, _, rest = host[1:].partition("]")
        host = address
        if rest.startswith(":") and rest[1:].isdigit():
            embedded_port = int(rest[1:])
    elif host.count(":") == 1:
        name, _, rest = host.partition(":")
        if rest.isdigit():
            host, embedded_port = name, int(rest)
    if port is None:
        port = embedded_port if embedded_port is not None else _defaultPort()
    if ":" in host:  # bare IPv6 address
        host = "[" + host + "]"
    return "http://%s:%d/RPC2" % (host, int(port))


# ---------------------------------------------------------------- transport

def _applyTimeout(connection, timeout):
    # HTTPConnection.connect() uses .timeout for the socket it opens; a
    # connection kept alive from an earlier call already has its socket.
    connection.timeout = timeout
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.settimeout(timeout)
        except (socket.error, AttributeError):
            pass
    return connection


class _TimeoutMixin(object):
    """Gives a transport's sockets a timeout of `timeout` seconds, and sends $RENDERTRACKER_TOKEN
    as a bearer token. The base class is named explicitly (`_base`) because Python 2's transports
    are old-style classes: no super(). The header is added in send_content, the one step both
    Python 2's and Python 3's transports take for every request before the headers end."""

    def __init__(self, timeout=DEFAULT_CALL_TIMEOUT):
        self._base.__init__(self)
        self.timeout = timeout

    def make_connection(self, host):
        return _applyTimeout(self._base.make_connection(self, host), self.timeout)

    def send_content(self, connection, request_body):
        token = os.environ.get("RENDERTRACKER_TOKEN", "").strip()
        if token:
            connection.putheader("Authorization", "Bearer " + token)
        return self._base.send_content(self, connection, request_body)


class TimeoutTransport(_TimeoutMixin, xmlrpclib.Transport):
    """An XML-RPC transport whose sockets time out after `timeout` seconds."""
    _base = xmlrpclib.Transport


class SafeTimeoutTransport(_TimeoutMixin, xmlrpclib.SafeTransport):
    """TimeoutTransport for https:// URLs."""
    _base = xmlrpclib.SafeTransport


def _proxy(url, timeout):
    if url.lower().startswith("https://"):
        transport = SafeTimeoutTransport(timeout)
    else:
        transport = TimeoutTransport(timeout)
    return xmlrpclib.ServerProxy(url, transport=transport, allow_none=True)


def _closeProxy(proxy):
    try:
        proxy("close")()
    except Exception:
        pass


def _probe(url):
    """True when a tracker at url answers isRunning() with True in time."""
    try:
        proxy = _proxy(url, _probeTimeout())
    except Exception:  # malformed URL and the like
        return False
    try:
        answer = proxy.isRunning()
    except Exception:  # refused, timed out, reset, not HTTP, not XML-RPC, fault
        return False
    finally:
        _closeProxy(proxy)
    return answer is True or (type(answer) is int and answer == 1)


# ---------------------------------------------------------------- public API

def getConnection(machine_name, port=None):
    """A connection to the tracker on machine_name, or None if none answers.

    machine_name is a host name (HQueue passes its server's); "host:port" and
    full URLs are accepted too.  port defaults to $RENDERTRACKER_PORT or
    DEFAULT_PORT.  The tracker is probed with isRunning() within
    $RENDERTRACKER_TIMEOUT seconds (2); the connection returned uses
    $RENDERTRACKER_CALL_TIMEOUT (30) for its calls.  Connections are cached per
    URL; a host with no tracker is remembered for $RENDERTRACKER_RETRY_SECONDS
    (30) during which None is returned without probing.  Never raises for an
    absent, silent or foreign server.
    """
    url = _trackerURL(machine_name, port)
    with _lock:
        connection = _connections.get(url)
        if connection is not None:
            return connection
        failed_at = _failures.get(url)
        if failed_at is not None and _monotonic() - failed_at < _retrySeconds():
            return None
    if not _probe(url):
        with _lock:
            _failures[url] = _monotonic()
        return None
    connection = _proxy(url, _callTimeout())
    with _lock:
        _failures.pop(url, None)
        # Another thread may have probed at the same time: keep one object.
        return _connections.setdefault(url, connection)


def getConnectionOrDummy(machine_name, port=None):
    """getConnection(), or a DummyConnection when no tracker answers."""
    connection = getConnection(machine_name, port)
    if connection is None:
        return DummyConnection()
    return connection


def clearConnectionCache():
    """Forget cached connections and hosts that did not answer."""
    with _lock:
        connections = list(_connections.values())
        _connections.clear()
        _failures.clear()
    for connection in connections:
        _closeProxy(connection)


def localProjectNameFormula(user, local_hip_path):
    """The built-in formula, computed here: <user>/<hip file name>.

    The directory (separated by / or \\) and one .hip, .hipnc or .hiplc
    extension (any case) are removed, and every " becomes '.
    """
    user = "" if user is None else user
    path = "" if local_hip_path is None else local_hip_path
    if not isinstance(user, string_types):
        user = str(user)
    if not isinstance(path, string_types):
        path = str(path)
    # Python 2: a unicode user name and a byte-string path (HQueue passes both kinds) cannot be
    # joined when either holds non-ASCII bytes (UnicodeDecodeError); the tracker answers unicode,
    # so the fallback does too, decoding the bytes as the file system names them.
    if isinstance(user, _text_type) != isinstance(path, _text_type):
        user, path = _text(user), _text(path)
    name = path.replace("\\", "/").split("/")[-1]
    lowered = name.lower()
    for extension in HIP_EXTENSIONS:
        if lowered.endswith(extension) and len(name) > len(extension):
            name = name[:-len(extension)]
            break
    return (user + "/" + name).replace('"', "'")


def applyProjectNameFormula(user, local_hip_path, connection=None):
    """The project name for a hip file rendered by user, e.g. "bob/shot_v003".

    Asks the tracker (which may run a studio's own formula) through
    connection, or, when none is given, through a connection to
    $RENDERTRACKER_URL / $RENDERTRACKER_HOST / $HQUEUE_SERVER if one of them is
    set.  When no tracker answers or the call faults, the built-in formula is
    computed locally (localProjectNameFormula).  The name is not guaranteed to
    be unique: pass it to suggestInactiveProjectName on the tracker.
    """
    if connection is None and (os.environ.get("RENDERTRACKER_URL", "").strip()
                               or _defaultHost()):
        connection = getConnection(None)
    if connection is not None:
        try:
            name = connection.applyProjectNameFormula(user, local_hip_path)
        except Exception:
            name = None
        if isinstance(name, string_types):
            return name
    return localProjectNameFormula(user, local_hip_path)


class _DummyMethod(object):
    """A callable that does nothing, also for dotted names (system.listMethods)."""

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        return None

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _DummyMethod(self._name + "." + name)

    def __repr__(self):
        return "<DummyConnection method %s>" % self._name


class DummyConnection(object):
    """A stand-in for a connection when no tracker runs: every call does nothing.

    Every method returns None, except isRunning() which returns False.
    """

    def isRunning(self):
        return False

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _DummyMethod(name)

    def __repr__(self):
        return "<rendertracker.DummyConnection>"
