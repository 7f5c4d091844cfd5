"""The web face of the graph: a Flask app over the store. It serves, and never builds or extracts.

One blueprint per kind of page: `sparql` (the SPARQL 1.1 Protocol and the service description),
`pages` (the query page, linked-data pages for every IRI, the ontology), `dumps` (the whole graph as files),
and `description` holds the service description and VoID documents both use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote_to_bytes

from flask import Flask, Request, Response, abort, current_app, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from nzkg.paths import ONTOLOGY_FILE, QUERIES_DIR
from nzkg.store import QueryPool, pin
from nzkg.terms import DEFAULT_BASE


@dataclass(frozen=True)
class Settings:
    store: Path
    timeout: float = 30.0
    workers: int = 2
    max_result_bytes: int = 50_000_000
    max_query_bytes: int = 1_000_000
    in_memory: bool = True  # queries run on a copy of the store in memory; False: on the store on disk
    max_query_memory: int | None = 1_000_000_000  # bytes one query may add to its worker; None: no ceiling
    per_client: int | None = None  # queries one address may run at once; None: all workers but one
    base: str = DEFAULT_BASE
    queries: Path = QUERIES_DIR
    ontology: Path = ONTOLOGY_FILE
    dumps: Path | None = None  # where dump files are cached; default: beside the store
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    title: str = "nzkg: New Zealand's contributions to peace support operations"


def create_app(settings: Settings) -> Flask:
    from nzkg.web import dumps, pages, sparql  # blueprints import the app's helpers

    held = pin(Path(settings.store))  # the version the store's link leads to now, kept on disk while served
    settings = replace(settings, store=held.path)
    app = Flask(__name__)
    app.request_class = CappedRequest
    app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes
    app.before_request(check_encoding)
    app.extensions["nzkg"] = settings
    app.extensions["nzkg.pin"] = held
    app.after_request(add_security_headers)
    app.extensions["nzkg.pool"] = QueryPool(settings.store, workers=settings.workers, timeout=settings.timeout,
                                            max_bytes=settings.max_result_bytes, in_memory=settings.in_memory,
                                            max_memory=settings.max_query_memory, per_client=settings.per_client)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(dumps.blueprint)
    for code, message in ((404, "not found"), (405, "method not allowed"),
                          (413, f"request larger than {settings.max_query_bytes} bytes"),
                          (500, "internal error; the request was not answered")):
        app.register_error_handler(code, plain_error(code, message))
    return app


MAX_ACCEPT_BYTES = 4096  # browsers send about 100; matching costs time in proportion to the ranges
BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


class CappedRequest(Request):
    """Content negotiation reads only the first 4 KB of an Accept header (whole media ranges), so a header of
    a hundred thousand ranges costs no more than a sensible one."""

    @cached_property
    def accept_mimetypes(self) -> MIMEAccept:
        accept = self.headers.get("Accept", "")
        if len(accept) > MAX_ACCEPT_BYTES:
            accept = accept[:MAX_ACCEPT_BYTES].rsplit(",", 1)[0]
        return parse_accept_header(accept, MIMEAccept)


def check_encoding() -> Response | None:
    """A query string over the size limit is 413 like a body (the server lets URLs that long through), and one
    that is not percent-encoded UTF-8, or a form body that is not, is 400: decoding it anyway would change the
    query (werkzeug keeps a stray % and turns bad bytes into U+FFFD)."""
    if len(request.query_string) > current_app.extensions["nzkg"].max_query_bytes:
        abort(413)
    encoded = [("query string", request.query_string)]
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        encoded.append(("form body", request.get_data()))
    for where, raw in encoded:
        if BAD_PERCENT.search(raw):
            return Response(f"the {where} has a % not followed by two hexadecimal digits\n", status=400,
                            mimetype="text/plain")
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return Response(f"the {where} is not UTF-8 once percent-decoded\n", status=400, mimetype="text/plain")
    return None


# Pages load scripts, styles and images from this server only; inline styles stay allowed for the SVG plots
# matplotlib writes. No page may be framed, and no address leaks to another site through the Referer header.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def plain_error(code: int, message: str):
    def handler(error: Exception) -> Response:
        response = Response(f"{message}\n", status=code, mimetype="text/plain")
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    return handler
