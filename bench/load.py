"""Throughput and latency under load: 32 clients (`--clients`) POSTing SPARQL queries for a fixed time, against
`nzkg serve --store` and against the peer, rdflib-endpoint, serving the same N-Quads, one system after the
other in the same run. Localhost only; it stops by itself.

    python bench/load.py --graph /tmp/g10k/nzkg.nq                   # store: /tmp/g10k/store
    python bench/load.py --graph G.nq --duration 30 --timeout 10 --json out.json
    python bench/load.py --graph G.nq --mix small --no-peer

The clients are wrk's (`apt-get install wrk`): C, so they take little of the CPU the servers need, one
connection each, kept alive, driven by bench/load.lua. Every request is a POST application/sparql-query
asking for SPARQL JSON; the queries come round in turn. Two mixes, each run for `--duration` s per system:

  small   lookups of one resource (its label, an ASK, its statements) for each IRI the named queries take as
          a default parameter, and the named queries (queries/*.rq with their defaults) that pyoxigraph
          answers in under `--small-ms` in-process on this graph, read into memory as `nzkg serve` does
          (the report lists them); target: p99 < 1 s
  full    the lookups and every named query

Before its runs each system answers every query once: the peer must give the same number of rows as
nzkg (differences are reported), so both are known to get the same mix. For each run: answers per
second that were right (status 200, a SPARQL JSON body, within `--timeout`), p50 and p99 over every request
answered or timed out (a timed-out one counts as `--timeout`, so a p99 of "> T" means more than 1% timed
out), and errors by kind: an HTTP status, "timeout" (answered after `--timeout`, or still unanswered at the
end after waiting longer than that), "invalid" (a 200 that is not SPARQL JSON), "socket". nzkg is given
`--timeout` as its query time limit; past it, it answers 503. rdflib-endpoint has no limit and evaluates one
query at a time to its end, whether anyone still waits for it: before each run it is given up to `--settle` s
to finish what the last one left, and is restarted if it does not.

Prints a Markdown table; --json FILE writes the raw numbers, with per-query figures under load.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import requests
from servers import (
    SPARQL_JSON,
    UNLIMITED_MB,
    Server,
    add_graph_arguments,
    log,
    mb,
    start_nzkg,
    start_peer,
    stop_on_sigterm,
    store_of,
    wait_idle,
)

from nzkg.queries import named_queries
from nzkg.server import evaluate
from nzkg.store import QueryJob, memory_copy

LUA = Path(__file__).with_name("load.lua")
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    inprocess_ms: float  # the best of three runs of pyoxigraph on the store, result serialised
    rows: int | bool | None  # what pyoxigraph answers: a row count, or ASK's boolean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_graph_arguments(parser)
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default: %(default)s)")
    parser.add_argument("--duration", type=int, default=30,
                        help="seconds of load per system and mix (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=10,
                        help="seconds an answer may take before it counts as timed out; also nzkg serve --timeout "
                             "(default: %(default)s)")
    parser.add_argument("--mix", nargs="+", choices=("small", "full"), default=["small", "full"],
                        help="the mixes to run (default: both)")
    parser.add_argument("--small-ms", type=float, default=50.0,
                        help="named queries answered in-process under this many ms are in the small mix "
                             "(default: %(default)s)")
    parser.add_argument("--small", nargs="+", metavar="NAME",
                        help="the named queries of the small mix, instead of choosing them by --small-ms (to "
                             "compare graphs or machines on the same mix)")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure rdflib-endpoint (default: yes)")
    parser.add_argument("--settle", type=float, default=120.0,
                        help="seconds a server may take to finish queries nobody waits for any more (after a "
                             "check that timed out, before each run); it is restarted past them "
                             "(default: %(default)s)")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2),
                        help="nzkg serve --workers (default: as nzkg serve, %(default)s here)")
    parser.add_argument("--json", type=Path, help="write the raw numbers here")
    parser.add_argument("--logs", type=Path, help="server and wrk logs (default: a temporary folder)")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    unknown = set(args.small or ()) - {q.name for q in named_queries()}
    if unknown:
        parser.error(f"--small: no named queries {', '.join(sorted(unknown))}")

    store_dir = store_of(args)
    logs = args.logs or Path(tempfile.mkdtemp(prefix="nzkg-load-"))
    log(f"timing the queries in-process on {store_dir}, read into memory as nzkg serve does")
    store = memory_copy(str(store_dir))
    quads = len(store)
    named = [time_inprocess(store, q.name, q.bound()) for q in named_queries()]
    lookups = [time_inprocess(store, name, text) for name, text in lookup_queries()]
    del store
    small = [q for q in named if q.name in args.small] if args.small else \
        [q for q in named if q.inprocess_ms < args.small_ms]
    mixes = {"small": lookups + small, "full": lookups + named}
    mixes = {name: mixes[name] for name in args.mix}
    report: dict = {
        "graph": str(args.graph), "store": str(store_dir), "quads": quads, "clients": args.clients,
        "duration_s": args.duration, "timeout_s": args.timeout, "small_ms": None if args.small else args.small_ms,
        "queries": {q.name: {"inprocess_ms": q.inprocess_ms, "rows": q.rows} for q in lookups + named},
        "mixes": {name: [q.name for q in queries] for name, queries in mixes.items()}, "systems": {}}

    report["systems"]["nzkg"] = measure(
        lambda: start_nzkg(store_dir, args.workers, args.timeout, UNLIMITED_MB, logs / "nzkg.log"),
        mixes, args, logs / "nzkg")
    if args.peer:
        def peer() -> Server:
            log(f"rdflib-endpoint: loading {args.graph}")
            return start_peer(args.graph, logs / "peer.log")

        report["systems"]["rdflib-endpoint"] = measure(peer, mixes, args, logs / "peer")

    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        log(f"raw numbers: {args.json}")
    return 0


def lookup_queries() -> list[tuple[str, str]]:
    """Tiny queries about one resource, as a page or an application asks them: for each IRI a named query
    takes as its default, so the resource exists in every graph nzkg builds."""
    iris = sorted({p.default for q in named_queries() for p in q.parameters if p.type == "iri"})
    found = []
    for iri in iris:
        short = iri.rstrip("/").rsplit("/", 1)[-1]
        found += [(f"label {short}", f"SELECT ?label WHERE {{ <{iri}> <{RDFS_LABEL}> ?label }}"),
                  (f"ask {short}", f"ASK {{ <{iri}> a ?type }}"),
                  (f"statements {short}", f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 50")]
    return found


def time_inprocess(store: ox.Store, name: str, text: str) -> Query:
    job = QueryJob(text, SPARQL_JSON, "text/turtle")
    best, answer = float("inf"), None
    for _ in range(3):
        began = time.perf_counter()
        answer = evaluate(store, job, UNLIMITED_MB * 1_000_000)
        best = min(best, time.perf_counter() - began)
    if answer.status != 200:
        raise SystemExit(f"{name}: pyoxigraph answers {answer.status}: {answer.body[:300].decode(errors='replace')}")
    return Query(name, text, round(best * 1000, 2), answer_size(answer.body))


def answer_size(body: bytes) -> int | bool | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return len(data["results"]["bindings"]) if "results" in data else data.get("boolean")


def measure(start: Callable[[], Server], mixes: dict[str, list[Query]], args: argparse.Namespace,
            logs: Path) -> dict:
    """Start a system, check its answer to every query once, then load it with each mix in turn. After a query
    of the check that got no answer, and before each run, the system is given `--settle` s to finish what it
    was left with, and is restarted if it does not: the peer evaluates every query to its end, and the next
    query or run would otherwise wait behind it."""
    logs.mkdir(parents=True, exist_ok=True)
    server = start()
    figures: dict = {"ready_s": round(server.ready_s, 2), "ready_mb": mb(server.ready_memory), "restarts": 0,
                     "check": {}}
    log(f"{server.name}: ready in {server.ready_s:.1f} s, {mb(server.ready_memory)} MB")

    def settle() -> None:
        nonlocal server
        if not wait_idle(server, args.settle):
            log(f"{server.name}: still busy after {args.settle:g} s; restarting it")
            server.stop()
            server = start()
            figures["restarts"] += 1

    try:
        every = {q.name: q for queries in mixes.values() for q in queries}
        with requests.Session() as session:
            for query in every.values():
                found = figures["check"][query.name] = ask(session, server, query, args.timeout)
                if found["answer"] != query.rows:
                    log(f"{server.name}: {query.name}: answers {found['answer']!r}, pyoxigraph {query.rows!r}")
                if "ms" not in found:
                    settle()
        for mix, queries in mixes.items():
            settle()
            figures[mix] = run_wrk(server, queries, args, logs / mix)
            log(f"{server.name} {mix}: {describe(figures[mix])}")
    finally:
        server.stop()
    return figures


def ask(session: requests.Session, server: Server, query: Query, timeout: float) -> dict:
    """One query, alone: what the system answers (a row count, a boolean, or why there is none) and how fast.
    It also warms the server up."""
    headers = {"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON}
    began = time.perf_counter()
    try:
        response = session.post(server.url, data=query.text.encode(), headers=headers, timeout=timeout)
    except requests.Timeout:
        return {"answer": f"no answer within {timeout:g} s"}
    except requests.RequestException as error:
        return {"answer": f"{type(error).__name__}: {error}"}
    answer = answer_size(response.content) if response.status_code == 200 else response.status_code
    return {"answer": answer, "ms": round((time.perf_counter() - began) * 1000, 1)}


def run_wrk(server: Server, queries: list[Query], args: argparse.Namespace, logs: Path) -> dict:
    logs.mkdir(parents=True, exist_ok=True)
    bodies, output = logs / "bodies", logs / "wrk.json"
    bodies.write_bytes(b"".join(b"%d\n%s" % (len(text), text) for text in (q.text.encode() for q in queries)))
    command = ["wrk", "--threads", str(args.clients), "--connections", str(args.clients),
               "--duration", f"{args.duration}s", "--timeout", f"{args.timeout}s", "--script", str(LUA),
               server.url, "--", str(bodies), str(output)]
    cpu = server.cpu_seconds()
    with (logs / "wrk.log").open("wb") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=args.duration + 60)
    cpu = server.cpu_seconds() - cpu
    raw = json.loads(output.read_text())
    found = figures(raw, queries, args.timeout)
    found["server_cpu_cores"] = round(cpu / raw["duration_s"], 2)
    found["server_mb"] = mb(server.memory())
    return found


def figures(raw: dict, queries: list[Query], timeout: float) -> dict:
    """Throughput, latency and errors of one run, overall and per query, from what load.lua recorded."""
    latencies: dict[str, list[float]] = {q.name: [] for q in queries}  # answered or timed out, in seconds
    errors: dict[str, Counter] = {q.name: Counter() for q in queries}
    right = 0
    for thread in raw["threads"]:
        for index, status, seconds, valid in thread["answers"]:
            name = queries[index].name
            latencies[name].append(min(seconds, timeout))
            if seconds > timeout:
                errors[name]["timeout"] += 1
            elif status != 200:
                errors[name][str(status)] += 1
            elif not valid:
                errors[name]["invalid"] += 1
            else:
                right += 1
        if thread["pending"] is not None and thread["pending"][1] > timeout:
            name = queries[thread["pending"][0]].name
            latencies[name].append(timeout)
            errors[name]["timeout"] += 1
    every = sorted(s for found in latencies.values() for s in found)
    total = sum(errors.values(), Counter())
    if raw["socket_errors"]:
        total["socket"] = raw["socket_errors"]
    return {"answered": len(every), "right": right, "right_per_s": round(right / raw["duration_s"], 1),
            **percentiles(every), "errors": dict(total),
            "per_query": {name: {"n": len(found), **percentiles(sorted(found)), "errors": dict(errors[name])}
                          for name, found in latencies.items()}}


def percentiles(ordered: list[float]) -> dict:
    """Nearest-rank percentiles, in ms."""
    if not ordered:
        return {}
    at = {p: ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)] for p in (50, 90, 99)}
    return {"p50_ms": round(at[50] * 1000, 1), "p90_ms": round(at[90] * 1000, 1), "p99_ms": round(at[99] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def describe(found: dict) -> str:
    return (f"{found['right_per_s']} right answers/s, p50 {found.get('p50_ms', '–')} ms, p99 "
            f"{found.get('p99_ms', '–')} ms, errors {found['errors'] or 0}")


def ms(found: dict, key: str, timeout: float) -> str:
    if key not in found:
        return "–"
    value = found[key]
    return f"> {timeout * 1000:,.0f}" if value >= timeout * 1000 else f"{value:,.1f}" if value < 100 else \
        f"{value:,.0f}"


def ratio(ours: dict, peer: dict, key: str, timeout: float) -> str:
    """ours / peer. A latency at the timeout is only a lower bound, so the ratio is too, or unknown."""
    top, bottom = ours.get(key), peer.get(key)
    if not top or not bottom:
        return "–"
    capped = [key.endswith("_ms") and value >= timeout * 1000 for value in (top, bottom)]
    if all(capped):
        return "–"
    value = top / bottom
    text = f"{value:.2f}" if value < 10 else f"{value:,.0f}"
    return ("≥ " if capped[0] else "≤ " if capped[1] else "") + text


def markdown(report: dict) -> str:
    timeout = report["timeout_s"]
    lines = [f"{report['graph']}: {report['quads']:,} quads; {report['clients']} clients for {report['duration_s']} s "
             f"per system and mix; timeout {timeout} s", ""]
    head = ["mix", "system", "answered", "right answers/s", "p50 ms", "p99 ms", "errors", "server CPU (cores)",
            "server MB (PSS)"]
    lines += ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    systems = report["systems"]
    for mix in report["mixes"]:
        for system, found in systems.items():
            run = found.get(mix, {})
            errors = sum(run.get("errors", {}).values())
            kinds = ", ".join(f"{k}: {v}" for k, v in sorted(run.get("errors", {}).items()))
            lines.append(f"| {mix} | {system} | {run.get('answered', 0):,} | {run.get('right_per_s', 0):,} | "
                         f"{ms(run, 'p50_ms', timeout)} | {ms(run, 'p99_ms', timeout)} | "
                         f"{errors:,}{f' ({kinds})' if kinds else ''} | {run.get('server_cpu_cores', '–')} | "
                         f"{run.get('server_mb', '–')} |")
        if len(systems) == 2:
            ours, peer = (found.get(mix, {}) for found in systems.values())
            lines.append(f"| {mix} | nzkg / peer | | {ratio(ours, peer, 'right_per_s', timeout)} | "
                         f"{ratio(ours, peer, 'p50_ms', timeout)} | {ratio(ours, peer, 'p99_ms', timeout)} | | | |")
    lines.append("")
    for mix, names in report["mixes"].items():
        lines.append(f"{mix} mix ({len(names)} queries): {', '.join(names)}")
    for system, found in systems.items():
        expected = {name: report["queries"][name]["rows"] for name in found["check"]}
        unanswered = [name for name, seen in found["check"].items() if "ms" not in seen]
        differ = [f"{name} ({seen['answer']}, not {expected[name]})" for name, seen in found["check"].items()
                  if "ms" in seen and seen["answer"] != expected[name]]
        right = len(expected) - len(unanswered) - len(differ)
        lines.append(f"{system}: ready in {found['ready_s']} s, {found['ready_mb']} MB; alone, it answered "
                     f"{right} of {len(expected)} queries as pyoxigraph does"
                     + (f"; otherwise: {', '.join(differ)}" if differ else "")
                     + (f"; no answer within {timeout} s: {', '.join(unanswered)}" if unanswered else "")
                     + (f"; restarted {found['restarts']} times" if found["restarts"] else ""))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
