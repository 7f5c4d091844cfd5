"""The whole graph as files: /dump.ttl (the union of all graphs), /dump.trig and /dump.nq (with graphs).

Each dump is written once per store, to a file inside the store's version directory (so it goes when the
version goes), and then streamed from disk on every request, so a large graph never has to fit in memory and
repeated downloads cost nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, send_file

from nzkg.store import SOURCE_MARKER

blueprint = Blueprint("dumps", __name__)
_writing = threading.Lock()
KINDS = {"ttl": (ox.RdfFormat.TURTLE, "text/turtle"), "trig": (ox.RdfFormat.TRIG, "application/trig"),
         "nq": (ox.RdfFormat.N_QUADS, "application/n-quads")}


def dump_file(kind: str) -> Path:
    settings = current_app.extensions["nzkg"]
    store = Path(settings.store)
    marker = store / SOURCE_MARKER
    version = json.loads(marker.read_text())["sha256"][:16] if marker.exists() else "store"
    folder = Path(settings.dumps or store / "nzkg-dumps")
    path = folder / f"nzkg-{version}.{kind}"
    with _writing:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_dump(ox.Store.read_only(str(store)), kind, path)
    return path


def write_dump(store: ox.Store, kind: str, path: Path) -> None:
    """Written to a temporary file renamed into place, which goes if the writing fails (a full disk)."""
    fmt, _ = KINDS[kind]
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as out:
        try:
            if kind == "ttl":
                union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
                union.serialize(out, format=fmt)
            else:
                store.dump(out, format=fmt)
        except BaseException:
            Path(out.name).unlink(missing_ok=True)
            raise
    os.replace(out.name, path)


def send_dump(kind: str) -> Response:
    path = dump_file(kind)
    return send_file(path, mimetype=KINDS[kind][1], as_attachment=False, download_name=f"nzkg.{kind}",
                     conditional=True, etag=True)


@blueprint.get("/dump.ttl")
def dump_ttl() -> Response:
    return send_dump("ttl")


@blueprint.get("/dump.trig")
def dump_trig() -> Response:
    return send_dump("trig")


@blueprint.get("/dump.nq")
def dump_nq() -> Response:
    return send_dump("nq")
