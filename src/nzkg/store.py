"""Stage 5: the graph in an Oxigraph store, and queries on it that can be stopped.

rdflib's own SPARQL engine is far too slow, so queries run on Oxigraph. Its Python API cannot interrupt a
running query, so the endpoint evaluates queries in worker processes (`QueryPool`): a query past its time
limit dies with its process, which is replaced, and other queries carry on in the other workers. Workers
answer from a copy of the store in memory, several times faster than RocksDB, shared by forking them all from
one process that holds it. This module imports nothing heavier than pyoxigraph, so that process starts fast.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import queue
import re
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from nzkg.formats import Format, by_media_type, rdf_file_format, write_rdf
from nzkg.terms import prefixes

SOURCE_MARKER = "nzkg-source.json"
SHARED_FILE = "nzkg-shared.nq"  # the quads no single release owns, to diff against next time
IN_USE = "nzkg-in-use.lock"  # in each store version: servers hold it shared, a build exclusively to delete it
CLONE_NEWNET, CLONE_NEWUSER = 0x40000000, 0x10000000  # <sched.h>; os has them only from Python 3.12


LOAD_BATCH = 200_000  # quads per bulk load: Oxigraph's loader buffers a whole load, up to 2 GB per thread


def load_file(path: Path, store: ox.Store | None = None) -> ox.Store:
    """Bulk-load a graph file into a store (an in-memory one unless given), a batch at a time so that memory
    stays flat however large the file."""
    store = store if store is not None else ox.Store()
    quads = ox.parse(path=str(path), format=rdf_file_format(path).oxigraph)
    while batch := list(itertools.islice(quads, LOAD_BATCH)):
        store.bulk_extend(batch)
    return store


def query(store: ox.Store, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Queries see the union of all graphs as their default graph, as analysts expect."""
    return store.query(sparql, use_default_graph_as_union=True)


def export(store: ox.Store, fmt: Format, out: BinaryIO, base: str) -> None:
    """The whole store in one syntax, with the project's prefixes; a syntax without named graphs gets the
    union of them all."""
    if fmt.keeps_graphs:
        store.dump(out, format=fmt.oxigraph, prefixes=prefixes(base))
    else:
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        ox.serialize(union, out, format=fmt.oxigraph, prefixes=prefixes(base))


def fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store_from_file(graph: Path, directory: Path, state: StoreState | None = None, shared: str = "") -> Path:
    """A persistent store holding exactly the graph file: reused when it already does, otherwise loaded in
    bulk into a new directory that then replaces the old one, so no reader ever sees a half-loaded store.
    `state` and `shared` are kept beside it for the next incremental update (`update_store`)."""
    sha = fingerprint(graph)
    return directory if holds(directory, sha) else load_afresh(graph, sha, directory, state, shared)


def load_afresh(graph: Path, sha: str, directory: Path, state: StoreState | None, shared: str) -> Path:
    fresh = fresh_directory(directory)
    with written_whole("the store", directory, lambda: discard(fresh, directory)):
        store = ox.Store(str(fresh))
        load_file(graph, store)
        store.optimize()
        del store
        return swap_in(fresh, directory, graph, sha, state, shared)


@dataclass
class StoreChange:
    """What turns a store holding one build's graph into one holding the next build's."""

    drop_graphs: list[str]  # named graphs to remove whole
    add_graphs: list[str]  # named graphs added whole (some of them again, after being dropped)
    remove: list[str]  # N-Quads lines to delete
    add: Callable[[], Iterable[str]]  # the N-Quads lines to add, read only when needed


@dataclass(frozen=True)
class StoreState:
    """What a build records in the store it made, for the next build to tell what the store holds: each release's
    named graph with the cache key of the outcome in it, and whether entailments are in. Kept as JSON in the
    store's marker file (SOURCE_MARKER), under "state"."""

    releases: dict[str, str]
    reason: bool

    def to_json(self) -> dict[str, object]:
        return {"releases": self.releases, "reason": self.reason}

    @staticmethod
    def from_json(data: object) -> StoreState | None:
        """None for a store no build recorded a state in: one loaded from a graph file alone (`nzkg serve`)."""
        if not isinstance(data, dict) or "reason" not in data:
            return None
        return StoreState(dict(data.get("releases", {})), data["reason"])


@dataclass(frozen=True)
class Recorded:
    """What the last update recorded in a store: the build's state, and the N-Quads of the graphs no release
    owns (SHARED_FILE)."""

    state: StoreState | None
    shared: str


def stored_state(directory: Path, graph: Path) -> Recorded | None:
    """What the last update recorded in the store, if the store still holds exactly that graph file."""
    marker = directory / SOURCE_MARKER
    try:
        recorded = json.loads(marker.read_text())
        shared = (directory / SHARED_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if recorded.get("graph") != str(graph.resolve()) or not graph.exists() or recorded.get("sha256") != \
            fingerprint(graph):
        return None
    return Recorded(StoreState.from_json(recorded.get("state", {})), shared)


def update_store(graph: Path, directory: Path, change: StoreChange | None, state: StoreState, shared: str) -> Path:
    """Bring the store in line with the graph file just written: by applying `change` to a copy of the store
    (a checkpoint: hard links, no data copied) that then replaces it, or, without a change, by loading the
    file in full. Either way a reader sees the old store or the new one, never a mix."""
    sha = fingerprint(graph)
    if holds(directory, sha):
        return directory
    if change is None or not (directory / "CURRENT").exists():
        return load_afresh(graph, sha, directory, state, shared)
    fresh = fresh_directory(directory)
    with written_whole("the store", directory, lambda: discard(fresh, directory)):
        ox.Store.read_only(str(directory)).backup(str(fresh))
        store = ox.Store(str(fresh))
        for name in change.drop_graphs:
            node = ox.NamedNode(name)
            if store.contains_named_graph(node):
                store.remove_graph(node)
        for quad in ox.parse("".join(change.remove).encode(), format=ox.RdfFormat.N_QUADS):
            store.remove(quad)
        with tempfile.NamedTemporaryFile("w", dir=fresh.parent, prefix=f".{directory.name}.", suffix=".tmp",
                                         encoding="utf-8") as added:
            added.writelines(change.add())
            added.flush()
            store.bulk_load(path=added.name, format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        return swap_in(fresh, directory, graph, sha, state, shared)


def holds(directory: Path, sha: str) -> bool:
    """Whether the store was made from a graph file with this fingerprint."""
    try:
        return json.loads((directory / SOURCE_MARKER).read_text()).get("sha256") == sha
    except (OSError, ValueError):
        return False


def fresh_directory(directory: Path) -> Path:
    """Where the next version of a store is made: beside it, under a name of its own."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    return directory.with_name(f"{directory.name}.{time.time_ns()}")


def swap_in(fresh: Path, directory: Path, graph: Path, sha: str, state: StoreState | None, shared: str) -> Path:
    """Record what the new store holds, then make `directory` point to it: the store path is a symbolic link
    to the current version, replaced in one atomic rename, so there is no moment without a whole store. The
    version before stays on disk for servers that are still opening it; older ones and unfinished ones go,
    unless a server holds them (`pin`)."""
    (fresh / IN_USE).touch()  # made here, so that a server that may not write to the store can still pin it
    (fresh / SHARED_FILE).write_text(shared, encoding="utf-8")
    (fresh / SOURCE_MARKER).write_text(json.dumps({"graph": str(graph.resolve()), "sha256": sha,
                                                   "state": state.to_json() if state else {}}))
    previous = directory.resolve() if directory.is_symlink() else None
    if directory.is_dir() and not directory.is_symlink():  # a store from before stores were versioned
        previous = fresh_directory(directory)
        os.replace(directory, previous)
    link = directory.with_name(directory.name + ".link")
    link.unlink(missing_ok=True)
    link.symlink_to(fresh.name)
    os.replace(link, directory)
    keep = {fresh.name, previous.name if previous else None}
    for version in directory.parent.glob(directory.name + ".*"):  # and a checkpoint's ".tmp", if one was cut off
        if re.fullmatch(rf"{re.escape(directory.name)}\.\d+(\.tmp)?", version.name) and version.name not in keep:
            remove_unless_in_use(version)
    for leftover in directory.parent.glob(f".{directory.name}.*.tmp"):  # changes of an update cut off
        leftover.unlink()
    return directory


def discard(fresh: Path, directory: Path) -> None:
    """Remove a version that failed to be made, unless it had already become the current one."""
    if directory.resolve() != fresh.resolve():
        shutil.rmtree(fresh, ignore_errors=True)


def remove_unless_in_use(version: Path) -> None:
    """Delete a store version no server holds. One in use stays, to be deleted by a build after it is free."""
    try:
        lock = os.open(version / IN_USE, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:  # not a store version this user may change
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        shutil.rmtree(version, ignore_errors=True)  # holding the lock: a server that waits for it sees it deleted
    except BlockingIOError:
        pass
    finally:
        os.close(lock)


@dataclass
class Pin:
    """A store version held in use: builds leave it on disk, however many follow, until it is closed."""

    path: Path  # the version's own directory: opened instead of the store's link, which builds move on
    lock: int | None  # the descriptor holding the lock; None for a store this process may not mark

    def close(self) -> None:
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None

    def __enter__(self) -> Pin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pin(store: Path) -> Pin:
    """Hold the version of the store that `store` (the link `nzkg build` keeps, or any store directory) leads to
    now, so that no build deletes it while a server reads it: a server that opened a version it loses answers
    with errors for good. The hold is a shared lock on a file in the version, which `swap_in` must take
    exclusively before it deletes one; the kernel releases it when the server ends, however it ends."""
    while True:
        version = store.resolve()
        try:
            lock = os.open(version / IN_USE, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            if store.resolve() == version:
                raise StoreUnavailable(f"{store}: no such store") from None
            continue  # deleted by a build between resolving the link and opening: resolve it again
        except OSError:  # a store from elsewhere, on a read-only disk or not this user's: no build of ours deletes it
            return Pin(version, None)
        fcntl.flock(lock, fcntl.LOCK_SH)
        if os.fstat(lock).st_nlink:
            return Pin(version, lock)
        os.close(lock)  # deleted while this waited for the lock: resolve the link again


class NoSpace(Exception):
    """The disk filled while a build wrote the graph, the store or the cache; what it had half-written is gone
    again."""

    @classmethod
    def writing(cls, what: str, path: Path) -> NoSpace:
        return cls(f"no space left on {mount_point(path)} while writing {what} {path}; free some space and build "
                   "again")


@contextlib.contextmanager
def written_whole(what: str, path: Path, remove: Callable[[], None]) -> Iterator[None]:
    """Write `what` (to `path`) whole or not at all: on any failure `remove` deletes what was half-written,
    since a half-loaded store left on a full disk holds the very space the next build needs. A full disk is
    raised as `NoSpace`, with one line that says where."""
    try:
        yield
    except BaseException as error:
        remove()
        if isinstance(error, OSError) and out_of_space(error):
            raise NoSpace.writing(what, path) from error
        raise


def out_of_space(error: OSError) -> bool:
    """ENOSPC; Oxigraph passes RocksDB's errors on with its message but without the errno."""
    return error.errno == errno.ENOSPC or os.strerror(errno.ENOSPC) in str(error)


def mount_point(path: Path) -> Path:
    """The mount point of the filesystem `path` is on, to name the disk that is full."""
    path = path.absolute()
    while not path.is_mount():
        path = path.parent
    return path


# ---- queries that can be stopped ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryJob:
    """One query and how to answer it. The media types are chosen by the caller from the client's Accept
    header, one for solutions (SELECT, ASK) and one for graphs (CONSTRUCT, DESCRIBE); None means the client
    accepts none of ours for that kind of result."""

    query: str
    solutions_type: str | None
    graph_type: str | None
    default_graphs: tuple[str, ...] = ()  # the request's dataset (the protocol's parameters), if it names one
    named_graphs: tuple[str, ...] = ()
    query_names_dataset: bool = False  # the query has FROM or FROM NAMED
    prefixes: dict[str, str] | None = None  # for graphs in a syntax with prefixes
    max_bytes: int | None = None  # the pool's cap unless given: the server's own small queries go uncapped


@dataclass(frozen=True)
class Answer:
    status: int  # an HTTP status: 200, or the error's
    media_type: str
    body: bytes


class Busy(Exception):
    """Every worker stayed busy for as long as a query may run."""


class StoreUnavailable(Exception):
    """The store could not be opened for queries."""


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker was stopped."""


class WorkerDied(Exception):
    """The worker died while evaluating the query (Oxigraph overflows its stack on queries nested thousands
    of levels deep, and a query can exhaust the memory); the worker was replaced."""


class ResultTooLarge(Exception):
    pass


class CappedBuffer(io.RawIOBase):
    """A write target that refuses to grow past `limit` bytes, so a huge result stops while it is being
    written rather than after it has filled the memory."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
        if self.buffer.tell() + len(data) > self.limit:
            raise ResultTooLarge
        return self.buffer.write(data)


def evaluate(store: ox.Store, job: QueryJob, max_bytes: int) -> Answer:
    """Run one job on a store and serialise its result; errors become answers with their HTTP status.

    The dataset follows SPARQL 1.1: the request's dataset if it names one (graphs it does not list are not
    visible, named or default), else the query's FROM and FROM NAMED, else the union of all graphs as the
    default graph, as analysts expect."""
    request_dataset = bool(job.default_graphs or job.named_graphs)
    try:
        result = store.query(
            job.query,
            use_default_graph_as_union=not (request_dataset or job.query_names_dataset),
            default_graph=[ox.NamedNode(g) for g in job.default_graphs] if request_dataset else None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] if request_dataset else None,
        )
        media_type = job.graph_type if isinstance(result, ox.QueryTriples) else job.solutions_type
        if media_type is None:
            kind = "graph" if isinstance(result, ox.QueryTriples) else "solutions"
            return Answer(406, "text/plain", f"none of the accepted media types can carry {kind}".encode())
        max_bytes = job.max_bytes or max_bytes
        output = CappedBuffer(max_bytes)
        fmt = by_media_type(media_type)
        if isinstance(result, ox.QueryTriples):
            write_rdf(result, fmt, output, job.prefixes)
        else:
            result.serialize(output, format=fmt.oxigraph)
        return Answer(200, media_type, output.buffer.getvalue())
    except SyntaxError as error:
        return Answer(400, "text/plain", f"malformed query: {' '.join(str(error).split())}".encode())
    except ResultTooLarge:
        return Answer(413, "text/plain", f"the result is larger than {max_bytes} bytes; narrow the query or add "
                                         "a LIMIT".encode())
    except (OSError, ValueError, TypeError) as error:
        return Answer(400, "text/plain", f"query failed: {' '.join(str(error).split())}".encode())
    except MemoryError:
        return Answer(503, "text/plain", b"the query needed more memory than a query may use and was stopped")
    except BaseException as error:  # a panic inside Oxigraph arrives as pyo3's PanicException, a BaseException
        if type(error).__name__ != "PanicException":
            raise
        message = " ".join(str(error).split())
        print(f"nzkg: Oxigraph failed on a query: {message}", file=sys.stderr)
        return Answer(500, "text/plain", f"the query engine failed on this query ({message}); it was not "
                                         "answered".encode())


def cut_off_network() -> bool:
    """Move this process into a network namespace of its own, with no interface up: Oxigraph's SERVICE client
    then cannot reach any address, whatever slips past the query check. Needs Linux and either root or
    unprivileged user namespaces; it must run while the process has one thread (before the store opens)."""
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError):
        return False
    return any(unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def memory_copy(store_path: str) -> ox.Store:
    """The store's quads in an in-memory Oxigraph store, which answers queries several times faster than the
    RocksDB one on disk."""
    copy = ox.Store()
    copy.bulk_extend(ox.Store.read_only(store_path).quads_for_pattern(None, None, None, None))
    return copy


def limit_memory(allowance: int) -> None:
    """Cap this worker's address space at what it has now plus `allowance` bytes: a query that would need more
    fails to allocate and its worker ends, instead of the machine swapping. The store copy the worker shares
    with its siblings is already in the address space, so the allowance is what one query may add."""
    status = Path("/proc/self/status").read_text()
    mapped = int(re.search(r"^VmSize:\s+(\d+) kB", status, re.MULTILINE).group(1)) * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = mapped + allowance
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def hold_store(store_path: str, control: Connection, in_memory: bool, max_bytes: int,
               max_memory: int | None) -> None:
    """The process query workers are forked from. Spawned clean, it cuts itself off from the network, reads
    the store into memory once, and then forks a worker for each socket the pool hands it: workers inherit the
    network namespace and share the one copy of the store page by page, and a worker that replaces a stopped
    one starts at once. On disk, each worker opens the store itself (RocksDB handles do not survive a fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, and the server stops this
    os.environ["RUST_BACKTRACE"] = "0"  # a panic in Oxigraph is logged in one line, not kilobytes of frames
    offline = cut_off_network()
    try:
        store = memory_copy(store_path) if in_memory else None
    except OSError as error:
        control.send(f"{store_path}: the store cannot be read ({error})")
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps workers that end
    control.send(offline)
    while True:
        try:
            handle = reduction.recv_handle(control)
        except (EOFError, OSError):
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            try:
                if max_memory is not None:
                    limit_memory(max_memory)
                answer_jobs(store or ox.Store.read_only(store_path), Connection(handle), max_bytes)
            finally:
                os._exit(0)  # never back into the holder's loop, whatever happened
        os.close(handle)
        control.send(pid)


def answer_jobs(store: ox.Store, connection: Connection, max_bytes: int) -> None:
    """A query worker: answer jobs from the connection until it closes."""
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(evaluate(store, job, max_bytes))


@dataclass
class Worker:
    pid: int
    connection: Connection

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.connection.close()


@dataclass
class QueryPool:
    """Worker processes that answer one query at a time each, from the store held in memory (or on disk).

    A client (an address) runs at most `per_client` queries at once, by default all workers but one, so that
    one client's runaway queries leave a worker for everyone else; its further queries wait their turn."""

    store_path: Path
    workers: int = 2
    timeout: float = 30.0
    max_bytes: int = 50_000_000
    in_memory: bool = True
    max_memory: int | None = None  # bytes one query may add to a worker's memory; None: no ceiling
    per_client: int | None = None
    offline: bool = field(default=False, init=False)  # whether the workers are cut off from the network
    _idle: queue.Queue[Worker] = field(default_factory=queue.Queue, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _running: dict[int, Worker] = field(default_factory=dict, init=False)  # by process id, idle or busy
    _turns: threading.Condition = field(default_factory=threading.Condition, init=False)
    _running_for: Counter[str] = field(default_factory=Counter, init=False)  # queries running, by client

    def __post_init__(self) -> None:
        if self.per_client is None:
            self.per_client = max(1, self.workers - 1)
        self._context = multiprocessing.get_context("spawn")  # forking this threaded server would be unsafe
        self._start_holder()
        for _ in range(self.workers):
            self._idle.put(self._fork())

    def _start_holder(self) -> None:
        """Start the process workers are forked from; it answers once the store is loaded."""
        self._control, child = self._context.Pipe()
        self._holder = self._context.Process(target=hold_store, daemon=True, name="nzkg-store",
                                             args=(str(self.store_path), child, self.in_memory, self.max_bytes,
                                                   self.max_memory))
        self._holder.start()
        child.close()
        try:
            hello = self._control.recv()
        except EOFError:
            hello = f"{self.store_path}: the process holding the store ended as it opened it"
        if isinstance(hello, str):
            self._stop_holder()
            raise StoreUnavailable(hello)
        self.offline = hello
        if not self.offline:
            print("nzkg: query workers cannot be cut off from the network here (no network namespaces); SERVICE "
                  "is refused by the query check alone", file=sys.stderr)

    def _fork(self) -> Worker:
        ours, theirs = self._context.Pipe()
        with self._lock:
            try:
                pid = self._forked_for(theirs)
            except (EOFError, OSError):  # the holder was killed: start it again
                self._stop_holder()
                self._start_holder()
                pid = self._forked_for(theirs)
            worker = self._running[pid] = Worker(pid, ours)
        theirs.close()
        return worker

    def _forked_for(self, connection: Connection) -> int:
        """Hand the holder one end of a new worker's connection; it answers with the worker's process id."""
        reduction.send_handle(self._control, connection.fileno(), self._holder.pid)
        return self._control.recv()

    def _stop_holder(self) -> None:
        self._control.close()
        self._holder.kill()
        self._holder.join(5)

    def _replace(self, worker: Worker) -> Worker:
        worker.stop()
        with self._lock:
            self._running.pop(worker.pid, None)
        return self._fork()

    def run(self, job: QueryJob, client: str | None = None) -> Answer:
        """Answer a job; `client` names who asked, for the share of workers each client gets (the server's own
        queries name none)."""
        if client is None:
            return self._run(job)
        with self._turns:
            if not self._turns.wait_for(lambda: self._running_for[client] < self.per_client, self.timeout):
                raise Busy
            self._running_for[client] += 1
        try:
            return self._run(job)
        finally:
            with self._turns:
                self._running_for[client] -= 1
                if not self._running_for[client]:
                    del self._running_for[client]
                self._turns.notify_all()

    def _run(self, job: QueryJob) -> Answer:
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Busy from None
        if worker.connection.poll(0):  # an idle worker says nothing unless it died (killed from outside)
            worker = self._replace(worker)
        try:
            worker.connection.send(job)
            if not worker.connection.poll(self.timeout):
                worker = self._replace(worker)
                raise QueryTimeout
            return worker.connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            worker = self._replace(worker)
            raise WorkerDied from None
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            for worker in self._running.values():
                worker.stop()
            self._stop_holder()
