"""Servers the benchmarks start and stop: `nzkg serve` and the peer, rdflib-endpoint, each as a real process
on a free 127.0.0.1 port, and what they cost in memory. Used by queries.py and load.py; not a script."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

from nzkg.store import store_from_file

HOST = "127.0.0.1"
UNLIMITED_MB = 10_000  # result cap given to nzkg serve: the benchmarks measure whole results, never a 413
SPARQL_JSON = "application/sparql-results+json"
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A server process (in its own process group, with whatever it spawns) answering at `url`."""

    name: str
    process: subprocess.Popen
    url: str  # the SPARQL endpoint
    log: Path
    ready_s: float = 0.0  # from start until it first answered
    ready_memory: int = 0  # bytes (PSS), the whole process tree, when it first answered
    extra: dict = field(default_factory=dict)

    def tree(self) -> list[psutil.Process]:
        try:
            main = psutil.Process(self.process.pid)
            return [main, *main.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def memory(self) -> int:
        """Memory of the server and its children, in bytes: their proportional set size, so the pages that forked
        server processes share are counted once."""
        total = 0
        for proc in self.tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += proc.memory_full_info().pss
        return total

    def peak_rss(self) -> int:
        """The largest resident memory each process of the tree has had (VmHWM), added up, in bytes: for one
        process (the peer) its peak; pages shared between processes are counted in each."""
        total = 0
        for proc in self.tree():
            try:
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1]) * 1024
            except (OSError, psutil.NoSuchProcess):
                pass
        return total

    def cpu_seconds(self) -> float:
        total = 0.0
        for proc in self.tree():
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
            except ProcessLookupError:
                pass
        # workers of a killed server die with its group; make sure none lingers
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


def start(name: str, command: list[str], url: str, log: Path, ready_timeout: float,
          probe_headers: dict[str, str] | None = None, probe: str | None = None) -> Server:
    """Start `command` in its own session and wait until a GET of `probe` (default: its endpoint `url`)
    answers 200."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, cwd=REPO)
    server = Server(name, process, url, log)
    try:
        wait_ready(server, ready_timeout, probe_headers, probe or url)
    except BaseException:  # SIGTERM or Ctrl-C while it starts: nobody else holds it to stop it
        server.stop()
        raise
    return server


def wait_ready(server: Server, ready_timeout: float, probe_headers: dict[str, str] | None, probe: str) -> None:
    began = time.monotonic()
    while time.monotonic() < began + ready_timeout:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}: "
                               f"{server.log.read_text(errors='replace')[-2000:]}")
        try:
            if requests.get(probe, headers=probe_headers or {}, timeout=5).status_code == 200:
                server.ready_s = time.monotonic() - began
                server.ready_memory = server.memory()
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not answer within {ready_timeout:g} s (log: {server.log})")


def start_nzkg(store: Path, workers: int, timeout: float, max_result_mb: float, log: Path) -> Server:
    """`nzkg serve --store`, as users run it (waitress with max(8, 2 × workers) threads)."""
    port = free_port()
    command = [sys.executable, "-m", "nzkg.cli", "serve", "--store", str(store), "--host", HOST, "--port", str(port),
               "--workers", str(workers), "--timeout", str(timeout), "--max-result-mb", str(max_result_mb)]
    server = start("nzkg", command, f"http://{HOST}:{port}/sparql", log, ready_timeout=900)
    server.extra = {"workers": workers, "threads": max(8, 2 * workers), "timeout": timeout}
    return server


def start_peer(graph: Path, log: Path, ready_timeout: float = 3600) -> Server:
    """rdflib-endpoint's own CLI: it parses the file into an rdflib Dataset (default store, in memory) with
    default_union=True, so its default graph is the union of the named graphs, as ours is. Its CLI serves the
    endpoint at / (not /sparql, whatever its help says), and evaluates each query to its end on its one event
    loop: a slow query holds up every other."""
    port = free_port()
    command = [sys.executable, "-m", "rdflib_endpoint", "serve", str(graph), "--host", HOST, "--port", str(port)]
    # without a query it answers with its service description
    return start("rdflib-endpoint", command, f"http://{HOST}:{port}/", log, ready_timeout,
                 probe_headers={"Accept": "text/turtle"})


def stop_on_sigterm() -> None:
    """Make SIGTERM (`timeout`, a CI runner) end the script like Ctrl-C does, through its `finally` blocks, so
    the servers it started are stopped rather than left running in their own sessions."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def wait_idle(server: Server, limit: float, cpu_below: float = 0.05) -> bool:
    """Wait (at most `limit` s) until the server tree spends under `cpu_below` of a core: a server that runs
    queries to their end after their clients gave up (rdflib-endpoint) must finish them before it is measured
    again."""
    deadline = time.monotonic() + limit
    last = server.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = server.cpu_seconds()
        if now - last < cpu_below:
            return True
        last = now
    return False


def mb(n: int) -> float:
    return round(n / 1e6, 1)


def add_graph_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--graph", type=Path, required=True, help="the built graph (.nq) the peer loads")
    parser.add_argument("--store", type=Path, help="its Oxigraph store (default: store/ beside the graph, which "
                                                   "nzkg build keeps; made from the graph if missing)")


def store_of(args: argparse.Namespace) -> Path:
    """The store the arguments name, loaded from the graph first if it is missing."""
    store = args.store or args.graph.parent / "store"
    if not (store / "CURRENT").exists():
        log(f"no store at {store}: loading {args.graph} into it")
        store_from_file(args.graph, store)
    return store


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def start_nzkg_graph(graph: Path, workers: int, timeout: float, log: Path) -> Server:
    """`nzkg serve --graph`, as users run it: the graph file read straight into memory."""
    port = free_port()
    command = [sys.executable, "-m", "nzkg.cli", "serve", "--graph", str(graph), "--host", HOST, "--port", str(port),
               "--workers", str(workers), "--timeout", str(timeout), "--max-result-mb", str(UNLIMITED_MB)]
    url = f"http://{HOST}:{port}/sparql"
    server = start("nzkg", command, url, log, ready_timeout=900, probe=url + "?query=ASK%7B%7D")  # as Oxigraph's
    server.extra = {"workers": workers, "timeout": timeout}
    return server


ASK_EMPTY = "%s/query?query=ASK%%7B%%7D"  # Oxigraph answers a GET without a query with 400


def oxigraph_command() -> list[str]:
    """Oxigraph's own server (PyPI: oxigraph), from the venv's scripts or the PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return [str(beside)] if beside.exists() else ["oxigraph"]


def time_limit(timeout: float | None) -> list[str]:
    """Oxigraph's option to stop queries (0.5.13 has one; off by default)."""
    return [] if timeout is None else ["--timeout-s", str(int(timeout))]


def start_oxigraph_memory(graph: Path, timeout: float | None, log: Path) -> Server:
    """`oxigraph serve` without a location (an in-memory store), then the N-Quads POSTed to its /store, as its
    documentation loads one: ready once that load is answered. The union of the graphs is its default graph, as
    ours is."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    command = [*oxigraph_command(), "serve", "--bind", f"{HOST}:{port}", "--union-default-graph",
               *time_limit(timeout)]
    began = time.monotonic()
    server = start("oxigraph (memory)", command, url + "/query", log, ready_timeout=60, probe=ASK_EMPTY % url)
    with graph.open("rb") as data:
        response = requests.post(url + "/store", data=data, headers={"Content-Type": "application/n-quads"},
                                 timeout=3600)
    response.raise_for_status()
    server.ready_s = time.monotonic() - began
    server.ready_memory = server.memory()
    return server


def oxigraph_store(graph: Path, directory: Path) -> Path:
    """An Oxigraph store on disk holding the graph, made with `oxigraph load` (the build step, not timed)."""
    if not (directory / "CURRENT").exists():
        subprocess.run([*oxigraph_command(), "load", "--location", str(directory), "--file", str(graph)], check=True,
                       capture_output=True)
    return directory


def start_oxigraph_disk(store: Path, timeout: float | None, log: Path) -> Server:
    """`oxigraph serve-read-only` on a store made by `oxigraph load`."""
    port = free_port()
    command = [*oxigraph_command(), "serve-read-only", "--location", str(store), "--bind", f"{HOST}:{port}",
               "--union-default-graph", *time_limit(timeout)]
    url = f"http://{HOST}:{port}"
    return start("oxigraph (disk)", command, url + "/query", log, ready_timeout=600, probe=ASK_EMPTY % url)
