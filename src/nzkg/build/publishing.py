"""Publishing a build: the graph file written whole or not at all, and the store beside it brought in line
graph by graph (only the releases that changed), one build of an output at a time.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pyoxigraph as ox

from nzkg.build.convert import split_lines
from nzkg.build.corpus import BuildReport
from nzkg.formats import rdf_file_format
from nzkg.store import Recorded, StoreChange, StoreState, stored_state, update_store, written_whole
from nzkg.terms import prefixes

FULL_RELOAD_SHARE = 0.25  # past this share of changed releases, loading the store afresh is faster


def write_output(report: BuildReport, path: Path) -> int:
    """Write the dataset by file extension, atomically (a temporary file renamed into place), so a failed or
    killed build never leaves a half-written graph; return the number of quads. Turtle and N-Triples hold
    the union of the graphs."""
    fmt = rdf_file_format(path).oxigraph
    path.parent.mkdir(parents=True, exist_ok=True)

    def remove_temporary() -> None:
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)

    remove_temporary()  # from a build killed while writing
    count = 0
    with written_whole("the graph", path, remove_temporary):
        with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", suffix=".nq.tmp",
                                         delete=False, encoding="utf-8") as out:
            for line in report.nquads():
                out.write(line)
                count += 1
        written = Path(out.name)
        if fmt != ox.RdfFormat.N_QUADS:
            quads = ox.parse(path=written, format=ox.RdfFormat.N_QUADS)
            data = (ox.Triple(q.subject, q.predicate, q.object) for q in quads) if not fmt.supports_datasets else quads
            converted = written.with_suffix(path.suffix + ".tmp")
            ox.serialize(data, converted, format=fmt, prefixes=prefixes(report.base))
            written.unlink()
            written = converted
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(written, 0o666 & ~umask)  # a temporary file is private; the graph is not
        os.replace(written, path)
    return count


@contextmanager
def exclusive(paths: list[Path], waiting: Callable[[Path], None]) -> Iterator[None]:
    """One build at a time of a graph file (and its cache) and of a store: two at once delete each other's
    half-written files and leave the graph of one beside the store of the other. Each is held by a lock on a
    file beside it, `.NAME.lock`, which the kernel releases when the build ends, however it ends. The files
    stay: one deleted while a build waits on it would let a third build lock a new one and run at once.
    `waiting` is told of a path another build holds before this one waits for it."""
    with ExitStack() as held:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = held.enter_context(path.with_name(f".{path.name}.lock").open("a"))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting(path)
                fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def publish(report: BuildReport, output: Path, store: Path | None) -> tuple[int, StoreChange | None]:
    """Write the graph file, then bring the store beside it in line: changed releases' graphs replaced,
    deleted ones dropped, or the whole file loaded afresh when that is quicker or the store is not the
    previous build's. Returns the number of quads written and the change made to the store (None: none, or
    loaded afresh)."""
    previous = stored_state(store, output) if store is not None else None
    count = write_output(report, output)
    change = store_change(report, previous) if previous is not None else None
    if store is not None:
        update_store(output, store, change, StoreState(report.releases, report.reason), "".join(report.shared_quads))
    report.cache.keep_only(set(report.releases.values()))
    return count, change


def store_change(report: BuildReport, previous: Recorded) -> StoreChange | None:
    """What turns the store of the previous build into this one's, or None if loading afresh is better."""
    if previous.state is None or previous.state.reason != report.reason:
        return None
    before, now = previous.state.releases, report.releases
    dropped = [g for g, key in before.items() if now.get(g) != key]
    added = [g for g, key in now.items() if before.get(g) != key]
    if len(set(dropped) | set(added)) > FULL_RELOAD_SHARE * max(len(now), 1):
        return None
    if any(before[graph] not in report.cache for graph in dropped):
        return None  # the cache no longer has what the store holds
    remove = [line for graph in dropped for line in report.cache.lines(before[graph], inferred=True)]
    shared_before, shared_now = set(split_lines(previous.shared)), set(report.shared_quads)
    return StoreChange(
        drop_graphs=dropped,
        add_graphs=added,
        remove=[*remove, *sorted(shared_before - shared_now)],
        add=lambda: iter_changed(report, [now[g] for g in added], sorted(shared_now - shared_before)),
    )


def iter_changed(report: BuildReport, keys: list[str], shared: list[str]) -> Iterator[str]:
    yield from shared
    for key in keys:
        yield from report.release_quads(key)
