"""The whole graph as files: /dump.ttl (the union of all graphs), /dump.trig and /dump.nq (with graphs).

Each dump is written once, by the first server process asked for it, into the folder the server was given (in
the store's version directory, so that it goes when the version goes, or a temporary one for a graph file), and
then streamed from disk on every request, so repeated downloads cost nothing.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, send_file

from nzkg.formats import Format, by_name
from nzkg.store import export
from nzkg.web import served

blueprint = Blueprint("dumps", __name__)
_writing = threading.Lock()
# The union of all graphs in the most readable syntax, and the graphs kept apart in two others.
DUMPS = {f.extension: f for f in map(by_name, ("turtle", "trig", "nquads"))}


@blueprint.app_context_processor
def dump_extensions() -> dict[str, list[str]]:
    """The dumps every page links to."""
    return {"dump_extensions": list(DUMPS)}


def dump_file(fmt: Format) -> Path:
    folder = served().settings.dumps
    path = folder / f"nzkg{fmt.extension}"
    with _writing:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_dump(served().queries.store, fmt, path)
    return path


def write_dump(store: ox.Store, fmt: Format, path: Path) -> None:
    """Written to a temporary file renamed into place, which goes if the writing fails (a full disk); server
    processes writing the same dump at once each rename a whole one."""
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as out:
        try:
            export(store, fmt, out, served().settings.base)
        except BaseException:
            Path(out.name).unlink(missing_ok=True)
            raise
    os.replace(out.name, path)


@blueprint.get("/dump<extension>")
def dump(extension: str) -> Response:
    fmt = DUMPS.get(extension) or abort(404)
    response = send_file(dump_file(fmt), mimetype=fmt.media_type, as_attachment=False,
                         download_name=f"nzkg{extension}", conditional=True, etag=True)
    response.headers["Content-Type"] = fmt.content_type  # send_file gives a charset to text/* types only
    return response
