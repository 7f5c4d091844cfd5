"""Stage 5: the graph in an Oxigraph store (rdflib's own SPARQL engine is far too slow): made and kept up to
date by builds, held in use by servers, and one query answered in a syntax. How queries are stopped, and the
processes that answer them, belong to the serving stage (`nzkg.server`); this module knows no HTTP."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from nzkg.formats import Format, by_media_type, rdf_file_format, write_rdf
from nzkg.terms import prefixes

SOURCE_MARKER = "nzkg-source.json"
SHARED_FILE = "nzkg-shared.nq"  # the quads no single release owns, to diff against next time
IN_USE = "nzkg-in-use.lock"  # in each store version: servers hold it shared, a build exclusively to delete it


LOAD_BATCH = 200_000  # quads per bulk load: Oxigraph's loader buffers a whole load, up to 2 GB per thread


def load_file(path: Path, store: ox.Store | None = None) -> ox.Store:
    """A graph file in a store: a new in-memory one unless given. In memory a plain load is the fastest and
    takes the least memory (for 443,208 quads: 2.3 s and 192 MB at peak, against 3.3 s and 336 MB in batches);
    into a store on disk it goes a batch at a time, so that memory stays flat however large the file."""
    fmt = rdf_file_format(path).oxigraph
    if store is None:
        store = ox.Store()
        store.load(path=str(path), format=fmt)
        return store
    quads = ox.parse(path=str(path), format=fmt)
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


class StoreUnavailable(Exception):
    """The store could not be opened."""


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


# ---- one query, answered in a syntax ----------------------------------------------------------------------


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
    max_bytes: int | None = None  # the caller's cap unless given: the server's own small queries go uncapped


class QueryFailed(Exception):
    """The query is malformed, or Oxigraph could not evaluate it; the message says which."""


class NotAcceptable(Exception):
    """The result is of a kind (solutions or a graph) for which the job names no media type."""


class ResultTooLarge(Exception):
    pass


class EngineFailed(Exception):
    """Oxigraph panicked on the query (pyo3 raises a BaseException for that, which this turns into one line)."""


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


def answer(store: ox.Store, job: QueryJob, max_bytes: int) -> tuple[str, bytes]:
    """Run one job on a store: the media type of the result and the result serialised in it.

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
        is_graph = isinstance(result, ox.QueryTriples)
        media_type = job.graph_type if is_graph else job.solutions_type
        if media_type is None:
            raise NotAcceptable("graph" if is_graph else "solutions")
        output = CappedBuffer(job.max_bytes or max_bytes)
        fmt = by_media_type(media_type)
        if is_graph:
            write_rdf(result, fmt, output, job.prefixes)
        else:
            result.serialize(output, format=fmt.oxigraph)
        return media_type, output.buffer.getvalue()
    except SyntaxError as error:
        raise QueryFailed(f"malformed query: {' '.join(str(error).split())}") from None
    except (OSError, ValueError, TypeError) as error:
        raise QueryFailed(f"query failed: {' '.join(str(error).split())}") from None
    except BaseException as error:  # a panic inside Oxigraph arrives as pyo3's PanicException, a BaseException
        if type(error).__name__ == "PanicException":
            raise EngineFailed(" ".join(str(error).split())) from None
        raise


def memory_copy(store_path: str) -> ox.Store:
    """The store's quads in an in-memory Oxigraph store, which answers queries several times faster than the
    RocksDB one on disk."""
    copy = ox.Store()
    copy.bulk_extend(ox.Store.read_only(store_path).quads_for_pattern(None, None, None, None))
    return copy
