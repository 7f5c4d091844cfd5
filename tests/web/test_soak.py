"""Soak: a real `nzkg serve` answers 20,000 requests from 32 concurrent clients within 2 minutes, every one of
them right, and its resident memory grows by less than 10% once warmed up.

The server is this test's own, on a store of its own, so no other test's requests reach the process whose
memory is measured. Memory is that of the whole process tree: the server processes are children of the
supervisor, and a leak in any of them counts. The clients are Python threads with keep-alive
connections (http.client), so the test needs nothing beyond pip; on two cores they share the CPU with the
server, which makes the figures printed at the end a floor, not a benchmark (bench/load.py is that).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pyoxigraph as ox
import pytest
import requests
from conftest import free_port, stop_server  # tests/web/conftest.py

from nzkg.queries import named_query
from nzkg.store import store_from_file

REQUESTS = 20_000
WARM_UP = 2_000
CLIENTS = 32
DEADLINE = 120.0  # seconds for the 20,000 requests; the clients stop there, done or not
MAX_GROWTH = 0.10
ID = "https://w3id.org/nzkg/id/"
JSON_TYPE = "application/sparql-results+json"


@dataclass(frozen=True)
class Request:
    """One request of the mix and what its answer must be: status 200 and a body `check` accepts."""

    name: str
    method: str
    path: str
    check: Callable[[bytes], bool]
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def sparql_json(least_rows: int) -> Callable[[bytes], bool]:
    def check(body: bytes) -> bool:
        data = json.loads(body)
        if "boolean" in data:
            return data["boolean"] is True
        return len(data["results"]["bindings"]) >= least_rows
    return check


def turtle(body: bytes) -> bool:
    return any(True for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))


def html(body: bytes) -> bool:
    """A whole page: rendered to its end, not cut off by an error halfway."""
    return body.lstrip()[:15].lower() == b"<!doctype html>" and body.rstrip().endswith(b"</html>")


def sparql_post(name: str, query: str, least_rows: int = 1) -> Request:
    return Request(name, "POST", "/sparql", sparql_json(least_rows), query.encode(),
                   {"Content-Type": "application/sparql-query", "Accept": JSON_TYPE})


def sparql_get(name: str, query: str, least_rows: int = 1) -> Request:
    return Request(name, "GET", "/sparql?" + urlencode({"query": query}), sparql_json(least_rows),
                   headers={"Accept": JSON_TYPE})


def sparql_form(name: str, query: str, least_rows: int = 1) -> Request:
    return Request(name, "POST", "/sparql", sparql_json(least_rows), urlencode({"query": query}).encode(),
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_TYPE})


LABEL = "SELECT ?label WHERE {{ <{}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
# Small queries of each kind the endpoint serves, over the annotated corpus: lookups of one resource by GET,
# POST and form, a small named query, linked-data pages in Turtle and as HTML.
MIX = [
    sparql_post("label of an operation", LABEL.format(f"{ID}operation/mfo")),
    sparql_get("ASK", f"ASK {{ <{ID}operation/ramsi> a ?type }}"),
    sparql_form("statements of a place", f"SELECT ?p ?o WHERE {{ <{ID}place/egypt> ?p ?o }} LIMIT 20"),
    sparql_post("contributions of a release", "SELECT ?c WHERE { ?c <http://www.w3.org/ns/prov#wasDerivedFrom> "
                f"<{ID}release/d05_sinai-engineers-2016> }}"),
    sparql_get("label of a place", LABEL.format(f"{ID}place/egypt")),
    sparql_post("named query evidence-for", named_query("evidence-for").bound(operation=f"{ID}operation/ramsi")),
    Request("operation as Turtle", "GET", "/id/operation/mfo?format=turtle", turtle),
    sparql_form("label of an operation (form)", LABEL.format(f"{ID}operation/ramsi")),
    Request("release page", "GET", "/id/release/d05_sinai-engineers-2016", html),
    sparql_get("releases", "SELECT ?r WHERE { ?r a <https://w3id.org/nzkg/ontology#Release> } LIMIT 5"),
    Request("place page", "GET", "/id/place/egypt", html, headers={"Accept": "text/html"}),
]


@dataclass
class Run:
    done: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100)[p - 1] * 1000


def hammer(host: str, port: int, count: int, deadline: float) -> Run:
    """`count` requests of the mix, in turn, from CLIENTS threads with a connection each, until all are answered
    or `deadline` (time.monotonic()) passes."""
    run, lock = Run(), threading.Lock()
    issued = iter(range(count))

    def client() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                index = next(issued, None)
            if index is None:
                break
            request = MIX[index % len(MIX)]
            began = time.perf_counter()
            try:
                connection.request(request.method, request.path, request.body, request.headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                problem = f"{request.name}: {type(error).__name__}: {error}"
                connection.close()  # it reconnects on the next request
            else:
                problem = verdict(request, response.status, body)
            elapsed = time.perf_counter() - began
            with lock:
                run.done += 1
                run.latencies.append(elapsed)
                if problem:
                    run.errors.append(problem)
        connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.monotonic() - began
    return run


def verdict(request: Request, status: int, body: bytes) -> str | None:
    """None for a right answer, else what is wrong with it."""
    try:
        if status == 200 and request.check(body):
            return None
    except (ValueError, KeyError, TypeError, SyntaxError) as error:  # SyntaxError: Turtle pyoxigraph cannot read
        return f"{request.name}: {type(error).__name__}: {error}"
    return f"{request.name}: {status} {body[:200]!r}"


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total


@pytest.fixture(scope="module")
def soak_server(served_graph: Path, tmp_path_factory) -> Iterator[tuple[subprocess.Popen, int]]:
    """`nzkg serve --store` on a store of its own, made from the annotated corpus. Its log goes to a file: under load
    waitress warns of its queue on every request, which would fill an unread pipe and stall the server."""
    folder = tmp_path_factory.mktemp("soak")
    store = store_from_file(served_graph, folder / "store")
    port = free_port()
    with (folder / "serve.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "nzkg.cli", "serve", "--store", str(store), "--port",
                                    str(port), "--workers", "2", "--timeout", "10"], cwd=folder, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (folder / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not answer within 90 s"
            try:  # the first answer waits for the server processes to start: seconds on a busy machine
                if requests.get(f"http://127.0.0.1:{port}/sparql", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        yield process, port
    finally:
        stop_server(process)


def test_soak(soak_server: tuple[subprocess.Popen, int], capsys: pytest.CaptureFixture) -> None:
    process, port = soak_server
    warm = hammer("127.0.0.1", port, WARM_UP, time.monotonic() + DEADLINE)
    assert warm.errors == [] and warm.done == WARM_UP, warm.errors[:10]
    before = tree_rss(process.pid)

    run = hammer("127.0.0.1", port, REQUESTS, time.monotonic() + DEADLINE)
    after = tree_rss(process.pid)
    with capsys.disabled():
        print(f"\nsoak: {run.done:,} requests from {CLIENTS} clients in {run.seconds:.1f} s: "
              f"{run.done / run.seconds:.0f} requests/s, p50 {run.percentile(50):.0f} ms, p99 "
              f"{run.percentile(99):.0f} ms, {len(run.errors)} errors; server RSS (all processes) "
              f"{before / 1e6:.1f} MB after {WARM_UP:,} warm-up requests, {after / 1e6:.1f} MB after "
              f"({(after - before) / before:+.1%})")
    assert run.errors == [], f"{len(run.errors)} errors, the first: {run.errors[:10]}"
    assert run.done == REQUESTS, f"only {run.done:,} of {REQUESTS:,} requests in {DEADLINE:g} s"
    assert after < before * (1 + MAX_GROWTH), f"memory grew from {before / 1e6:.1f} to {after / 1e6:.1f} MB"
