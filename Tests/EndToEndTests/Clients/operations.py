"""What an operator relies on, from the outside: the build the daemon names, who may write, and
the requests it refuses. Usage: operations.py URL SCENARIO [ARG...]"""
import json
import re
import sys
import urllib.error
import urllib.request
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
ARGS = sys.argv[3:]


def http(method, path, body=None, headers=None):
    """(status, headers, text) of one request; an HTTP error status is an answer, not an exception."""
    request = urllib.request.Request(URL + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def build():
    """ARGS: the version and commit `rendertracker --version` printed."""
    version, commit = ARGS
    status, headers, text = http("GET", "/healthz")
    check(status == 200 and text == "ok\n", "/healthz still answers ok", (status, text))
    check(headers.get("Server") == "rendertracker/" + version, "/healthz names the build in Server", headers.get("Server"))
    status, _, text = http("GET", "/metrics")
    line = "rendertracker_build_info{version=\"%s\",commit=\"%s\"} 1" % (version, commit)
    labels = re.search(r"^rendertracker_build_info\{(.*)\} 1(\.0)?$", text, re.MULTILINE)
    check(labels is not None and set(labels.group(1).split(",")) == {'version="%s"' % version, 'commit="%s"' % commit},
          "/metrics has " + line, labels and labels.group(0))


def body_limit():
    """ARGS: the daemon's max-body-bytes. A body of that size is answered, one byte more is 413."""
    limit = int(ARGS[0])
    def post(size):
        call = '{"jsonrpc":"2.0","id":1,"method":"isProjectDone","params":["%s"]}'
        padding = "x" * (size - len(call % ""))
        return http("POST", "/rpc", (call % padding).encode(), {"Content-Type": "application/json"})[0]
    check(post(limit) == 200, "a body of max-body-bytes is answered", post(limit))
    check(post(limit + 1) == 413, "a body one byte larger is refused with 413", post(limit + 1))


def proxy(headers=None):
    """xmlrpc.client as HQueue's scripts use it, with extra HTTP headers (Python 3.8+)."""
    return xmlrpc.client.ServerProxy(URL + "/RPC2", headers=list((headers or {}).items()))


def fault_of(call):
    try:
        call()
    except xmlrpc.client.Fault as fault:
        return fault
    return None


def json_rpc(method, params, headers=None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    status, _, text = http("POST", "/rpc", body, dict({"Content-Type": "application/json"}, **(headers or {})))
    return status, json.loads(text) if status == 200 else text


def writes_refused():
    """The daemon runs with --allow-writes naming a network this client is not on."""
    tracker = proxy()
    fault = fault_of(lambda: tracker.startedRenderProject("farm/shot", [1, 2], False, "7"))
    check(fault is not None and fault.faultCode == -32001 and "allow-writes" in fault.faultString,
          "an XML-RPC write from outside allow-writes is a fault naming the rule", fault and (fault.faultCode, fault.faultString))
    status, answer = json_rpc("setFrameRenderFraction", ["farm/shot", 1, 0.5])
    check(status == 200 and answer.get("error", {}).get("code") == -32001 and "allow-writes" in answer["error"]["message"],
          "a JSON-RPC write is an error naming the rule", answer)
    results = tracker.system.multicall([{"methodName": "isRunning", "params": []},
                                        {"methodName": "removeProject", "params": ["farm/shot"]}])
    check(results[0] == [True] and results[1]["faultCode"] == -32001, "inside system.multicall too, while the read in it is answered", results)
    check(tracker.isRunning() is True and tracker.getAllProjects() == [], "reads are answered", None)
    status, _, _ = http("GET", "/metrics")
    check(status == 200, "/metrics is open", status)


def writes_allowed():
    tracker = proxy()
    check(tracker.startedRenderProject("farm/shot", [1, 2], False, "7") is True, "a write from inside allow-writes is answered", None)


def admin_token():
    """The daemon runs with the admin token ARGS[0]."""
    token = ARGS[0]
    tracker = proxy()
    check(tracker.startedRenderProject("farm/shot", [1], False, "7") is True, "ordinary writes need no token", None)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer " + token + "x"}):
        fault = fault_of(lambda: proxy(headers).removeProject("farm/shot"))
        check(fault is not None and fault.faultCode == -32001 and "admin-token" in fault.faultString,
              "removeProject without the right token is refused naming the rule (%s)" % (headers or "no header"), fault)
    check(tracker.getAllProjects() == ["farm/shot"], "the project is still there", tracker.getAllProjects())
    check(proxy({"Authorization": "Bearer " + token}).removeProject("farm/shot") is True, "with the token, removeProject removes it", None)
    check(tracker.getAllProjects() == [], "gone", tracker.getAllProjects())


def rebinding():
    """A page whose DNS name was rebound to the tracker: Host and Origin both name it."""
    port = URL.rsplit(":", 1)[1]
    evil = "rebind.evil.example:" + port
    body = b'{"jsonrpc":"2.0","id":1,"method":"startedRenderProject","params":["evil/shot",[1],false,"1"]}'
    status, _, text = http("POST", "/rpc", body, {"Content-Type": "text/plain", "Host": evil, "Origin": "http://" + evil})
    check(status == 403 and "host-names" in text and "rebind.evil.example" in text, "refused with 403 naming the rule", (status, text))
    status, _, text = http("GET", "/", None, {"Host": evil, "Sec-Fetch-Site": "none", "Accept": "text/html"})
    check(status == 403, "the monitor page too, to a browser", status)
    check(proxy().getAllProjects() == [], "no project was created", None)
    own = "127.0.0.1:" + port
    status, _, text = http("POST", "/rpc", body.replace(b"evil/shot", b"own/shot"),
                           {"Content-Type": "text/plain", "Host": own, "Origin": "http://" + own})
    check(status == 200 and '"result":true' in text, "the page the tracker serves itself still writes", (status, text))
    status, _, _ = http("POST", "/rpc", body.replace(b"evil/shot", b"script/shot"), {"Content-Type": "application/json", "Host": evil})
    check(status == 200, "a script (no Origin, no Sec-Fetch-Site) may use any name for the tracker", status)


def forwarded():
    """ARGS: 'trusted' or 'untrusted'; the daemon allows writes from 10.1.0.0/16 only and, when
    trusted, believes 127.0.0.1's X-Forwarded-For."""
    trusted = ARGS[0] == "trusted"
    fault = fault_of(lambda: proxy({"X-Forwarded-For": "203.0.113.9, 10.1.2.3"}).startedRenderProject("farm/shot", [1], False, "7"))
    if trusted:
        check(fault is None, "a trusted proxy's X-Forwarded-For (10.1.2.3, on an allowed network) is believed", fault)
        fault = fault_of(lambda: proxy({"X-Forwarded-For": "10.1.2.3, 203.0.113.9"}).startedRenderProject("farm/x", [1], False, "7"))
        check(fault is not None and fault.faultCode == -32001, "the client is the right-most address the proxy received from", fault)
    else:
        check(fault is not None and fault.faultCode == -32001, "an untrusted peer's X-Forwarded-For is not believed", fault)


def read_token():
    """The daemon runs with the read token ARGS[0]."""
    import base64
    token = ARGS[0]
    status, headers, _ = http("GET", "/metrics")
    check(status == 401 and headers.get("WWW-Authenticate", "").startswith("Basic"), "/metrics without the token: 401, basic", status)
    status, _, _ = http("GET", "/metrics", None, {"Authorization": "Bearer " + token})
    check(status == 200, "/metrics with the bearer token", status)
    basic = base64.b64encode(("anyone:" + token).encode()).decode()
    status, _, text = http("GET", "/", None, {"Authorization": "Basic " + basic, "Accept": "text/html"})
    check(status == 200 and "<html" in text.lower(), "the monitor page with basic authentication", status)
    status, _, _ = http("GET", "/events", None, {"Authorization": "Basic " + base64.b64encode(b"anyone:wrong").decode()})
    check(status == 401, "/events with a wrong password: 401", status)
    status, _, text = http("GET", "/healthz")
    check(status == 200 and text == "ok\n", "/healthz stays open", status)
    check(proxy().isRunning() is True, "RPC reads stay open", None)


def tls():
    """The daemon serves HTTPS with the self-signed certificate ARGS[0] (for 127.0.0.1)."""
    import ssl
    certificate = ARGS[0]
    context = ssl.create_default_context(cafile=certificate)
    tracker = xmlrpc.client.ServerProxy(URL + "/RPC2", context=context)
    check(tracker.startedRenderProject("tls/shot", [1, 2], False, "7") is True, "xmlrpc.client writes over HTTPS, the certificate verified", None)
    check(tracker.getAllProjects() == ["tls/shot"], "and reads", None)
    answer = urllib.request.urlopen(URL + "/healthz", context=context, timeout=10)
    check(answer.status == 200 and answer.headers.get("Server", "").startswith("rendertracker/"), "/healthz over HTTPS", answer.status)
    try:
        xmlrpc.client.ServerProxy(URL + "/RPC2").isRunning()  # the system's CAs: this certificate is not among them
        check(False, "a client that does not trust the certificate is refused", "it was answered")
    except ssl.SSLError as error:
        check("CERTIFICATE_VERIFY_FAILED" in str(error), "a client that does not trust the certificate fails verification", str(error))
    try:
        urllib.request.urlopen(URL.replace("https://", "http://") + "/healthz", timeout=5).read()
        check(False, "plain HTTP to the HTTPS port gets no answer", "it was answered")
    except Exception as error:
        check(True, "plain HTTP to the HTTPS port gets no answer (%s)" % type(error).__name__, None)


def log_traffic():
    """Calls whose log lines the test reads: a re-render, a project error with a newline, a removal,
    a cross-site refusal."""
    tracker = proxy()
    tracker.startedRenderProject("logs/shot", [1, 2], False, "7")
    tracker.startedRenderProject("logs/shot", [1, 2, 3], False, "8")  # replaces the render
    tracker.setProjectError("logs/shot", "mantra died\nsecond line " + "x" * 1000)
    tracker.removeProject("logs/shot")
    status, _, _ = http("POST", "/rpc", b'{"jsonrpc":"2.0","id":1,"method":"isRunning","params":[]}',
                        {"Content-Type": "text/plain", "Origin": "http://evil.example"})
    check(status == 403, "the cross-site request is refused", status)


run({"build": build, "tls": tls, "log_traffic": log_traffic, "body_limit": body_limit, "writes_refused": writes_refused, "writes_allowed": writes_allowed,
     "admin_token": admin_token, "rebinding": rebinding, "forwarded": forwarded, "read_token": read_token})
