"""The endpoint against a hostile client: runaway and deeply nested queries, oversized and malformed requests,
SERVICE and LOAD aimed at a socket of the test's own, path traversal, markup in the data, absurd Accept
headers, clients that hang up.

The tests speak to a real `nzkg serve` of this module's own (the corpus plus one graph of hostile data, with
conftest's limits: 2 workers, 3 s), so the workers they crash and the queues they fill are not felt by other
modules' tests. Malformed requests go through raw sockets, which send the bytes as written (requests would
encode them again). Every socket has a timeout and every loop a count. Tests never aim anywhere but 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from conftest import LIMITS, TIMEOUT, start_server, stop_server  # tests/web/conftest.py

ID = "https://w3id.org/nzkg/id/"
NZO = "https://w3id.org/nzkg/ontology#"
JSON_TYPE = "application/sparql-results+json"
KNOWN = f"ASK {{ <{ID}contribution/d05_sinai-engineers-2016-1> <{NZO}operation> <{ID}operation/mfo> }}"
# Markup wherever a page shows data: labels, evidence, a release title, an incoming link's label, a type and
# a graph name with "&" and "'", and an IRI with the javascript: scheme.
HOSTILE = f"""
<{ID}graph/hostile&'x> {{
  <{ID}operation/xss> a <{NZO}Operation>, <{ID}class/a&b'c> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert('label')</script>" ;
      <http://www.w3.org/2004/02/skos/core#altLabel> "\\"><img src=x onerror=alert('alt')>" ;
      <https://schema.org/url> <javascript:alert('iri')> .
  <{ID}contribution/xss-1> a <{NZO}Contribution> ;
      <{NZO}operation> <{ID}operation/xss> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert('incoming')</script>" ;
      <{NZO}evidence> "<script>alert('evidence')</script>" ;
      <{NZO}personnelCount> 5 ;
      <http://www.w3.org/ns/prov#wasDerivedFrom> <{ID}release/xss> .
  <{ID}release/xss> <http://purl.org/dc/terms/title> "<script>alert('title')</script>" ;
      <http://purl.org/dc/terms/issued> "2001-01-01" .
}}
"""


@pytest.fixture(scope="module")
def served(served_graph: Path, tmp_path_factory) -> Iterator[tuple[subprocess.Popen, str]]:
    graph = tmp_path_factory.mktemp("hostile") / "kg.trig"
    graph.write_text(served_graph.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    process, url = start_server(["--graph", str(graph), *LIMITS], graph.parent)
    yield process, url
    stop_server(process)


@pytest.fixture(scope="module")
def target(served: tuple[subprocess.Popen, str]) -> str:
    return served[1]


# ---- helpers ----------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def replied(response: requests.Response) -> Reply:
    return Reply(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)


def raw(target: str, method: str, path: str, headers: tuple[str, ...] = (), body: bytes = b"") -> Reply:
    """One request sent as written, and the whole answer (the connection is closed after it)."""
    host, port = target.removeprefix("http://").split(":")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        chunks = []
        for _ in range(10_000):
            chunk = connection.recv(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    headers = dict(field.split(":", 1) for field in fields)
    return Reply(int(status_line.split()[1]), {k.strip().lower(): v.strip() for k, v in headers.items()}, content)


def assert_plain(reply: Reply, status: int, *fragments: str) -> None:
    """An error is its status and one short line of text/plain saying what went wrong."""
    assert reply.status == status, reply.text[:300]
    assert reply.headers["content-type"].startswith("text/plain")
    text = reply.text.strip()
    assert text and "\n" not in text and len(text) <= 300, text
    for fragment in fragments:
        assert fragment.lower() in text.lower(), text


def send(target: str, how: str, query: str) -> requests.Response:
    url, headers = target + "/sparql", {"Accept": JSON_TYPE}
    if how == "get":
        return requests.get(url, params={"query": query}, headers=headers, timeout=30)
    if how == "post-form":
        return requests.post(url, data={"query": query}, headers=headers, timeout=30)
    headers["Content-Type"] = "application/sparql-query"
    return requests.post(url, data=query.encode(), headers=headers, timeout=30)


TRANSPORTS = ["get", "post-form", "post-sparql-query"]


def timed_known(target: str) -> tuple[int, bool, float, float]:
    """A small query: its status, answer, how long it took and when it ended."""
    started = time.monotonic()
    response = send(target, "get", KNOWN)
    ended = time.monotonic()
    return response.status_code, response.status_code == 200 and response.json()["boolean"], ended - started, ended


def settle(target: str) -> None:
    """Wait until both workers answer at once: a worker replaced by an earlier test takes a second or two to
    start, and timing assertions are about the server, not about that."""
    with ThreadPoolExecutor(2) as pool:
        for _ in range(30):
            answers = list(pool.map(lambda _: timed_known(target), range(2)))
            if all(ok and elapsed < 0.5 for _, ok, elapsed, _ in answers):
                return
    pytest.fail("the workers did not settle within 30 rounds")


@contextmanager
def listening() -> Iterator[tuple[socket.socket, int]]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener, listener.getsockname()[1]


def contacted(listener: socket.socket) -> bool:
    """Whether anything connected. A connection waits in the backlog until accepted, so one the server made
    before answering is found at once."""
    listener.settimeout(0.1)
    try:
        connection, _ = listener.accept()
    except TimeoutError:
        return False
    connection.close()
    return True


# ---- runaway queries --------------------------------------------------------------------------------------

# test_protocol.py stops a cross product; these are property paths that run for minutes on the corpus.
RUNAWAY_PATHS = {
    "negated-closure": ("get", "SELECT (COUNT(*) AS ?n) WHERE { ?s ((!<urn:x:p>)*/^(!<urn:x:p>)*)* ?o }"),
    "alternative-closure": ("post-sparql-query", "SELECT (COUNT(*) AS ?n) WHERE "
                                                 "{ ?s ((<urn:x:p>|!<urn:x:p>)*/^(<urn:x:p>|!<urn:x:p>)*)* ?o }"),
}


@pytest.mark.parametrize(("how", "query"), RUNAWAY_PATHS.values(), ids=RUNAWAY_PATHS.keys())
def test_runaway_path_is_stopped_while_small_queries_are_answered(target, how, query):
    settle(target)
    with ThreadPoolExecutor(5) as pool:
        started = time.monotonic()
        runaway = pool.submit(lambda: (send(target, how, query), time.monotonic()))
        time.sleep(0.5)  # the runaway now holds one of the two workers
        small = []
        for _ in range(3):  # four at once, three times
            small += [f.result() for f in [pool.submit(timed_known, target) for _ in range(4)]]
            time.sleep(0.3)
        response, ended = runaway.result()
    assert_plain(replied(response), 503, f"longer than {TIMEOUT:g} s")
    assert TIMEOUT - 0.5 < ended - started < 15
    assert [(status, ok) for status, ok, _, _ in small] == [(200, True)] * 12
    assert max(elapsed for _, _, elapsed, _ in small) < 1
    assert max(finished for *_, finished in small) < ended  # all answered while the runaway ran
    settle(target)  # the stopped worker was replaced: both answer again


# ---- size -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", TRANSPORTS)
def test_a_query_over_1_mb_is_413(target, how):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n#" + "x" * (1 << 20)
    assert_plain(replied(send(target, how, query)), 413, "larger than 1000000 bytes")


@pytest.mark.parametrize("how", TRANSPORTS)
def test_a_valid_query_just_under_1_mb_is_answered(target, how):
    """One number of 999,000 digits: a run that long once kept the SERVICE check busy for hours."""
    digits = 999_000
    started = time.monotonic()
    response = send(target, how, f"SELECT (STRLEN(STR({'1' * digits})) AS ?n) {{}}")
    assert response.status_code == 200, response.text[:300]
    assert response.json()["results"]["bindings"][0]["n"]["value"] == str(digits)
    assert time.monotonic() - started < 5


def test_an_announced_100_mb_body_is_refused_unread(target):
    """Without reading 100 MB first: the body is never sent, and the answer comes anyway."""
    reply = raw(target, "POST", "/sparql", ("Content-Type: application/sparql-query", "Content-Length: 100000000"))
    assert reply.status == 413


# ---- nesting ----------------------------------------------------------------------------------------------

NESTED = {
    "braces": "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
    "optionals": "SELECT * WHERE { " + "OPTIONAL { " * 5_000 + "?s ?p ?o " + "}" * 5_000 + " }",
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "subqueries": "SELECT * WHERE { " + "{ SELECT * WHERE " * 3_000 + "{}" + " }" * 3_001,
}
# Flat, so within the nesting limit; each overflows a default (8 MB) stack in Oxigraph 0.5's parser or evaluator.
CHAINS = {
    "minus-chain": "SELECT * WHERE { BIND(" + "-".join(["1"] * 50_000) + " AS ?x) }",
    "union-chain": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20_000) + " }",
}


@pytest.mark.parametrize("query", NESTED.values(), ids=NESTED.keys())
def test_deep_nesting_is_400_before_it_reaches_a_worker(target, query):
    assert_plain(replied(send(target, "post-form", query)), 400, "more than 100 levels deep")


@pytest.mark.parametrize("query", CHAINS.values(), ids=CHAINS.keys())
def test_a_chain_that_overflows_a_default_stack_is_answered_or_stopped_and_the_server_goes_on(target, query):
    """Queries run on threads with stacks large enough for any chain a 1 MB query can hold, so these are
    answered, or stopped at the time limit like any long query; never a crashed process."""
    reply = replied(send(target, "post-form", query))
    if reply.status != 200:
        assert_plain(reply, 503, f"longer than {TIMEOUT:g} s")
    for _ in range(3):  # round both processes, a replaced one too
        status, ok, _, _ = timed_known(target)
        assert (status, ok) == (200, True)


def children(pid: int) -> list[int]:
    return [int(child) for tasks in Path(f"/proc/{pid}/task").glob("*/children") for child in tasks.read_text().split()]


def alive(pid: int) -> bool:
    """Running, and not a zombie its parent has yet to reap."""
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def server_processes(supervisor: int, expected: int = 2, gone: int | None = None) -> list[int]:
    """The live processes the supervisor forked, once there are as many as it keeps (a replaced one may still be
    draining, or its replacement starting) and `gone` is not among them."""
    for _ in range(100):
        found = [pid for pid in children(supervisor) if alive(pid)]
        if len(found) == expected and gone not in found:
            return found
        time.sleep(0.1)
    return found


def test_a_server_process_killed_is_replaced_and_the_other_answers_meanwhile(served):
    """As when the kernel's out-of-memory killer picks one: the other process answers, and the supervisor forks
    a replacement."""
    process, target = served
    settle(target)
    first, second = server_processes(process.pid)
    os.kill(first, signal.SIGKILL)
    for _ in range(4):
        status, ok, _, _ = timed_known(target)
        assert (status, ok) == (200, True)
    replaced = server_processes(process.pid, gone=first)
    assert len(replaced) == 2 and first not in replaced and second in replaced
    settle(target)


def test_server_processes_end_with_their_supervisor(served_graph: Path):
    """However the supervisor ends (here SIGKILL, which it cannot catch), no server process outlives it."""
    process, _ = start_server(["--graph", str(served_graph), *LIMITS], served_graph.parent)
    try:
        workers = server_processes(process.pid)
        assert len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        stop_server(process)


# ---- no outbound connections ------------------------------------------------------------------------------

ADDRESS = "http://127.0.0.1:PORT/sparql"
# test_protocol.py covers plain, lower-case SILENT, commented and mid-pattern spellings.
SERVICES = {
    "subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{ADDRESS}> {{ ?s ?p ?o }} }} }} }}",
    "filter-exists": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{ADDRESS}> {{ }} }} }}",
    "prefixed-name": "PREFIX remote: <http://127.0.0.1:PORT/>\nSELECT * WHERE { SERVICE remote:sparql { ?s ?p ?o } }",
    "variable": f"SELECT * WHERE {{ VALUES ?x {{ <{ADDRESS}> }} SERVICE ?x {{ ?s ?p ?o }} }}",
    "no-spaces": f"SELECT*WHERE{{SERVICE<{ADDRESS}>{{?s ?p ?o}}}}",
    # Oxigraph reads a keyword where it starts, whatever follows it: these are SERVICE and a name
    "glued-to-empty-prefix": "PREFIX : <http://127.0.0.1:PORT/>\nSELECT * WHERE { SERVICE:sparql { ?s ?p ?o } }",
    "glued-to-a-prefix": "PREFIX ex: <http://127.0.0.1:PORT/>\nSELECT * WHERE { SERVICEex:sparql { ?s ?p ?o } }",
    "glued-to-a-number": f"SELECT * WHERE {{ ?s ?p 1e0SERVICE <{ADDRESS}> {{ ?s ?p ?o }} }}",
    # a comment ends at a carriage return too
    "after-a-comment-ended-by-cr": f"SELECT * WHERE {{ # ask elsewhere\rSERVICE <{ADDRESS}> {{ ?s ?p ?o }} }}",
    # \u escapes belong to the IRI, so the quote after them opens no string
    "after-an-escaped-iri": (f"SELECT * WHERE {{ OPTIONAL {{ <http://x/\\u0041'> ?p ?o }} "
                             f"SERVICE <{ADDRESS}> {{ ?s ?p ?o }} }} #'"),
}


@pytest.mark.parametrize("template", SERVICES.values(), ids=SERVICES.keys())
def test_service_is_400_and_nothing_connects(target, template):
    with listening() as (listener, port):
        reply = replied(send(target, "post-form", template.replace("PORT", str(port))))
        assert not contacted(listener), "the server connected out"
    assert_plain(reply, 400, "SERVICE is not allowed")


CONNECT_PAST_THE_CHECK = """
import sys
import pyoxigraph as ox
from nzkg.server import cut_off_network, evaluate
from nzkg.store import QueryJob
offline = cut_off_network()
job = QueryJob("SELECT * WHERE { SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }", "%s", None)
answer = evaluate(ox.Store(), job, 10**6)
print(offline, answer.status, answer.body.decode())
"""


def test_server_processes_cannot_connect_out_even_past_the_check(served):
    """The second line of defence: the server's processes live in a network namespace of their own, so a SERVICE
    that got past the endpoint's check would find no network. Checked on the live server (its processes are not
    in this test's namespace) and on the mechanism itself (a SERVICE query evaluated directly, past the check,
    in a process cut off the same way). Where namespaces are not available the test says why it skips."""
    process, _ = served
    own = os.readlink("/proc/self/ns/net")
    namespaces = {os.readlink(f"/proc/{pid}/ns/net") for pid in [process.pid, *server_processes(process.pid)]}
    with listening() as (listener, port):
        ran = subprocess.run([sys.executable, "-c", CONNECT_PAST_THE_CHECK % (port, JSON_TYPE)], capture_output=True,
                             text=True, timeout=60, check=True)
        connected = contacted(listener)
    offline, status, body = ran.stdout.split(" ", 2)
    if offline != "True":
        pytest.skip("this machine gives no network namespace to the server (needs root or unprivileged user "
                    "namespaces); the endpoint's SERVICE check is the only defence here")
    assert len(namespaces) == 1 and own not in namespaces, "the server's processes are in this test's network"
    assert not connected, "a query connected out"
    assert status == "400" and "unreachable" in body


LOAD = "LOAD <http://127.0.0.1:PORT/x>"
INSERT_FROM_SERVICE = "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }"
UPDATE_FORMS = ["update-form", "update-get", "sparql-update-body", "query-get", "query-form", "query-body"]


def send_update(target: str, form: str, update: str) -> requests.Response:
    url = target + "/sparql"
    if form == "update-form":
        return requests.post(url, data={"update": update}, timeout=30)
    if form == "update-get":
        return requests.get(url, params={"update": update}, timeout=30)
    if form == "sparql-update-body":
        return requests.post(url, data=update.encode(), headers={"Content-Type": "application/sparql-update"},
                             timeout=30)
    return send(target, {"query-get": "get", "query-form": "post-form", "query-body": "post-sparql-query"}[form],
                update)


@pytest.mark.parametrize("form", UPDATE_FORMS)
@pytest.mark.parametrize("update", [LOAD, "load silent <http://127.0.0.1:PORT/x> into graph <urn:x:g>",
                                    INSERT_FROM_SERVICE], ids=["load", "load-silent-lower-case", "insert-service"])
def test_updates_are_403_and_nothing_connects(target, update, form):
    with listening() as (listener, port):
        reply = replied(send_update(target, form, update.replace("PORT", str(port))))
        assert not contacted(listener), "the server connected out"
    assert_plain(reply, 403, "read-only")


# ---- paths ------------------------------------------------------------------------------------------------

TRAVERSALS = ["/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/..%2f..%2f..%2fetc%2fpasswd",
              "/id/..%5c..%5c..%5cetc%5cpasswd", "/dump.ttl/../../etc/passwd", "/dump.nq%2f..%2f..%2fetc%2fpasswd",
              "//etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
              "/static/../../../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
              "/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/..%5c..%5c..%5c..%5cetc%5cpasswd",
              "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/....//....//etc/passwd",
              "/static/%252e%252e/%252e%252e/etc/passwd", "/static/../__init__.py", "/static/%2e%2e/__init__.py",
              "/static/..%5c__init__.py", "/static/query.js%00.css",
              "/id/%00", "/id/a%25zz", "/id/%C3%28"]  # IRIs a query cannot hold: once a 500


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_never_reach_other_files(target, path):
    reply = raw(target, "GET", path)
    if reply.status == 308:  # werkzeug merges slashes; where it sends the client must hold nothing either
        location = reply.headers["location"].removeprefix(target)
        assert location.startswith("/")
        reply = raw(target, "GET", location)
    assert reply.status in (400, 404), reply.text[:200]
    assert b"root:" not in reply.body and b"create_app" not in reply.body


# ---- markup in the data -----------------------------------------------------------------------------------


def assert_shown_as_text(page: str) -> None:
    assert "&lt;script&gt;alert(" in page  # the data is on the page, as text
    assert "<script" not in page and "<img" not in page and 'href="javascript:' not in page


@pytest.mark.parametrize("path", ["/id/operation/xss", "/id/contribution/xss-1"], ids=["operation", "contribution"])
def test_resource_pages_show_markup_in_the_data_as_text(target, path):
    """Labels and the timeline drawn from them, evidence, a release title, an incoming link's label, and an
    IRI with the javascript: scheme (shown, never linked). test_pages.py's release page holds no markup."""
    page = requests.get(target + path, headers={"Accept": "text/html"}, timeout=60).text
    assert_shown_as_text(page)
    if path.startswith("/id/operation"):
        assert '<figure class="timeline">' in page
        assert "javascript:alert(&#39;iri&#39;)" in page


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void"], ids=["service-description", "void"])
def test_description_pages_escape_graph_and_class_names(target, path):
    """IRIs cannot hold "<", but they can hold "&" and "'"."""
    page = requests.get(target + path, headers={"Accept": "text/html"}, timeout=60).text
    shown = "graph/hostile&amp;&#39;x" if path == "/sparql" else "class/a&amp;b&#39;c"
    assert shown in page and shown.replace("&amp;", "&").replace("&#39;", "'") not in page


def test_the_query_page_shows_markup_as_text_and_links_no_script(browser, target):
    """Results are written as text, and an IRI only becomes a link when it is a web address."""
    page = browser.new_page()
    try:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(target + "/")
        page.fill("#query", f"SELECT ?label ?url WHERE {{ <{ID}operation/xss> "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?label ; <https://schema.org/url> ?url }")
        page.click("#run")
        page.wait_for_selector("#results tbody tr", timeout=30_000)
        cells = page.locator("#results tbody td")
        assert [cells.nth(i).text_content() for i in range(2)] == ["<script>alert('label')</script>",
                                                                   "javascript:alert('iri')"]
        assert page.locator("#output script, #output img, #output a[href^='javascript:']").count() == 0
        assert dialogs == []
    finally:
        page.close()


# ---- malformed requests -----------------------------------------------------------------------------------

BAD_ENCODINGS = {"not-hex": ("query=%ZZ", "%"), "lone-percent": ("query=ASK%20%7B%7D%", "%"),
                 "invalid-utf8": ("query=%C3%28", "UTF-8"),
                 "invalid-utf8-in-a-string": ("query=ASK%20%7B%20FILTER(%22%C3%28%22)%20%7D", "UTF-8")}


@pytest.mark.parametrize(("encoded", "said"), BAD_ENCODINGS.values(), ids=BAD_ENCODINGS.keys())
def test_bad_percent_encoding_is_400(target, encoded, said):
    """Rather than a query werkzeug decoded into something else (a stray % kept, bad bytes as U+FFFD)."""
    assert_plain(raw(target, "GET", "/sparql?" + encoded), 400, "query string", said)
    form = raw(target, "POST", "/sparql", ("Content-Type: application/x-www-form-urlencoded",), encoded.encode())
    assert_plain(form, 400, "form body", said)


ABSURD_ACCEPTS = {
    "100-kb": JSON_TYPE + ";x=" + "x" * 100_000,
    "10000-ranges": ",".join(f"text/x-{i}" for i in range(10_000)),
    "60000-ranges": ",".join(["a/b"] * 60_000),
    "q-abc": JSON_TYPE + ";q=abc",
    "q-1e999": JSON_TYPE + ";q=1e999",
    "nothing-at-all": "*/*;q=0",
    "malformed": "/;,;;=;;,//,*/,text/,;q=,=,",
}


@pytest.mark.parametrize("accept", ABSURD_ACCEPTS.values(), ids=ABSURD_ACCEPTS.keys())
@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/sparql", "/id/release/d05_sinai-engineers-2016",
                                  "/ontology"])
def test_absurd_accept_headers_are_answered_quickly(target, path, accept):
    started = time.monotonic()
    reply = raw(target, "GET", path, (f"Accept: {accept}",))
    assert reply.status in (200, 406), reply.text[:200]
    assert time.monotonic() - started < 1


# ---- clients that hang up ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/sparql?query=" + quote("CONSTRUCT { ?s ?p ?o2 } WHERE { ?s ?p ?o . ?x ?y ?o2 } LIMIT 100000"),
    "/dump.nq",
], ids=["construct", "dump"])
def test_a_client_hanging_up_mid_response_leaves_the_server_serving(target, path):
    """Three clients read the start of a 5 MB CONSTRUCT or of the dump and reset the connection."""
    host, port = target.removeprefix("http://").split(":")
    for _ in range(3):
        with socket.create_connection((host, int(port)), timeout=30) as connection:
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode())
            assert connection.recv(1 << 14).startswith(b"HTTP/1.1 200")
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    settle(target)
