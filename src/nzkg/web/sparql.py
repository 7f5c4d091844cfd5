"""The SPARQL 1.1 Protocol, query operation only (https://www.w3.org/TR/sparql11-protocol/).

GET ?query=, POST form-encoded, POST application/sparql-query; default-graph-uri and named-graph-uri;
results by Accept (q-values honoured) or a `format` parameter. The endpoint is read-only: updates are
refused with 403, and SERVICE with 400 before anything runs, so no query can make the server connect out.
Without a dataset in the request or in the query (FROM, FROM NAMED) the default graph is the union of all
named graphs.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request
from flask_cors import CORS

from nzkg.formats import RDF_FORMATS, SOLUTION_FORMATS, Format, by_name
from nzkg.server import Busy, QueryStopped
from nzkg.store import QueryJob
from nzkg.terms import prefixes
from nzkg.web import negotiated, served
from nzkg.web.description import service_description

blueprint = Blueprint("sparql", __name__)
CORS(blueprint, methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type", "Accept"], max_age=86400)

# A query read the way SPARQL's grammar reads it: strings, IRIs (with their \u escapes), prefixed names
# (whose local parts may escape "#"), variables and language tags are tokens of their own, a comment runs from a
# "#" outside them to the end of the line (\r or \n), and what is left are bare runs of name characters
# (keywords, numbers) and single characters. A bare run is one token and a quote that opens no string ends the
# reading, so reading takes time linear in the query's length (matching from every character of a long run
# took hours on a 1 MB query, with the whole server waiting).
PN_CHAR = r"[\w\u00B7\u00C0-\uFFFF]"
PN_LOCAL = rf"(?:{PN_CHAR}|[:%.-]|\\[_~.\-!$&'()*+,;=/?#@%]|%[0-9A-Fa-f]{{2}})*"
TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')'
    r"|(?P<unclosed>[\"'])"
    r"|(?P<iri><(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)"
    rf"|(?P<pname>(?:[^\W\d_](?:{PN_CHAR}|[.-])*)?:{PN_LOCAL})"
    r"|(?P<var>[?$]\w+)|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)|(?P<comment>\#[^\r\n]*)"
    rf"|(?P<bare>{PN_CHAR}(?:{PN_CHAR}|[.-])*)|(?P<other>\S)"
)
WORD = re.compile(r"[A-Za-z_]\w*")
MAX_NESTING = 100  # Oxigraph's parser overflows a worker's stack past about 2,000 levels; people nest 10
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def plain(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain")


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    found = read_request()
    if isinstance(found, Response):
        return found
    query, default_graphs, named_graphs = found
    if query is None:
        return service_description()
    keywords = read_keywords(query)
    if isinstance(keywords, Response):
        return keywords
    chosen = result_types()
    if isinstance(chosen, Response):
        return chosen
    solutions, graphs = chosen
    queries = served().queries
    job = QueryJob(query, solutions and solutions.media_type, graphs and graphs.media_type, tuple(default_graphs),
                   tuple(named_graphs), query_names_dataset="FROM" in keywords,
                   prefixes=prefixes(served().settings.base))
    try:
        answer = queries.run(job, client=request.remote_addr or "")
    except QueryStopped as stopped:
        if stopped.why == "memory":
            return plain(503, "the query needed more memory than a query may use and was stopped")
        return plain(503, f"the query ran longer than {queries.timeout:g} s and was stopped")
    except Busy:
        return plain(503, "this client's queries keep every query slot of the server busy; try again shortly")
    response = Response(answer.body, status=answer.status, content_type=f"{answer.media_type}; charset=utf-8")
    response.vary.add("Accept")
    return response


def read_request() -> tuple[str | None, list[str], list[str]] | Response:
    """The query and dataset of a protocol request, or the error response the request deserves."""
    args = request.args
    if request.method in ("GET", "HEAD"):
        if "update" in args:
            return plain(403, "this endpoint is read-only: updates are not accepted")
        queries = args.getlist("query")
        return one_query(queries, args.getlist("default-graph-uri"), args.getlist("named-graph-uri"))
    media_type = request.mimetype
    if media_type == "application/x-www-form-urlencoded":
        form = request.form
        if "update" in form:
            return plain(403, "this endpoint is read-only: updates are not accepted")
        queries = form.getlist("query") + args.getlist("query")
        return one_query(queries, form.getlist("default-graph-uri") + args.getlist("default-graph-uri"),
                         form.getlist("named-graph-uri") + args.getlist("named-graph-uri"))
    if media_type == "application/sparql-query":
        try:
            body = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            return plain(400, "the query is not valid UTF-8")
        if "query" in args:
            return plain(400, "a query in the body and another in the URL: send one")
        return one_query([body], args.getlist("default-graph-uri"), args.getlist("named-graph-uri"))
    if media_type == "application/sparql-update":
        return plain(403, "this endpoint is read-only: updates are not accepted")
    if not media_type:
        return plain(400, "a POST needs Content-Type application/x-www-form-urlencoded or application/sparql-query")
    return plain(415, f"unsupported Content-Type {media_type}: use application/x-www-form-urlencoded or "
                      "application/sparql-query")


def one_query(queries: list[str], default_graphs: list[str],
              named_graphs: list[str]) -> tuple[str | None, list[str], list[str]] | Response:
    if len(queries) > 1:
        return plain(400, "more than one query in the request: send one")
    if not queries:
        if request.method == "POST":
            return plain(400, "no query in the request")
        return None, default_graphs, named_graphs
    if not queries[0].strip():
        return plain(400, "the query is empty")
    return queries[0], default_graphs, named_graphs


def read_keywords(query: str) -> set[str] | Response:
    """The keywords of a query (FROM among them tells that the query names its own dataset), or the refusal
    it deserves: updates and SERVICE never reach the store, nor queries Oxigraph's parser would crash on.

    Oxigraph's parser does not need a keyword to end where a token would: it reads `1e0SERVICE <x> {}` and, in
    a group pattern, `SERVICE:x {}` as SERVICE. So SERVICE anywhere in a bare run counts, and so does a prefixed
    name starting with it directly inside braces, where patterns start (`PREFIX service: <…>` and `BIND(service:x
    AS ?y)` are answered). Update keywords only need to be words: Oxigraph parses a query as a query, never as
    an update, and the workers open the store read-only; refusing them is for a clear answer."""
    words: set[str] = set()
    opened: list[str] = []
    for token in TOKEN.finditer(query):
        kind, text = token.lastgroup, token.group()
        if kind == "unclosed":
            return plain(400, f"malformed query: the string opened at character {token.start()} is never closed")
        if kind == "bare":
            words.update(word.upper() for word in WORD.findall(text))
            if "SERVICE" in text.upper():
                words.add("SERVICE")
        elif kind == "pname" and text.upper().startswith("SERVICE") and opened[-1:] == ["{"]:
            words.add("SERVICE")
        elif kind == "other" and text in "{([":
            opened.append(text)
            if len(opened) > MAX_NESTING:
                return plain(400, f"the query nests brackets more than {MAX_NESTING} levels deep")
        elif kind == "other" and text in "})]" and opened:
            opened.pop()
    if words & UPDATE_WORDS:
        return plain(403, "this endpoint is read-only: updates are not accepted")
    if "SERVICE" in words:
        return plain(400, "SERVICE is not allowed: this endpoint makes no outbound requests")
    return words


def result_types() -> tuple[Format | None, Format | None] | Response:
    """The formats for solutions (SELECT, ASK) and for graphs (CONSTRUCT, DESCRIBE), from `format` (a name, such
    as json, which means SPARQL JSON results or JSON-LD by the query form, or a media type) or the Accept
    header; JSON results and Turtle when the client says nothing."""
    wanted = request.values.get("format")
    if wanted:
        pair = by_name(wanted, SOLUTION_FORMATS), by_name(wanted, RDF_FORMATS)
        if pair == (None, None):
            names = sorted({name for f in SOLUTION_FORMATS + RDF_FORMATS for name in (f.name, *f.names)})
            return plain(400, f"unknown format {wanted!r}: use one of {', '.join(names)}")
        return pair
    accept = request.accept_header
    pair = (negotiated(accept, SOLUTION_FORMATS, SOLUTION_FORMATS[0]), negotiated(accept, RDF_FORMATS, RDF_FORMATS[0]))
    if pair == (None, None):
        return plain(406, "none of the media types in Accept is served here; results come as "
                          f"{', '.join(f.media_type for f in SOLUTION_FORMATS)} and graphs as "
                          f"{', '.join(f.media_type for f in RDF_FORMATS)}")
    return pair
