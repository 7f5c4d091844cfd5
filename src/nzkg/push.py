"""Stage 6: the graph on another triple store. Each named graph of a store (or graph file) is uploaded with
the SPARQL 1.1 Graph Store HTTP Protocol: one PUT per graph to `ENDPOINT?graph=IRI` (Virtuoso calls the
parameter `graph-uri`), replacing whatever that graph held there, so pushing twice gives the same result.

Connection errors and 5xx answers are retried with exponential backoff; 4xx answers are not (sending the
same request again gets the same answer). A failure that every graph would meet — the endpoint cannot be
reached, or it refuses the credentials, the method or the path (401, 403, 404, 405) — stops the push at
the first graph rather than repeating it for each. This module imports nothing heavier than pyoxigraph and
requests.
"""

from __future__ import annotations

import email.utils
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from tqdm import tqdm

from nzkg.formats import RDF_FORMATS, by_name

ENDPOINT_FAILURES = {401, 403, 404, 405}  # the endpoint's problem, not the graph's: every graph would get it
MAX_DELAY = 60.0


@dataclass(frozen=True)
class Outcome:
    """What became of one graph: `status` is the last HTTP status (None when no answer came), `error` the
    reason when there was no answer, `attempts` how many requests were sent."""

    graph: str  # the graph IRI, or "default" for the default graph
    triples: int
    status: int | None
    attempts: int
    error: str = ""
    detail: str = ""  # the start of the server's answer, when it explains a failure in plain text

    @property
    def stored(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        """One line: the graph and what happened to it."""
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        if self.status is None:
            what = f"no answer{tries} ({self.error})"
        else:
            what = f"HTTP {self.status} {self.error}".rstrip() + tries
        hint = {401: " (check --user/--password and --auth)", 404: " (check --endpoint and --graph-param)",
                405: " (is --endpoint a Graph Store Protocol URL?)"}.get(self.status or 0, "")
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.graph}: {what}{hint}{detail}"


@dataclass
class PushReport:
    endpoint: str
    outcomes: list[Outcome] = field(default_factory=list)
    stopped_by: Outcome | None = None  # the failure every graph would meet, which ended the push early
    not_attempted: list[str] = field(default_factory=list)  # the graphs left unsent after it
    seconds: float = 0.0

    @property
    def stored(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.stored]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.stored]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_attempted

    def problems(self) -> list[str]:
        """One line per graph that failed, except the failure that stopped the push (the summary says it)."""
        return [o.describe() for o in self.failed if o is not self.stopped_by]

    def summary(self) -> str:
        total = len(self.outcomes) + len(self.not_attempted)
        triples = sum(o.triples for o in self.stored)
        line = (f"stored {len(self.stored)} of {total} graphs ({triples} triples) at {self.endpoint} in "
                f"{self.seconds:.1f} s")
        return line if self.stopped_by is None else f"push stopped at {self.stopped_by.describe()}; {line}"


def graphs_of(store: ox.Store) -> list[ox.NamedNode | ox.DefaultGraph]:
    """The store's named graphs in IRI order, preceded by the default graph if it holds anything."""
    named = list(store.named_graphs())
    unnamed = [g for g in named if not isinstance(g, ox.NamedNode)]
    if unnamed:
        raise ValueError(f"{len(unnamed)} graphs are named by blank nodes, and the Graph Store Protocol "
                         "addresses graphs by IRI")
    graphs: list[ox.NamedNode | ox.DefaultGraph] = sorted(named, key=lambda g: g.value)
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        graphs.insert(0, ox.DefaultGraph())
    return graphs


def make_auth(user: str | None, password: str | None, scheme: str = "digest") -> AuthBase | None:
    if user is None:
        return None
    if scheme not in ("digest", "basic"):
        raise ValueError(f"unknown authentication scheme {scheme!r} (use digest or basic)")
    return (HTTPDigestAuth if scheme == "digest" else HTTPBasicAuth)(user, password or "")


def put_graph(
    session: requests.Session,
    endpoint: str,
    params: dict[str, str] | str,
    body: bytes,
    content_type: str,
    *,
    graph: str,
    triples: int,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 120.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """PUT one graph, retrying connection errors and 5xx answers up to `retries` times, waiting `backoff`
    seconds, then twice that, and so on (or what a 503's Retry-After asks, up to a minute)."""
    attempts = 0
    while True:
        attempts += 1
        wait = min(MAX_DELAY, backoff * 2 ** (attempts - 1))
        try:
            response = session.put(endpoint, params=params, data=body, timeout=timeout,
                                   headers={"Content-Type": f"{content_type}; charset=utf-8"})
        except (requests.ConnectionError, requests.Timeout) as error:
            outcome = Outcome(graph, triples, None, attempts, error=connection_problem(error))
        else:
            outcome = Outcome(graph, triples, response.status_code, attempts, error=response.reason or "",
                              detail="" if response.ok else explanation(response))
            if response.status_code < 500:
                return outcome
            wait = retry_after(response, wait)
        if attempts > retries:
            return outcome
        sleep(wait)


def connection_problem(error: Exception) -> str:
    """A connection error in a few words rather than urllib3's nested reprs."""
    text = str(error)
    for known in ("Connection refused", "Name or service not known", "Temporary failure in name resolution",
                  "timed out", "Connection reset by peer", "Remote end closed connection", "No route to host"):
        if known.lower() in text.lower():
            return known.lower()
    return f"{type(error).__name__}: {' '.join(text.split())[:160]}"


def explanation(response: requests.Response) -> str:
    """The first words of a plain-text error answer (HTML error pages say nothing a terminal can use)."""
    if not response.headers.get("Content-Type", "").startswith("text/plain"):
        return ""
    text = " ".join(response.text.split())
    return text if len(text) <= 200 else text[:199] + "…"


def retry_after(response: requests.Response, default: float) -> float:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return default
    if value.isdigit():
        return min(MAX_DELAY, float(value))
    when = email.utils.parsedate_to_datetime(value) if email.utils.parsedate_tz(value) else None
    return default if when is None else max(0.0, min(MAX_DELAY, when.timestamp() - time.time()))


def push(
    store: ox.Store,
    endpoint: str,
    *,
    graph_param: str = "graph",
    auth: AuthBase | None = None,
    body_format: str = "ntriples",
    prefixes: dict[str, str] | None = None,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 120.0,
    progress: bool | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Upload every graph of the store to a Graph Store Protocol endpoint, one PUT each (the default graph,
    if it holds anything, to `ENDPOINT?default`). Stops early on a failure every graph would meet."""
    fmt = by_name(body_format, RDF_FORMATS)
    if fmt is None or fmt.keeps_graphs:
        raise ValueError(f"{body_format}: not a syntax for one graph")
    report = PushReport(endpoint)
    started = time.monotonic()
    graphs = graphs_of(store)
    with requests.Session() as session:
        session.auth = auth
        bar = tqdm(graphs, unit="graph", file=sys.stderr, leave=False,
                   disable=not progress if progress is not None else None)
        for index, graph in enumerate(bar):
            name = graph.value if isinstance(graph, ox.NamedNode) else "default"
            params = {graph_param: graph.value} if isinstance(graph, ox.NamedNode) else "default"
            triples = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
            body = store.dump(format=fmt.oxigraph, from_graph=graph, prefixes=prefixes)
            outcome = put_graph(session, endpoint, params, body, fmt.media_type, graph=name, triples=triples,
                                retries=retries, backoff=backoff, timeout=timeout, sleep=sleep)
            report.outcomes.append(outcome)
            if not outcome.stored and (outcome.status is None or outcome.status in ENDPOINT_FAILURES):
                report.stopped_by = outcome
                report.not_attempted = [g.value if isinstance(g, ox.NamedNode) else "default"
                                        for g in graphs[index + 1:]]
                break
        bar.close()
    report.seconds = time.monotonic() - started
    return report
