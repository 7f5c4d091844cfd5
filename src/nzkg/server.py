"""Stage 6: serving. The processes that carry the web app, and how each of them answers queries within limits.

One supervisor binds the port, cuts itself off from the network, reads the graph into memory and forks the
server processes; each runs its own waitress on the shared listening socket and evaluates the queries of the
connections it accepted itself, in a thread of its own, so no answer passes through another process and no
single process (one GIL) caps the throughput. Forked, they have the store without loading it again.

Oxigraph cannot interrupt a query, so a query past its time limit, or one that takes more memory than a query
may, is stopped by ending its process: the process answers (503) and stops accepting connections, the
supervisor forks a replacement at once, and the old one exits when what it was answering is answered. A
process that dies any other way (the kernel's out-of-memory killer, a crash) is replaced too.

Oxigraph's in-memory store writes to most of its pages when it reads them (reference counts), so a forked
process soon holds its own copy of most of the store; each server process reads the whole store, and answers
one query through the app, as it starts, so that memory is taken then and stays flat while it serves.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillRunning
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from nzkg.store import (
    EngineFailed,
    NotAcceptable,
    QueryFailed,
    QueryJob,
    ResultTooLarge,
    answer,
    load_file,
    memory_copy,
)

CLONE_NEWNET, CLONE_NEWUSER = 0x40000000, 0x10000000  # <sched.h>; os has them only from Python 3.12
PR_SET_PDEATHSIG = 1  # <sys/prctl.h>
QUERY_STACK = 512 << 20  # Oxigraph's parser recurses once per operator: a 1 MB chain of them needs ~750 MB of stack
WATCH_INTERVAL = 0.02  # seconds between looks at a running query's time and its process's memory
PAGE = os.sysconf("SC_PAGE_SIZE")
M_ARENA_MAX = -8  # <malloc.h>
TRIM_SLACK = 16 << 20  # resident bytes a process may gain before it hands freed memory back to the system


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds a query may run
    max_result_bytes: int = 50_000_000
    max_query_memory: int | None = 1_000_000_000  # bytes one query may add to its process; None: no ceiling
    threads: int = 8  # requests one server process answers at once
    per_client: int | None = None  # queries one address may run at once in one process; None: threads - 1

    @property
    def share(self) -> int:
        return self.per_client if self.per_client is not None else max(1, self.threads - 1)


@dataclass(frozen=True)
class Answer:
    status: int  # an HTTP status: 200, or the error's
    media_type: str
    body: bytes


class Busy(Exception):
    """The client's share of the process stayed taken for as long as a query may run."""


class QueryStopped(Exception):
    """The query was stopped, with its process, before it finished; `why` says what it ran past."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def evaluate(store: ox.Store, job: QueryJob, max_bytes: int) -> Answer:
    """One job's answer, errors as answers with their HTTP status."""
    try:
        media_type, body = answer(store, job, max_bytes)
        return Answer(200, media_type, body)
    except NotAcceptable as error:
        return Answer(406, "text/plain", f"none of the accepted media types can carry {error}".encode())
    except QueryFailed as error:
        return Answer(400, "text/plain", str(error).encode())
    except ResultTooLarge:
        return Answer(413, "text/plain", f"the result is larger than {job.max_bytes or max_bytes} bytes; narrow the "
                                         "query or add a LIMIT".encode())
    except MemoryError:
        return Answer(503, "text/plain", b"the query needed more memory than a query may use and was stopped")
    except EngineFailed as error:
        print(f"nzkg: Oxigraph failed on a query: {error}", file=sys.stderr)
        return Answer(500, "text/plain", f"the query engine failed on this query ({error}); it was not "
                                         "answered".encode())


def resident_bytes() -> int:
    """This process's resident memory: cheap enough to read every few milliseconds."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE


def fewer_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives threads up to eight arenas per core, and each keeps what was freed in it: with two, the
    memory a server process holds after a burst of large answers stays near what it holds at rest."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)  # glibc only
    if mallopt is not None:
        mallopt(M_ARENA_MAX, arenas)


def release_free_memory() -> None:
    """Hand the memory malloc keeps after frees back to the system. glibc keeps what a large answer or a query's
    intermediate results freed (measured on 10,000 releases: a server process grew from 120 to 291 MB over the
    named queries, and stayed there; trimmed, it stays at 122-160 MB)."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only
    if trim is not None:
        trim(0)


@dataclass
class Evaluator:
    """Answers queries in this process: each runs in a thread of its own while the request's thread watches
    its time and the process's memory. A query past either limit ends the process (`retire`), which is the
    only way to stop Oxigraph. One address runs at most `limits.share` queries at once here, so one client's
    runaway queries always leave room for others; its further queries wait their turn."""

    store: ox.Store
    limits: Limits
    retire: Callable[[str], None] = lambda why: None
    stopping: str | None = field(default=None, init=False)  # why this process is ending, once it is
    _threads: ThreadPoolExecutor = field(init=False)
    _turns: threading.Condition = field(default_factory=threading.Condition, init=False)
    _running_for: Counter[str] = field(default_factory=Counter, init=False)
    _running: int = field(default=0, init=False)
    _idle_memory: int = field(default=0, init=False)  # resident bytes when no query ran
    _trimmed_to: int = field(default=0, init=False)  # resident bytes after freed memory was last handed back

    def __post_init__(self) -> None:
        threading.stack_size(QUERY_STACK)  # for every thread this process starts from now: the pool's start lazily
        self._threads = ThreadPoolExecutor(2 * self.limits.threads, thread_name_prefix="query")

    @property
    def timeout(self) -> float:
        return self.limits.timeout

    def run(self, job: QueryJob, client: str | None = None) -> Answer:
        """Answer a job; `client` names who asked, for its share (the server's own queries name none)."""
        with self._turn(client), self._watched():
            running = self._threads.submit(evaluate, self.store, job, self.limits.max_result_bytes)
            deadline = time.monotonic() + self.limits.timeout
            while True:
                with contextlib.suppress(StillRunning):
                    return running.result(WATCH_INTERVAL)
                if self.stopping == "memory" or self._over_memory():
                    self._stop("memory")
                if time.monotonic() > deadline:
                    self._stop("time")

    def _stop(self, why: str) -> None:
        if self.stopping is None:
            self.stopping = why
            self.retire(why)
        raise QueryStopped(why)

    def _over_memory(self) -> bool:
        if self.limits.max_query_memory is None:
            return False
        return resident_bytes() > self._idle_memory + self._running * self.limits.max_query_memory

    @contextlib.contextmanager
    def _turn(self, client: str | None) -> Iterator[None]:
        if client is None:
            yield
            return
        with self._turns:
            if not self._turns.wait_for(lambda: self._running_for[client] < self.limits.share, self.limits.timeout):
                raise Busy
            self._running_for[client] += 1
        try:
            yield
        finally:
            with self._turns:
                self._running_for[client] -= 1
                if not self._running_for[client]:
                    del self._running_for[client]
                self._turns.notify_all()

    @contextlib.contextmanager
    def _watched(self) -> Iterator[None]:
        with self._turns:
            if not self._running:
                self._idle_memory = resident_bytes()
                self._trimmed_to = self._trimmed_to or self._idle_memory
            self._running += 1
        try:
            yield
        finally:
            with self._turns:
                self._running -= 1
            if resident_bytes() > self._trimmed_to + TRIM_SLACK:
                release_free_memory()
                self._trimmed_to = resident_bytes()


# ---- the processes ----------------------------------------------------------------------------------------


def cut_off_network() -> bool:
    """Move this process into a network namespace of its own, with no interface up: Oxigraph's SERVICE client
    then cannot reach any address, whatever slips past the query check, while the listening socket bound before
    keeps accepting in the namespace it was made in. Needs Linux and either root or unprivileged user namespaces;
    it must run while the process has one thread."""
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError):
        return False
    return any(unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


@dataclass(frozen=True)
class Source:
    """Where the served graph comes from: a graph file or a store directory, read into memory or (`in_memory`
    False, a store only) answered from the store on disk."""

    graph: Path | None = None
    store: Path | None = None
    in_memory: bool = True

    def load(self) -> ox.Store | None:
        """The store in memory, read once by the supervisor; None when each process opens the store on disk
        (RocksDB handles do not survive a fork)."""
        if not self.in_memory:
            return None
        return load_file(self.graph) if self.graph is not None else memory_copy(str(self.store))

    def open(self, loaded: ox.Store | None) -> ox.Store:
        return loaded if loaded is not None else ox.Store.read_only(str(self.store))


def warm_up(store: ox.Store) -> None:
    """Read every quad once, so the pages Oxigraph writes while reading are copied now, not while serving."""
    store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    listener = socket.create_server((host, port), backlog=backlog)
    listener.set_inheritable(True)
    return listener


WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class InFlight:
    """Counts the requests a process is answering, from their arrival until their body is written out."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        with self.lock:
            self.count += 1
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self.done()
            raise
        return ClosingBody(body, self.done)

    def done(self) -> None:
        with self.lock:
            self.count -= 1


class ClosingBody:
    """A response body that says when the server has closed it (WSGI's close()), that is, written it out."""

    def __init__(self, body: Iterable[bytes], closed: Callable[[], None]) -> None:
        self.body, self.closed = body, closed

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.closed()


@dataclass
class Supervisor:
    """Forks `processes` server processes on one listening socket, each running waitress (with
    `waitress_options`) over the app `make_app` makes for its evaluator, and keeps that many serving."""

    listener: socket.socket
    processes: int
    make_app: Callable[[Evaluator], WSGIApp]
    source: Source
    limits: Limits
    waitress_options: dict[str, object]
    meanwhile: Callable[[], object] = lambda: None  # work done while the store loads, such as imports to share
    _store: ox.Store | None = None
    _serving: set[int] = field(default_factory=set)
    _retiring: set[int] = field(default_factory=set)
    _notices: tuple[int, int] = (-1, -1)

    def run(self) -> None:
        """Serve until SIGTERM or Ctrl-C; the server processes end with this one."""
        fewer_malloc_arenas()
        with ThreadPoolExecutor(1) as loader:  # Oxigraph loads without the GIL
            loading = loader.submit(self.source.load)
            self.meanwhile()
            self._store = loading.result()
        self._notices = os.pipe()
        for _ in range(self.processes):
            self._fork()
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            while True:
                self._watch()
        finally:
            for pid in self._serving | self._retiring:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def _watch(self) -> None:
        """Replace a process as soon as it says it is retiring or ends unannounced; reap those that end."""
        ready, _, _ = select.select([self._notices[0]], [], [], 0.1)
        if ready:
            for line in os.read(self._notices[0], 4096).split():
                pid = int(line)
                if pid in self._serving:
                    self._serving.discard(pid)
                    self._retiring.add(pid)
                    self._fork()
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            self._retiring.discard(pid)
            if pid in self._serving:
                self._serving.discard(pid)
                print(f"nzkg: server process {pid} ended ({describe(status)}); starting another", file=sys.stderr)
                self._fork()

    def _fork(self) -> None:
        gc.freeze()  # the collector then leaves the objects made so far alone, so their pages stay shared
        pid = os.fork()
        if pid:
            self._serving.add(pid)
            return
        code = 0
        try:
            self._serve_here()
        except BaseException:  # whatever happened, never back into the supervisor's loop
            logging.getLogger("nzkg").exception("server process failed")
            code = 1
        finally:
            os._exit(code)

    def _serve_here(self) -> None:
        from waitress import create_server

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # end with the supervisor, however it ends
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the supervisor, which stops this
        os.environ["RUST_BACKTRACE"] = "0"  # a panic in Oxigraph is logged in one line, not kilobytes of frames
        os.close(self._notices[0])
        store = self.source.open(self._store)
        if self._store is not None:
            warm_up(store)
        evaluator = Evaluator(store, self.limits)
        app = InFlight(self.make_app(evaluator))
        answer_once(app)
        server = create_server(app, sockets=[self.listener], threads=self.limits.threads, **self.waitress_options)

        def idle() -> bool:
            return not app.count and not any(getattr(channel, "total_outbufs_len", 0)
                                             for channel in list(server._map.values()))

        def stop_accepting() -> None:
            server.accepting = False
            server.pull_trigger()

        def retire(why: str) -> None:
            os.write(self._notices[1], f"{os.getpid()}\n".encode())
            threading.Thread(target=drain_then_exit, args=(evaluator, idle, stop_accepting), daemon=True).start()

        evaluator.retire = retire
        server.run()


WARM_UP_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100"


def answer_once(app: WSGIApp) -> None:
    """Answer one query through the whole app before serving: the first request's costs (lazy imports, caches,
    the copies of shared Python pages its code writes to) are paid at start, not by a client."""
    from werkzeug.test import Client

    Client(app).post("/sparql", data=WARM_UP_QUERY, headers={"Content-Type": "application/sparql-query",
                                                             "Accept": "application/sparql-results+json"})


def describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def drain_then_exit(evaluator: Evaluator, idle: Callable[[], bool], stop_accepting: Callable[[], None]) -> None:
    """Once the evaluator is stopping: accept no more connections, let what this process is answering be
    answered (a query stopped for memory ends it at once), then end the process and the query it stopped."""
    stop_accepting()
    patience = 1.0 if evaluator.stopping == "memory" else evaluator.limits.timeout + 5
    deadline = time.monotonic() + patience
    while not idle() and time.monotonic() < deadline:
        time.sleep(0.05)
    os._exit(0)
