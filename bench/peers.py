"""`nzkg serve` against what a user would pick instead, Oxigraph's own server (PyPI: oxigraph), in memory and
read-only on disk, on one graph, the systems interleaved in one run so that they share the machine's moods:

  start-up   from the command until the first answer over the data, and the memory (PSS of the whole process
             tree) then; each system started `--rounds` times in turn
  named      each named query (queries/*.rq, default parameters), `--runs` timed runs per system in turn,
             as a ratio to in-process pyoxigraph on the graph in memory (the result serialised to SPARQL JSON)
  tiny       one IRI's properties, and ASK {}: `--tiny-runs` runs per system in turn, on a kept-alive connection
  load       load.py's small mix (lookups and the named queries under `--small-ms` in-process) from
             `--clients` wrk clients, `--duration` s per system per round, `--rounds` rounds in turn
  memory     PSS of each server's process tree after all of that

nzkg serves the graph file (`nzkg serve --graph`, read into memory); Oxigraph in memory is loaded by POSTing the
N-Quads to its /store (counted in its start-up); Oxigraph on disk serves a store `oxigraph load` made before
(not counted). Every server has the union of the graphs as its default graph. Oxigraph runs as users run it, with
no query time limit (`--peer-timeout` gives it nzkg's: its `--timeout-s` starts a thread per query, and under
the 32-client load of 10k releases its in-memory server ran out of memory for them and crashed).

    python bench/peers.py --graph /tmp/g10k.nq --json peers-10k.json
    python bench/peers.py --graph /tmp/g100k.nq --rounds 1 --runs 3 --json peers-100k.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests
from load import lookup_queries, run_wrk, time_inprocess
from servers import (
    SPARQL_JSON,
    Server,
    log,
    mb,
    oxigraph_store,
    start_nzkg_graph,
    start_oxigraph_disk,
    start_oxigraph_memory,
    stop_on_sigterm,
)

from nzkg.queries import named_queries
from nzkg.store import load_file

OURS, MEMORY, DISK = "nzkg", "oxigraph (memory)", "oxigraph (disk)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", type=Path, required=True, help="the built graph, N-Quads (.nq)")
    parser.add_argument("--oxigraph-store", type=Path, help="Oxigraph's store on disk (default: GRAPH.oxigraph, "
                                                            "made with `oxigraph load` if missing)")
    parser.add_argument("--rounds", type=int, default=2, help="start-ups and load runs per system (default: 2)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per named query and system (default: 5)")
    parser.add_argument("--tiny-runs", type=int, default=200,
                        help="timed runs per tiny query and system (default: 200)")
    parser.add_argument("--clients", type=int, default=32, help="wrk clients (default: %(default)s)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per load run (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=30, help="query time limit of every server, and the seconds "
                                                                "an answer may take under load (default: 30)")
    parser.add_argument("--peer-timeout", action="store_true", help="give Oxigraph the time limit too")
    parser.add_argument("--on-disk", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure Oxigraph's server on disk (default: yes); without a time limit, its "
                             "slowest queries on a large graph run on after the client gave up, beside the others")
    parser.add_argument("--small-ms", type=float, default=50.0, help="named queries under this in-process are in "
                                                                     "the small mix (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2), help="nzkg serve --workers")
    parser.add_argument("--json", type=Path, help="write the raw numbers here")
    parser.add_argument("--logs", type=Path, help="server and wrk logs (default: a temporary folder)")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    logs = args.logs or Path(tempfile.mkdtemp(prefix="nzkg-peers-"))

    log(f"in-process: reading {args.graph} into memory")
    store = load_file(args.graph)
    quads = len(store)
    named = [time_inprocess(store, q.name, q.bound()) for q in named_queries()]
    lookups = [time_inprocess(store, name, text) for name, text in lookup_queries()]
    del store
    small = lookups + [q for q in named if q.inprocess_ms < args.small_ms]
    peer_timeout = args.timeout if args.peer_timeout else None
    starters: dict[str, Callable[[], Server]] = {
        OURS: lambda: start_nzkg_graph(args.graph, args.workers, args.timeout, logs / "nzkg.log"),
        MEMORY: lambda: start_oxigraph_memory(args.graph, peer_timeout, logs / "oxigraph-memory.log"),
    }
    if args.on_disk:
        disk_store = oxigraph_store(args.graph, args.oxigraph_store or args.graph.with_suffix(".oxigraph"))
        starters[DISK] = lambda: start_oxigraph_disk(disk_store, peer_timeout, logs / "oxigraph-disk.log")
    report: dict = {"graph": str(args.graph), "quads": quads, "workers": args.workers, "clients": args.clients,
                    "inprocess_ms": {q.name: q.inprocess_ms for q in named + lookups},
                    "small_mix": [q.name for q in small], "systems": {name: {"starts": []} for name in starters}}
    systems = report["systems"]

    for _ in range(args.rounds - 1):
        for name, begin in starters.items():
            server = begin()
            systems[name]["starts"].append({"ready_s": round(server.ready_s, 2), "ready_mb": mb(server.ready_memory)})
            server.stop()
    servers: dict[str, Server] = {}
    try:
        for name, begin in starters.items():
            servers[name] = begin()
            systems[name]["starts"].append({"ready_s": round(servers[name].ready_s, 2),
                                            "ready_mb": mb(servers[name].ready_memory)})
            log(f"{name}: ready in {servers[name].ready_s:.1f} s, {mb(servers[name].ready_memory)} MB")
        sessions = {name: requests.Session() for name in servers}
        for query in named:
            times = interleaved(servers, sessions, query.text, args.runs, args.timeout)
            for name, found in times.items():
                systems[name].setdefault("named_ms", {})[query.name] = found
            log(f"{query.name}: in-process {query.inprocess_ms} ms; " +
                ", ".join(f"{n} {statistics.median(t) if t else '–'} ms" for n, t in times.items()))
        iri = sorted({p.default for q in named_queries() for p in q.parameters if p.type == "iri"})[0]
        for tiny, text in {"lookup": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", "ask": "ASK {}"}.items():
            for name, found in interleaved(servers, sessions, text, args.tiny_runs, args.timeout).items():
                systems[name].setdefault("tiny_ms", {})[tiny] = found
        for round_number in range(args.rounds):
            for name, server in servers.items():
                found = run_wrk(server, small, args, logs / f"{name}-{round_number}")
                systems[name].setdefault("load", []).append({key: found.get(key) for key in (
                    "right_per_s", "p50_ms", "p99_ms", "errors", "server_cpu_cores")})
                log(f"{name} load: {found['right_per_s']} answers/s, p99 {found.get('p99_ms')} ms")
        for name, server in servers.items():
            systems[name]["after_mb"] = mb(server.memory())
    finally:
        for server in servers.values():
            server.stop()
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        log(f"raw numbers: {args.json}")
    return 0


def interleaved(servers: dict[str, Server], sessions: dict[str, requests.Session], text: str, runs: int,
                timeout: float) -> dict[str, list[float]]:
    """Milliseconds per run of one query on each server, the servers taking turns; one untimed run each first.
    A run without a 200 answer within `timeout` s is left out and logged (Oxigraph has no time limit here)."""
    headers = {"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON}
    times: dict[str, list[float]] = {name: [] for name in servers}
    for run in range(runs + 1):
        for name, server in servers.items():
            began = time.perf_counter()
            try:
                response = sessions[name].post(server.url, data=text.encode(), headers=headers, timeout=timeout)
                failed = None if response.status_code == 200 else f"{response.status_code} {response.text[:100]}"
            except requests.RequestException as error:
                failed = f"{type(error).__name__}"
                sessions[name] = requests.Session()
            elapsed = (time.perf_counter() - began) * 1000
            if failed:
                log(f"{name}: no answer to {text[:60]!r}: {failed}")
            elif run:
                times[name].append(round(elapsed, 2))
    return times


def markdown(report: dict) -> str:
    systems, base = report["systems"], report["inprocess_ms"]

    def ratios(name: str) -> list[float]:
        return sorted(statistics.median(t) / base[q] for q, t in systems[name]["named_ms"].items() if t and base[q] > 0)

    def start(name: str, key: str) -> float:
        return statistics.median(s[key] for s in systems[name]["starts"])

    def load(name: str, key: str) -> float:
        return statistics.median(run[key] for run in systems[name]["load"])

    rows = {
        "named queries, time ÷ in-process (median over the queries; min–max)":
            lambda n: f"{statistics.median(ratios(n)):.2f} ({ratios(n)[0]:.2f}–{ratios(n)[-1]:.2f}; "
                      f"{len(ratios(n))} answered)",
        "one IRI's properties, median ms": lambda n: f"{statistics.median(systems[n]['tiny_ms']['lookup']):.2f}",
        "ASK {}, median ms": lambda n: f"{statistics.median(systems[n]['tiny_ms']['ask']):.2f}",
        f"small mix, {report['clients']} clients, answers/s": lambda n: f"{load(n, 'right_per_s'):,.0f}",
        "p99 of that mix, ms": lambda n: f"{load(n, 'p99_ms'):,.1f}",
        "start until the first answer, s": lambda n: f"{start(n, 'ready_s'):.2f}",
        "PSS at start / after the queries and load, MB":
            lambda n: f"{start(n, 'ready_mb'):,.0f} / {systems[n]['after_mb']:,.0f}",
    }
    head = f"{report['graph']}: {report['quads']:,} quads; nzkg serve --workers {report['workers']}"
    lines = [head, "", "| measure | " + " | ".join(systems) + " | nzkg ÷ oxigraph (memory) |",
             "|---|" + "---:|" * (len(systems) + 1)]
    numeric = {
        "named": lambda n: statistics.median(ratios(n)),
        "lookup": lambda n: statistics.median(systems[n]["tiny_ms"]["lookup"]),
        "ask": lambda n: statistics.median(systems[n]["tiny_ms"]["ask"]),
        "throughput": lambda n: load(n, "right_per_s"),
        "p99": lambda n: load(n, "p99_ms"),
        "start": lambda n: start(n, "ready_s"),
        "memory": lambda n: systems[n]["after_mb"],
    }
    for (label, cell), measure in zip(rows.items(), numeric.values(), strict=True):
        ratio = measure(OURS) / measure(MEMORY) if measure(MEMORY) else float("nan")
        lines.append(f"| {label} | " + " | ".join(cell(n) for n in systems) + f" | {ratio:.2f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
