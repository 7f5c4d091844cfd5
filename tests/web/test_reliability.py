"""Staying up and staying whole under clients that misbehave: slow and idle connections, one address's runaway
queries, queries that eat memory, and the dataset a query or a request names. Each test starts the real
server it needs on 127.0.0.1 (or uses the shared one), and every attack is bounded in count and time."""

from __future__ import annotations

import http.client
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from conftest import FIXTURES, LIMITS, start_server, stop_server  # tests/web/conftest.py

from nzkg.server import evaluate
from nzkg.store import QueryJob

CSV = {"Accept": "text/csv"}
SLOW_CLIENTS = 1000


def count(url: str, query: str, **dataset: list[str]) -> int:
    response = requests.get(url + "/sparql", params={"query": query, **dataset}, headers=CSV, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.text.split()[1])


def some_graph(url: str) -> tuple[str, int]:
    """A named graph of the served corpus and the number of triples in it."""
    response = requests.get(url + "/sparql", params={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p "
                                                                "?o } } GROUP BY ?g ORDER BY DESC(?n) LIMIT 1"},
                            headers=CSV, timeout=30)
    graph, triples = response.text.split()[1].split(",")
    return graph, int(triples)


ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
IN_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


# ---- the dataset: FROM, FROM NAMED and the protocol's parameters (SPARQL 1.1 Query §13.2, Protocol §2.1.4) ----

def test_without_a_dataset_the_default_graph_is_the_union(server):
    assert count(server, ALL) == count(server, IN_NAMED) > 1000


def test_from_an_unknown_graph_sees_nothing(server):
    assert count(server, "SELECT (COUNT(*) AS ?n) FROM <http://nonexistent.example/> WHERE { ?s ?p ?o }") == 0


def test_from_one_graph_sees_that_graph_and_no_named_graphs(server):
    graph, triples = some_graph(server)
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}") == triples
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 0


def test_from_named_sees_only_that_graph_by_name(server):
    graph, triples = some_graph(server)
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") \
        == triples
    assert count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}") == 0


def test_a_word_from_elsewhere_in_a_query_names_no_dataset(server):
    query = 'SELECT (COUNT(*) AS ?n) WHERE { ?from ?p ?o BIND("FROM <x>" AS ?quoted) }'
    assert count(server, query) == count(server, ALL)


def test_default_graph_uri_alone_leaves_no_named_graph_visible(server):
    graph, triples = some_graph(server)
    assert count(server, ALL, **{"default-graph-uri": [graph]}) == triples
    assert count(server, IN_NAMED, **{"default-graph-uri": [graph]}) == 0


def test_named_graph_uri_alone_leaves_the_default_graph_empty(server):
    graph, triples = some_graph(server)
    assert count(server, IN_NAMED, **{"named-graph-uri": [graph]}) == triples
    assert count(server, ALL, **{"named-graph-uri": [graph]}) == 0


def test_the_request_dataset_overrides_the_query_dataset(server):
    graph, triples = some_graph(server)
    query = "SELECT (COUNT(*) AS ?n) FROM <http://nonexistent.example/> WHERE { ?s ?p ?o }"
    assert count(server, query, **{"default-graph-uri": [graph]}) == triples


# ---- HEAD and headers -------------------------------------------------------------------------------------

def test_head_of_a_query_answers_as_get_does_without_a_body(server):
    params = {"query": "ASK { ?s ?p ?o }"}
    got = requests.get(server + "/sparql", params=params, timeout=30)
    head = requests.head(server + "/sparql", params=params, timeout=30)
    assert (head.status_code, head.headers["Content-Type"]) == (200, got.headers["Content-Type"])
    assert head.content == b""


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK%7B%7D", "/ontology", "/no/such/page"])
def test_every_answer_carries_the_security_headers(server, path):
    headers = requests.get(server + path, timeout=30).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


# ---- slow and idle clients ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def patient_server(served_graph: Path) -> Iterator[str]:
    """A server that closes connections idle for two seconds."""
    process, url = start_server(["--graph", str(served_graph), *LIMITS, "--idle-timeout", "2"], served_graph.parent)
    yield url
    stop_server(process)


def open_files_for(sockets: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < sockets + 200:
        if hard != resource.RLIM_INFINITY and hard < sockets + 200:
            pytest.skip(f"this machine allows {hard} open files, fewer than the test's {sockets} connections")
        resource.setrlimit(resource.RLIMIT_NOFILE, (sockets + 200, hard))


def test_a_thousand_slow_clients_do_not_keep_others_waiting(server):
    """Each slow client sends one header line at a time and never finishes its request, as a slowloris
    attack does; meanwhile a normal client's small queries are answered, and so is every round of them."""
    open_files_for(SLOW_CLIENTS)
    address = urlsplit(server)
    with ExitStack() as stack:
        slow = []
        for _ in range(SLOW_CLIENTS):
            connection = stack.enter_context(socket.create_connection((address.hostname, address.port), timeout=10))
            connection.sendall(b"GET /sparql HTTP/1.1\r\nHost: localhost\r\n")
            slow.append(connection)
        waits = []
        for round_number in range(3):
            for connection in slow:
                connection.sendall(f"X-Slow-{round_number}: 1\r\n".encode())
            started = time.monotonic()
            response = requests.get(server + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
            waits.append(time.monotonic() - started)
            assert response.status_code == 200 and response.json()["boolean"] is True
        print(f"\nwith {SLOW_CLIENTS} slow connections held, small queries answered in "
              f"{', '.join(f'{w * 1000:.0f} ms' for w in waits)}")


def test_an_idle_connection_is_closed_after_the_idle_timeout(patient_server):
    address = urlsplit(patient_server)
    with socket.create_connection((address.hostname, address.port), timeout=15) as idle:
        started = time.monotonic()
        assert idle.recv(1) == b""  # the server closed it
        assert time.monotonic() - started < 10


def test_a_connection_that_awaits_an_answer_is_not_idle(patient_server):
    """A query running longer than the idle timeout still gets its answer."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = requests.get(patient_server + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 503 and "longer than" in response.text  # stopped by the query time limit


# ---- one address's runaway queries, and queries that eat memory --------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def ask_from(url: str, source: str, query: str, results: list) -> None:
    """A request sent from another loopback address, as another client would be."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30, source_address=(source, 0))
    connection.request("GET", "/sparql?" + urlencode({"query": query}), headers=CSV)
    response = connection.getresponse()
    results.append((response.status, response.read().decode(), time.monotonic()))
    connection.close()


@pytest.fixture(scope="module")
def fair_server(served_graph: Path) -> Iterator[str]:
    """Two workers and a share of one each (the default): one address cannot hold both."""
    process, url = start_server(["--graph", str(served_graph), "--timeout", "4", "--workers", "2"],
                                served_graph.parent)
    yield url
    stop_server(process)


def test_one_clients_runaway_queries_leave_a_worker_for_others(fair_server):
    runaways: list = []
    threads = [threading.Thread(target=ask_from, args=(fair_server, "127.0.0.2", RUNAWAY, runaways))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the first runaway holds its client's one worker; the others wait their turn
    other: list = []
    ask_from(fair_server, "127.0.0.3", "ASK { ?s ?p ?o }", other)
    status, body, answered = other[0]
    assert (status, body.split()[-1]) == (200, "true")
    for thread in threads:
        thread.join(40)
    assert all(status == 503 for status, _, _ in runaways)
    assert answered < min(ended for _, _, ended in runaways)  # answered while the first runaway still ran


@pytest.fixture(scope="module")
def frugal_server(served_graph: Path) -> Iterator[str]:
    process, url = start_server(["--graph", str(served_graph), *LIMITS, "--timeout", "20",
                                 "--max-query-memory-mb", "200"], served_graph.parent)
    yield url
    stop_server(process)


def test_a_query_past_its_memory_is_stopped_and_the_server_goes_on(frugal_server):
    """Sorting a cross product needs gigabytes; the query stops at its ceiling long before the time limit."""
    hungry = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?c ?f ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } " \
             "ORDER BY ?c ?f ?i } }"
    response = requests.get(frugal_server + "/sparql", params={"query": hungry}, timeout=60)
    assert response.status_code in (400, 503) and "memory" in response.text
    for _ in range(3):  # round both workers, the replaced one too
        assert count(frugal_server, ALL) > 1000


# ---- a panic inside Oxigraph ---------------------------------------------------------------------------------

class PanicException(BaseException):
    """Stands for pyo3's exception of that name, which a Rust panic in Oxigraph raises; it cannot be imported
    before a panic happens, and Oxigraph has no query known to panic today."""


class PanickingStore:
    def query(self, *args, **kwargs):
        raise PanicException("user-provided comparison function does not correctly implement a total order")


def test_a_panic_in_the_engine_is_answered_as_what_it_is_in_one_line(capsys):
    answer = evaluate(PanickingStore(), QueryJob("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o", "text/csv", None), 1000)
    assert answer.status == 500 and b"total order" in answer.body
    logged = capsys.readouterr().err
    assert logged.count("\n") == 1 and "total order" in logged


# ---- a server across rebuilds ----------------------------------------------------------------------------------

def nzkg_build(folder: Path, output: Path) -> None:
    subprocess.run([sys.executable, "-m", "nzkg.cli", "build", str(folder), "--output", str(output), "--quiet"],
                   check=True, capture_output=True, timeout=300)


def retitle(releases: Path, n: int) -> None:
    first = sorted(releases.glob("*.md"))[0]
    first.write_text(first.read_text().replace("title:", f"title: Rebuild {n}", 1))


@pytest.mark.parametrize("where", [[], ["--on-disk"]], ids=["in-memory", "on-disk"])
def test_a_server_keeps_serving_its_store_however_many_builds_follow(tmp_path: Path, where: list[str]):
    releases = tmp_path / "releases"
    releases.mkdir()
    for source in sorted((FIXTURES / "corpus").glob("*.md"))[:3]:
        shutil.copy(source, releases / source.name)
    graph = tmp_path / "out" / "kg.trig"
    nzkg_build(releases, graph)
    process, url = start_server(["--store", str(graph.parent / "store"), "--workers", "2", *where], tmp_path)
    try:
        before = requests.get(url + "/dump.nq", timeout=60)
        assert before.status_code == 200
        for n in range(3):
            retitle(releases, n)
            nzkg_build(releases, graph)
        after = requests.get(url + "/dump.nq", timeout=60)
        assert after.status_code == 200 and after.content == before.content
        for _ in range(3):  # round both workers
            assert count(url, ALL) > 100
    finally:
        stop_server(process)
    retitle(releases, 3)
    nzkg_build(releases, graph)  # the version let go goes now
    assert len(list(graph.parent.glob("store.*"))) == 2  # the current version and the one before
