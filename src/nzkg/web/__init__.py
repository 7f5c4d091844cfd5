"""The web face of the graph: a Flask app over the store. It serves, and never builds or extracts.

One blueprint per kind of page: `sparql` (the SPARQL 1.1 Protocol and the service description),
`pages` (the query page, linked-data pages for every IRI, the ontology), `dumps` (the whole graph as files),
and `description` holds the service description and VoID documents both use.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from flask import Flask, Response

from nzkg.graph import DEFAULT_BASE
from nzkg.paths import ONTOLOGY_FILE, QUERIES_DIR
from nzkg.store import QueryPool


@dataclass(frozen=True)
class Settings:
    store: Path
    timeout: float = 30.0
    workers: int = 2
    max_result_bytes: int = 50_000_000
    max_query_bytes: int = 1_000_000
    base: str = DEFAULT_BASE
    queries: Path = QUERIES_DIR
    ontology: Path = ONTOLOGY_FILE
    dumps: Path | None = None  # where dump files are cached; default: beside the store
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    title: str = "nzkg: New Zealand's contributions to peace support operations"


def create_app(settings: Settings) -> Flask:
    from nzkg.web import dumps, pages, sparql  # blueprints import the app's helpers

    settings = replace(settings, store=Path(settings.store).resolve())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes
    app.extensions["nzkg"] = settings
    app.extensions["nzkg.pool"] = QueryPool(settings.store, workers=settings.workers, timeout=settings.timeout,
                                            max_bytes=settings.max_result_bytes)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(dumps.blueprint)
    for code, message in ((404, "not found"), (405, "method not allowed"),
                          (413, f"request larger than {settings.max_query_bytes} bytes"),
                          (500, "internal error; the request was not answered")):
        app.register_error_handler(code, plain_error(code, message))
    return app


def plain_error(code: int, message: str):
    def handler(error: Exception) -> Response:
        response = Response(f"{message}\n", status=code, mimetype="text/plain")
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    return handler
