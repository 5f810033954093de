"""Bad requests of every kind, sent raw with http.client; after each, the server must still answer.
Usage: hostile_requests.py URL SCENARIO   (exits non-zero with a message on the first failed check)"""
import gzip
import http.client
import json
import socket
import sys
import urllib.parse
import xmlrpc.client

from scenario import check, run

URL = sys.argv[1]
HOST = urllib.parse.urlparse(URL).hostname
PORT = urllib.parse.urlparse(URL).port


def post(body, content_type="text/xml", headers=None, path="/RPC2"):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
    all_headers = {"Content-Type": content_type}
    all_headers.update(headers or {})
    connection.request("POST", path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def fault_of(data):
    try:
        xmlrpc.client.loads(data)
    except xmlrpc.client.Fault as fault:
        return fault.faultCode, fault.faultString
    return None, data[:200]


def still_serving():
    answer = xmlrpc.client.ServerProxy(URL + "/RPC2").isRunning()
    check(answer is True, "the server still answers", answer)


def expect_fault(body, code, words, what):
    status, _, data = post(body)
    got = fault_of(data)
    check(status == 200 and got[0] == code and words in str(got[1]), what, (status, got))
    still_serving()


def malformed_xml():
    expect_fault(b"<methodCall><methodName>isRunning</methodName><params>", -32700, "XML parse error",
                 "an unclosed document is a parse error")
    expect_fault(b"this is not xml", -32700, "XML parse error", "garbage is a parse error")
    expect_fault(b"", -32700, "XML parse error", "an empty body is a parse error")
    expect_fault(b"<methodCall><methodName>\xff\xfe</methodName></methodCall>", -32700, "XML parse error",
                 "bytes that are not UTF-8 are a parse error")
    expect_fault(b"<?xml version='1.0'?><foo/>", -32600, "invalid XML-RPC request", "a wrong root element is an invalid request")
    expect_fault(b"<methodCall><methodName>isRunning</methodName><params><param><value><int>abc</int></value></param>"
                 b"</params></methodCall>", -32600, "abc", "a non-numeric int is an invalid request naming the text")


def doctype_bomb():
    lol = b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>" + b"".join(
        b"<!ENTITY lol%d '%s'>" % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    ) + b"]><methodCall><methodName>&lol9;</methodName></methodCall>"
    expect_fault(lol, -32700, "DOCTYPE", "billion laughs is refused at its DOCTYPE")
    expect_fault(b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                 b"<methodCall><methodName>&e;</methodName></methodCall>", -32700, "DOCTYPE",
                 "an external entity is refused")


def deep_nesting():
    depth = 100000
    body = (b"<methodCall><methodName>isRunning</methodName><params><param>" + b"<value><array><data>" * depth
            + b"</data></array></value>" * depth + b"</param></params></methodCall>")
    expect_fault(body, -32700, "deep", "100,000 nested arrays stop at the depth limit")
    json_body = b"[" * depth + b"]" * depth
    status, _, data = post(json_body, content_type="application/json", path="/rpc")
    answer = json.loads(data)
    check(status == 200 and answer["error"]["code"] == -32700 and "nesting" in answer["error"]["message"],
          "deep JSON stops at the depth limit too", (status, data[:200]))
    still_serving()


def oversized_body():
    big = b"<methodCall><methodName>isRunning</methodName><params><param><value><string>" + b"x" * (33 * 1024 * 1024)
    status, _, data = post(big + b"</string></value></param></params></methodCall>")
    check(status == 413 and b"limit" in data, "a 33 MiB body is refused with 413", (status, data[:200]))
    still_serving()

    def chunks():
        yield b"<methodCall><methodName>isRunning</methodName><params><param><value><string>"
        for _ in range(34):
            yield b"x" * (1024 * 1024)
    try:
        status, _, data = post(chunks())  # an iterable body without a length goes chunked
        check(status == 413, "a chunked body without a length is cut off at the limit too", (status, data[:200]))
    except (BrokenPipeError, ConnectionResetError) as error:
        # The server answered 413 and closed while the client was still sending, as it should.
        check(True, "a chunked body without a length is cut off at the limit too (connection closed)", error)
    still_serving()


def gzip_bomb():
    bomb = gzip.compress(b"<methodCall><methodName>isRunning</methodName><params><param><value><string>"
                         + b"\0" * (200 * 1024 * 1024), compresslevel=9)
    check(len(bomb) < 1024 * 1024, "the bomb is small when compressed", len(bomb))
    status, _, data = post(bomb, headers={"Content-Encoding": "gzip"})
    check(status == 413 and b"inflates" in data, "a gzip bomb is refused with 413", (status, data[:200]))
    status, _, data = post(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    check(status == 400 and b"inflated" in data, "a corrupt gzip body is a 400", (status, data[:200]))
    status, _, data = post(b"<x/>", headers={"Content-Encoding": "br"})
    check(status == 415 and b"br" in data, "an unknown Content-Encoding is a 415 naming it", (status, data[:200]))
    still_serving()


def text_plain_and_paths():
    body = xmlrpc.client.dumps((), "isRunning").encode()
    for path in ("/", "/RPC2", "/rpc"):
        for content_type in ("text/xml", "text/plain"):
            status, headers, data = post(body, content_type=content_type, path=path)
            check(status == 200 and xmlrpc.client.loads(data)[0] == (True,),
                  "XML-RPC on %s as %s" % (path, content_type), (status, data[:200]))
    status, _, _ = post(body, path="/elsewhere")
    check(status == 404, "other paths are 404", status)


def json_rpc():
    def call(payload, content_type="application/json"):
        status, headers, data = post(json.dumps(payload).encode(), content_type=content_type, path="/rpc")
        return status, (json.loads(data) if data else None)

    status, answer = call({"jsonrpc": "2.0", "method": "startedRenderProject", "params": ["web/shot", [1, 2], False, "7"], "id": 1})
    check(status == 200 and answer == {"jsonrpc": "2.0", "result": True, "id": 1}, "a JSON-RPC 2.0 call", answer)
    status, answer = call({"jsonrpc": "2.0", "method": "setFrameRenderFraction",
                           "params": {"project": "web/shot", "frame": 2, "fraction": 0.5}, "id": "a"})
    check(answer == {"jsonrpc": "2.0", "result": True, "id": "a"}, "named parameters", answer)
    status, answer = call([
        {"jsonrpc": "2.0", "method": "getAllFramesInfo", "params": ["web/shot"], "id": 1},
        {"jsonrpc": "2.0", "method": "setFrameRenderFraction", "params": ["web/shot", 1, 0.25]},
        {"jsonrpc": "2.0", "method": "nope", "id": 3},
        {"jsonrpc": "2.0", "method": "getChangedFrames", "params": ["web/shot", 0], "id": 4},
    ])
    check(len(answer) == 3, "a batch answers all but the notification", answer)
    check(answer[0]["result"] == [[1, 0, 0.0], [2, 3, 0.5]], "batch call 1", answer[0])
    check(answer[1]["error"]["code"] == -32601 and answer[1]["id"] == 3, "batch call 3: method not found", answer[1])
    check(answer[2]["result"]["reset"] is True and answer[2]["result"]["frames"][0] == [1, 3, 0.25],
          "the notification in the batch ran", answer[2])
    status, answer = call({"jsonrpc": "2.0", "method": "setFrameRenderFraction", "params": ["web/shot", 1, 0.3]})
    check(status == 204 and answer is None, "a lone notification gets 204 and no body", status)
    status, answer = call({"method": "isRunning", "params": [], "id": 9})
    check(answer == {"result": True, "error": None, "id": 9}, "the 1.0 shape (hjsonrpc) is answered in kind", answer)
    status, answer = call({"jsonrpc": "2.0", "method": "isRunning", "id": 5}, content_type="text/plain")
    check(answer["result"] is True, "a JSON body is recognised without the JSON content type", answer)
    status, _, data = post(b'{"jsonrpc": "2.0", "method": ', content_type="application/json", path="/rpc")
    answer = json.loads(data)
    check(answer["error"]["code"] == -32700 and answer["id"] is None, "broken JSON is a parse error", answer)
    for bad, words in [([], "empty batch"), ({"jsonrpc": "2.0", "id": 1}, "method"), (5, "object"),
                       ({"jsonrpc": "1.0", "method": "isRunning", "id": 1}, "2.0"),
                       ({"jsonrpc": "2.0", "method": "isRunning", "params": 3, "id": 1}, "params")]:
        status, answer = call(bad)
        check(answer["error"]["code"] == -32600 and words in answer["error"]["message"], "invalid request: %s" % words, answer)
    status, answer = call({"jsonrpc": "2.0", "method": "setFrameError", "params": {"project": "p", "frame": 1}, "id": 1})
    check(answer["error"]["code"] == -32602 and "message" in answer["error"]["message"], "a missing named parameter", answer)
    status, answer = call({"jsonrpc": "2.0", "method": "isProjectDone", "params": ["zz"], "id": 1})
    check(answer["error"] == {"code": 1, "message": 'no such project: "zz"'}, "fault 1 over JSON-RPC", answer)
    still_serving()


def slow_client_does_not_block_others():
    # One client opens a request and dribbles its body; another must be served meanwhile.
    slow = http.client.HTTPConnection(HOST, PORT, timeout=30)
    slow.putrequest("POST", "/RPC2")
    slow.putheader("Content-Type", "text/xml")
    slow.putheader("Content-Length", "1000000")
    slow.endheaders()
    slow.send(b"<methodCall>")
    for _ in range(20):
        still_serving()
    slow.close()
    still_serving()


def stalled_client_is_disconnected():
    # Run against a server whose idle timeout is 1 s: a client that stops mid-request is cut off.
    stalled = socket.create_connection((HOST, PORT), timeout=30)
    stalled.sendall(b"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<methodCall>")
    try:
        closed = stalled.recv(4096) == b""  # blocks until the server gives up on us (30 s at most)
    except ConnectionResetError:
        closed = True
    except socket.timeout:
        closed = False
    check(closed, "the server closed the stalled connection", closed)
    still_serving()


if __name__ == "__main__":
    run({name: f for name, f in list(globals().items())
         if callable(f) and getattr(f, "__module__", None) == "__main__" and name not in ['post', 'fault_of', 'still_serving', 'expect_fault']})
