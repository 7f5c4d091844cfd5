"""Latency of each named query (queries/*.rq, bound to its default parameters) three ways, in one run:

  in-process   pyoxigraph on a copy of the store in memory, the result serialised to SPARQL JSON (what a
               server process does); with --on-disk also on the RocksDB store itself (`nzkg serve --on-disk`)
  endpoint     a real `nzkg serve --store` process, POST application/sparql-query, Accept SPARQL JSON
  peer         rdflib-endpoint (PyPI) serving the same N-Quads with its default in-memory store

Prints a Markdown table of medians (min–max) and ratios; --json FILE writes the raw numbers.

    python bench/queries.py --graph /tmp/g10k/nzkg.nq                # store: /tmp/g10k/store
    python bench/queries.py --graph G.nq --store DIR --runs 7 --timeout 60 --json out.json
    python bench/queries.py --graph G.nq --no-peer --on-disk
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
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
)

from nzkg.queries import named_queries
from nzkg.server import evaluate
from nzkg.store import QueryJob, memory_copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_graph_arguments(parser)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query and system (default: 7)")
    parser.add_argument("--peer", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure rdflib-endpoint (default: yes)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds one query may run, on the endpoint and on the peer (default: 60)")
    parser.add_argument("--peer-budget", type=float, default=120.0,
                        help="seconds of timed peer runs per query: fewer runs past it, at least one (default: 120)")
    parser.add_argument("--workers", type=int, default=2, help="nzkg serve --workers (default: 2)")
    parser.add_argument("--on-disk", action="store_true", help="also time in-process on the store on disk")
    parser.add_argument("--only", nargs="*", help="only these named queries")
    parser.add_argument("--json", type=Path, help="write the raw numbers here")
    parser.add_argument("--logs", type=Path, help="server logs (default: a temporary folder)")
    args = parser.parse_args(argv)
    stop_on_sigterm()

    store_dir = store_of(args)
    logs = args.logs or Path(tempfile.mkdtemp(prefix="nzkg-bench-"))
    queries = [(q.name, q.bound()) for q in named_queries() if not args.only or q.name in args.only]
    report: dict = {"graph": str(args.graph), "store": str(store_dir), "runs": args.runs, "timeout_s": args.timeout,
                    "queries": {name: {} for name, _ in queries}}

    log(f"in-process: {store_dir} read into memory")
    began = time.perf_counter()
    store = memory_copy(str(store_dir))
    report["memory_copy_s"] = round(time.perf_counter() - began, 2)
    report["quads"] = len(store)
    for name, text in queries:
        report["queries"][name]["inprocess"] = time_inprocess(store, text, args.runs)
        log(f"  {name}: {describe(report['queries'][name]['inprocess'])}")
    del store
    if args.on_disk:
        log(f"in-process, on disk: {store_dir}")
        store = ox.Store.read_only(str(store_dir))
        for name, text in queries:
            report["queries"][name]["ondisk"] = time_inprocess(store, text, args.runs)
            log(f"  {name}: {describe(report['queries'][name]['ondisk'])}")
        del store

    server = start_nzkg(store_dir, args.workers, args.timeout, UNLIMITED_MB, logs / "nzkg.log")
    log(f"endpoint: {server.url} ready in {server.ready_s:.1f} s, {mb(server.ready_memory)} MB")
    try:
        for name, text in queries:
            # the pool hands queries to its workers in turn: warm each one up
            report["queries"][name]["endpoint"] = time_http(server, text, args.runs, args.timeout + 15,
                                                            warmups=args.workers)
            log(f"  {name}: {describe(report['queries'][name]['endpoint'])}")
        report["endpoint"] = server_figures(server)
    finally:
        server.stop()

    if args.peer:
        report["peer"] = measure_peer(args, queries, report, logs)

    table = markdown(report)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        log(f"raw numbers: {args.json}")
    return 0


def measure_peer(args: argparse.Namespace, queries: list[tuple[str, str]], report: dict, logs: Path) -> dict:
    """rdflib-endpoint evaluates each query on its event loop to the end, whoever is still waiting: after a
    query runs out of time the peer is restarted (and loads the graph again) so the next one finds it idle."""
    figures: dict = {"loads": []}
    peer = None
    try:
        for name, text in queries:
            if peer is None:
                log(f"peer: loading {args.graph} into rdflib-endpoint")
                peer = start_peer(args.graph, logs / "peer.log")
                figures["loads"].append({"load_s": round(peer.ready_s, 2), "memory_mb": mb(peer.ready_memory)})
                log(f"peer: ready in {peer.ready_s:.1f} s, {mb(peer.ready_memory)} MB")
            result = time_http(peer, text, args.runs, args.timeout, warmups=1, budget=args.peer_budget)
            report["queries"][name]["peer"] = result
            log(f"  {name}: {describe(result)}")
            figures["peak_rss_mb"] = max(figures.get("peak_rss_mb", 0), mb(peer.peak_rss()))
            if result.get("timed_out") or not peer.alive():
                peer.stop()
                peer = None
    finally:
        if peer is not None:
            figures["peak_rss_mb"] = max(figures.get("peak_rss_mb", 0), mb(peer.peak_rss()))
            peer.stop()
    if figures["loads"]:
        figures["load_s"] = figures["loads"][0]["load_s"]
        figures["memory_mb"] = figures["loads"][0]["memory_mb"]
    return figures


def server_figures(server: Server) -> dict:
    return {"ready_s": round(server.ready_s, 2), "ready_mb": mb(server.ready_memory), "memory_mb": mb(server.memory()),
            **server.extra}


def time_inprocess(store: ox.Store, text: str, runs: int) -> dict:
    job = QueryJob(text, SPARQL_JSON, "text/turtle")
    samples, answer = [], None
    for i in range(runs + 1):
        began = time.perf_counter()
        answer = evaluate(store, job, UNLIMITED_MB * 1_000_000)
        elapsed = time.perf_counter() - began
        if i:  # the first run warms the caches
            samples.append(elapsed)
    if answer.status != 200:
        return {"error": f"{answer.status}: {answer.body[:200].decode(errors='replace')}"}
    return summary(samples, rows(answer.body))


def time_http(server: Server, text: str, runs: int, timeout: float, warmups: int, budget: float | None = None) -> dict:
    """POST the query `warmups` times untimed, then `runs` times timed (fewer once `budget` seconds are spent)."""
    headers = {"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON}
    samples: list[float] = []
    body = b""
    with requests.Session() as session:
        spent = 0.0
        for i in range(warmups + runs):
            began = time.perf_counter()
            try:
                response = session.post(server.url, data=text.encode(), headers=headers, timeout=timeout)
                body = response.content
            except requests.Timeout:
                return {"timed_out": True, "timeout_s": timeout}
            except requests.RequestException as error:
                return {"error": f"{type(error).__name__}: {error}"}
            elapsed = time.perf_counter() - began
            if response.status_code == 503 and b"longer than" in body:
                return {"timed_out": True, "timeout_s": timeout}
            if response.status_code != 200:
                return {"error": f"{response.status_code}: {body[:200].decode(errors='replace')}"}
            if i == 0 and budget is not None and elapsed > budget:  # one slow run is all the budget allows
                return summary([elapsed], rows(body), note="the warm-up run, as the only one")
            if i >= warmups:
                samples.append(elapsed)
                spent += elapsed
                if budget is not None and spent > budget:
                    break
    return summary(samples, rows(body))


def rows(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return len(data["results"]["bindings"]) if "results" in data else 1


def summary(samples: list[float], count: int | None, note: str | None = None) -> dict:
    found = {"median_ms": round(statistics.median(samples) * 1000, 2), "min_ms": round(min(samples) * 1000, 2),
             "max_ms": round(max(samples) * 1000, 2), "n": len(samples), "rows": count,
             "samples_ms": [round(s * 1000, 2) for s in samples]}
    if note:
        found["note"] = note
    return found


def describe(result: dict) -> str:
    if "error" in result:
        return f"error {result['error']}"
    if result.get("timed_out"):
        return f"> {result['timeout_s']:g} s"
    return f"{result['median_ms']:.1f} ms ({result['min_ms']:.1f}–{result['max_ms']:.1f}), {result['rows']} rows"


def cell(result: dict | None) -> str:
    if result is None:
        return "–"
    if "error" in result:
        return "error"
    if result.get("timed_out"):
        return f"> {result['timeout_s']:g} s"
    median, low, high = result["median_ms"], result["min_ms"], result["max_ms"]
    fmt = "{:.1f}" if median < 100 else "{:.0f}"
    text = f"{fmt.format(median)} ({fmt.format(low)}–{fmt.format(high)})"
    return text + (f" n={result['n']}" if result["n"] < 3 else "")


def ratio(top: dict | None, bottom: dict | None) -> str:
    if not top or not bottom or "median_ms" not in bottom or "error" in top:
        return "–"
    if top.get("timed_out"):
        return f"> {top['timeout_s'] * 1000 / bottom['median_ms']:.1f}"
    if "median_ms" not in top:
        return "–"
    value = top["median_ms"] / bottom["median_ms"]
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"  # 19.7 is not shown as 20


def markdown(report: dict) -> str:
    peer = "peer" in report
    disk = any("ondisk" in found for found in report["queries"].values())
    lines = [f"{report['graph']}: {report['quads']:,} quads, read into memory in {report['memory_copy_s']} s; "
             f"median of {report['runs']} runs (min–max), ms", ""]
    head = ["query", "rows", "in-process ms", "endpoint ms", "endpoint / in-process"]
    if disk:
        head += ["on disk ms", "on disk / in memory"]
    if peer:
        head += ["peer ms", "peer / endpoint"]
    lines += ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for name, found in report["queries"].items():
        inproc, endpoint, other = found.get("inprocess"), found.get("endpoint"), found.get("peer")
        counts = {k: v["rows"] for k, v in found.items() if v and v.get("rows") is not None}
        shown = str(counts.get("inprocess", "?"))
        if len(set(counts.values())) > 1:
            shown += " (" + ", ".join(f"{k} {v}" for k, v in counts.items() if k != "inprocess") + ")"
        row = [name, shown, cell(inproc), cell(endpoint), ratio(endpoint, inproc)]
        if disk:
            row += [cell(found.get("ondisk")), ratio(found.get("ondisk"), inproc)]
        if peer:
            row += [cell(other), ratio(other, endpoint)]
        lines.append("| " + " | ".join(row) + " |")
    if "endpoint" in report:
        e = report["endpoint"]
        lines += ["", f"endpoint: nzkg serve --workers {e['workers']} (waitress threads {e['threads']}): ready in "
                      f"{e['ready_s']} s, {e['ready_mb']} MB (PSS) at start, {e['memory_mb']} MB after the "
                      f"queries (supervisor + server processes)"]
    if peer:
        p = report["peer"]
        if p.get("loads"):
            lines.append(f"peer: rdflib-endpoint loaded the graph in {p['load_s']} s, {p['memory_mb']} MB (PSS) "
                         f"after loading, peak {p.get('peak_rss_mb', '?')} MB; loads: {len(p['loads'])} (it is "
                         "restarted after a query runs out of time)")
    return "\n".join(lines)



if __name__ == "__main__":
    sys.exit(main())
