"""The web face of the graph: a Flask app over the store. It serves, and never builds or extracts.

One blueprint per kind of page: `sparql` (the SPARQL 1.1 Protocol and the service description),
`pages` (the query page, linked-data pages for every IRI, the ontology), `dumps` (the whole graph as files),
and `description` holds the service description and VoID documents both use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from flask import Flask, Request, Response, abort, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from nzkg.formats import Format, by_name, negotiate, write_rdf
from nzkg.paths import ONTOLOGY_FILE, QUERIES_DIR
from nzkg.terms import DEFAULT_BASE, prefixes

if TYPE_CHECKING:
    from nzkg.server import Evaluator
    from nzkg.web.description import Stats


@dataclass(frozen=True)
class Settings:
    dumps: Path  # where the dump files are written, once each (a folder of the store version, or a temporary one)
    max_query_bytes: int = 1_000_000
    base: str = DEFAULT_BASE
    queries: Path = QUERIES_DIR
    ontology: Path = ONTOLOGY_FILE
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    title: str = "nzkg: New Zealand's contributions to peace support operations"


@dataclass
class Served:
    """What the views of one app share, as Datasette's `Datasette` object is for its views: the settings, what
    answers the queries (in this process: the serving stage's `Evaluator`), and what is worked out once: the
    statistics, and the pictures (the store does not change while it is served)."""

    settings: Settings
    queries: Evaluator
    stats: Stats | None = None
    pictures: dict[str, str | None] = field(default_factory=dict)


def served(app: Flask | None = None) -> Served:
    """The state of the app (by default the one handling the request)."""
    return (app or current_app).extensions["nzkg"]


def create_app(settings: Settings, queries: Evaluator) -> Flask:
    from nzkg.web import dumps, pages, sparql  # blueprints import the app's helpers

    app = Flask(__name__)
    app.request_class = CappedRequest
    app.config["MAX_CONTENT_LENGTH"] = settings.max_query_bytes
    app.before_request(check_encoding)
    app.after_request(add_security_headers)
    app.extensions["nzkg"] = Served(settings, queries)
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.svg"))
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(dumps.blueprint)
    for code, message in ((404, "not found"), (405, "method not allowed"),
                          (413, f"request larger than {settings.max_query_bytes} bytes"),
                          (500, "internal error; the request was not answered")):
        app.register_error_handler(code, plain_error(code, message))
    return app


def chosen_format(among: Sequence[Format], default: Format) -> Format:
    """The format a request for a document asks for among these: by name in `format=` (400 if it names none of
    them), else by Accept (`default` without one; 406 if it accepts none of them)."""
    among = tuple(dict.fromkeys(among))
    wanted = request.args.get("format")
    if wanted:
        found = by_name(wanted, among)
        if found is None:
            names = ", ".join(f.name for f in among)
            abort(Response(f"unknown format {wanted!r} here: use one of {names}\n", status=400, mimetype="text/plain"))
        return found
    found = negotiated(request.accept_header, among, default)
    if found is None:
        types = ", ".join(f.media_type for f in among)
        abort(Response(f"none of the media types in Accept is served here; this comes as {types}\n", status=406,
                       mimetype="text/plain"))
    return found


def rdf_response(triples: Iterable[ox.Triple], fmt: Format, known: dict[str, str] | None = None) -> Response:
    """Triples in an RDF syntax, with a prefix for each namespace they use where the syntax has prefixes (the
    project's, unless `known` are given)."""
    body = write_rdf(triples, fmt, prefixes=known if known is not None else prefixes(served().settings.base))
    response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


MAX_ACCEPT_BYTES = 4096  # browsers send about 100; matching costs time in proportion to the ranges
BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


class CappedRequest(Request):
    """Content negotiation reads only the first 4 KB of an Accept header (whole media ranges), so a header of
    a hundred thousand ranges costs no more than a sensible one."""

    @cached_property
    def accept_header(self) -> str:
        accept = self.headers.get("Accept", "")
        if len(accept) > MAX_ACCEPT_BYTES:
            accept = accept[:MAX_ACCEPT_BYTES].rsplit(",", 1)[0]
        return accept

    @cached_property
    def accept_mimetypes(self) -> MIMEAccept:
        return parse_accept_header(self.accept_header, MIMEAccept)


@lru_cache(maxsize=1024)
def negotiated(accept: str, among: tuple[Format, ...], default: Format | None) -> Format | None:
    """`negotiate` for an Accept header as sent (capped): clients send the same few headers again and again,
    and parsing and ranking one costs more than the rest of a small query's dispatch."""
    return negotiate(parse_accept_header(accept, MIMEAccept), among, default)


def check_encoding() -> Response | None:
    """A query string over the size limit is 413 like a body (the server lets URLs that long through), and one
    that is not percent-encoded UTF-8, or a form body that is not, is 400: decoding it anyway would change the
    query (werkzeug keeps a stray % and turns bad bytes into U+FFFD)."""
    if len(request.query_string) > served().settings.max_query_bytes:
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
    """An error in one line of text, or as a page for a client that prefers HTML (a browser)."""
    def handler(error: Exception) -> Response:
        if request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html":
            page = render_template("error.html", code=code, message=message, path=request.path)
            response = Response(page, status=code, mimetype="text/html")
        else:
            response = Response(f"{message}\n", status=code, mimetype="text/plain")
        if code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    return handler
