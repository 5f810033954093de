"""What an operator relies on, from the outside: the build the daemon names, who may write, and
the requests it refuses. Usage: operations.py URL SCENARIO [ARG...]"""
import json
import re
import sys
import urllib.error
import urllib.request

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


run({"build": build, "body_limit": body_limit})
