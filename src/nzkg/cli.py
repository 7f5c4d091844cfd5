"""`nzkg …`: a thin face over the stages. Every failure a user can cause ends in one line on stderr.

Each command imports the stages it uses when it runs: `nzkg serve` forks its server processes from this one,
and each would otherwise carry the whole extraction pipeline (spaCy and all) in its memory."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import os
import re
import resource
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from nzkg import __version__
from nzkg.formats import RDF_FORMATS, rdf_file_format
from nzkg.paths import QUERIES_DIR, SEEDS_DIR
from nzkg.queries import QueryError, named_query
from nzkg.store import (
    NoSpace,
    StoreChange,
    StoreUnavailable,
    export,
    load_file,
    query,
    store_from_file,
)
from nzkg.terms import DEFAULT_BASE, PREFIXES, SPARQL_PREFIXES, compact

if TYPE_CHECKING:
    from rdflib import Dataset

    from nzkg.server import Source
    from nzkg.validate import Violation

DEFAULT_GRAPH = Path("build/nzkg.trig")
DEFAULT_STORE = Path("build/store")
PICTURES = {"timeline": ("timeline", "timeline"), "personnel": ("personnel-over-time", "personnel_over_time"),
            "map": ("places-on-map", "place_map")}
EXPORT_FORMATS = {f.extension[1:]: f for f in RDF_FORMATS}
PUSH_FORMATS = [f.name for f in RDF_FORMATS if not f.keeps_graphs]  # the Graph Store Protocol sends one graph


class UserError(Exception):
    """A problem the user can fix; reported in one line, no traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UserError, NoSpace) as error:
        print(f"nzkg: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nzkg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        if os.environ.get("NZKG_DEBUG"):
            raise
        print(f"nzkg: internal error: {type(error).__name__}: {error} (set NZKG_DEBUG=1 for details)",
              file=sys.stderr)
        return 70


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nzkg", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"nzkg {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("build", help="build the graph from releases")
    run.add_argument("sources", nargs="*", type=Path, metavar="SRC",
                     help="release files or folders (*.txt, *.md, *.markdown); default: seeds/")
    run.add_argument("--output", "-o", type=Path, default=DEFAULT_GRAPH,
                     help="output file; format from the extension: .trig .nq .ttl .jsonld (default: %(default)s)")
    run.add_argument("--base", default=DEFAULT_BASE, help="base of minted IRIs (default: %(default)s)")
    run.add_argument("--reason", action="store_true", help="add the OWL RL closure as graph/inferred")
    run.add_argument("--no-validate", dest="validate", action="store_false", help="skip SHACL validation")
    run.add_argument("--strict", action="store_true",
                     help="exit 1 if any file was skipped or had problems, or on SHACL violations")
    run.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)")
    run.add_argument("--quiet", "-q", action="store_true", help="no per-file messages, only the summary")
    run.add_argument("--store", type=Path, help="Oxigraph store to keep up to date (default: store/ beside the "
                                                "output file, which is what nzkg serve uses)")
    run.add_argument("--no-store", dest="update_store", action="store_false", help="write only the output file")
    run.add_argument("--no-cache", dest="cache", action="store_false",
                     help="convert every file again instead of reusing what the last build found for unchanged ones")
    run.set_defaults(run=run_build)

    check = commands.add_parser("validate", help="validate a built graph against shapes/")
    check.add_argument("graph", type=Path, metavar="FILE")
    check.set_defaults(run=run_validate)

    ask = commands.add_parser("query", help="run a SPARQL query on a built graph")
    ask.add_argument("query", metavar="QUERY", help="the name of a query in queries/, a .rq file, or SPARQL text")
    ask.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                     help="a parameter of a named query (repeatable)")
    ask.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help="graph file (default: %(default)s)")
    ask.add_argument("--format", choices=("table", "csv", "json"), default="table")
    ask.set_defaults(run=run_query)

    draw = commands.add_parser("plot", help="draw a picture of the graph")
    draw.add_argument("picture", choices=sorted(PICTURES), help="what to draw")
    draw.add_argument("--output", "-o", type=Path, required=True, help="picture file: .svg, .png or .pdf")
    draw.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help="graph file (default: %(default)s)")
    draw.set_defaults(run=run_plot)

    count = commands.add_parser("stats", help="count what a built graph holds")
    count.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help="graph file (default: %(default)s)")
    count.set_defaults(run=run_stats)

    serve = commands.add_parser("serve", help="serve the graph over SPARQL and as linked data")
    source = serve.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, help=f"graph file to serve (default: {DEFAULT_GRAPH}, built from "
                                                   "seeds/ if missing)")
    source.add_argument("--store", type=Path, help="an Oxigraph store directory to serve as it is")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=5000, help="port (default: %(default)s)")
    serve.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run (default: %(default)s)")
    serve.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2),
                       help="server processes, each answering requests and evaluating their queries "
                            "(default: %(default)s)")
    serve.add_argument("--threads", type=int, default=8,
                       help="requests each server process answers at once (default: %(default)s)")
    serve.add_argument("--on-disk", dest="in_memory", action="store_false",
                       help="answer queries from the store on disk, not from a copy in memory: for a graph larger "
                            "than the memory (queries run several times slower)")
    serve.add_argument("--max-result-mb", type=float, default=50.0,
                       help="largest result served, in MB (default: %(default)s)")
    serve.add_argument("--max-query-memory-mb", type=float, default=1000.0,
                       help="memory one query may add to its server process, in MB; 0: no ceiling (default: "
                            "%(default)s)")
    serve.add_argument("--per-client", type=int,
                       help="queries one address may run at once in one server process (default: --threads less "
                            "one); behind a proxy, where every request comes from one address, set it to --threads")
    serve.add_argument("--connections", type=int, default=2000,
                       help="open connections held at once, idle and slow ones included (default: %(default)s)")
    serve.add_argument("--idle-timeout", type=float, default=60.0,
                       help="seconds after which a connection that sends and awaits nothing is closed "
                            "(default: %(default)s)")
    serve.set_defaults(run=run_serve)

    export = commands.add_parser("export", help="write the graph in one RDF syntax")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="trig",
                        help="syntax, by its file extension (default: %(default)s); those without named graphs get the "
                             "union of all graphs")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    source = export.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help="graph file (default: %(default)s)")
    source.add_argument("--store", type=Path, help="an Oxigraph store directory")
    export.set_defaults(run=run_export)

    push = commands.add_parser("push", help="upload each graph to a triple store (SPARQL Graph Store Protocol)")
    push.add_argument("--endpoint", required=True, metavar="URL",
                      help="the store's Graph Store Protocol URL (Virtuoso: http://HOST:8890/sparql-graph-crud-auth)")
    source = push.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help="graph file (default: %(default)s)")
    source.add_argument("--store", type=Path, help="an Oxigraph store directory")
    push.add_argument("--graph-param", choices=("graph", "graph-uri"), default="graph",
                      help="query parameter naming the graph: graph (the standard) or graph-uri (Virtuoso)")
    push.add_argument("--user", help="user name, for HTTP digest authentication (see --auth)")
    push.add_argument("--password", help="password (default: the NZKG_PASSWORD environment variable)")
    push.add_argument("--auth", choices=("digest", "basic"), default="digest",
                      help="authentication scheme with --user (default: %(default)s)")
    push.add_argument("--format", choices=PUSH_FORMATS, default="ntriples",
                      help="syntax of the uploaded graphs (default: %(default)s)")
    push.add_argument("--retries", type=int, default=3,
                      help="retries after a connection error or 5xx answer, with backoff (default: %(default)s)")
    push.add_argument("--timeout", type=float, default=120.0, help="seconds per request (default: %(default)s)")
    push.set_defaults(run=run_push)
    return parser


def run_build(args: argparse.Namespace) -> int:
    from nzkg.build import build, exclusive, publish

    sources = args.sources or [SEEDS_DIR]
    for source in sources:
        if not source.exists():
            raise UserError(f"{source}: no such file or folder")
    try:
        rdf_file_format(args.output)
    except ValueError as error:
        raise UserError(str(error)) from None

    def tell(path: str, problem: str) -> None:
        if not args.quiet:
            print(f"{path}: {problem}", file=sys.stderr)

    cache = args.output.with_name(args.output.name + ".cache")
    store = (args.store or args.output.parent / "store") if args.update_store else None
    try:
        with exclusive([args.output, *([store] if store is not None else [])], waiting_for_build):
            if not args.cache:
                cache.unlink(missing_ok=True)
            report = build(sources, base=args.base, reason=args.reason, validate=args.validate, jobs=args.jobs,
                           on_problem=tell, cache=cache)
            for file, found in sorted(report.violations.items()):
                for violation in found:
                    print(f"{file}: SHACL {violation.severity.lower()}: {describe(violation)}", file=sys.stderr)
            quads, change = publish(report, args.output, store)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode != sqlite3.SQLITE_FULL:
            raise
        raise NoSpace.writing("the cache", cache) from None
    print(f"converted {len(report.converted)} of {len(report.converted) + len(report.skipped)} files "
          f"({len(report.skipped)} skipped, {len({f for f, _ in report.warnings})} with warnings, "
          f"{report.reused} unchanged since the last build); {quads} triples; {report.violation_count} SHACL "
          f"violations → {args.output}", file=sys.stderr)
    if store is not None:
        print(f"store {store}: {store_news(change)}", file=sys.stderr)
    failed = report.skipped or report.warnings or report.violation_count
    return 1 if args.strict and failed else 0


def store_news(change: StoreChange | None) -> str:
    if change is None:
        return "loaded afresh"
    replaced = len(set(change.add_graphs) & set(change.drop_graphs))
    added, removed = len(change.add_graphs) - replaced, len(change.drop_graphs) - replaced
    return f"{replaced} release graphs replaced, {added} added, {removed} removed" if replaced or added or removed \
        else "up to date"


def describe(violation: Violation) -> str:
    where = f" ({violation.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]})" if violation.path else ""
    value = f" [value: {violation.value}]" if violation.value else ""
    return f"<{violation.focus}>{where}: {violation.message}{value}"


def read_dataset(path: Path) -> Dataset:
    from rdflib import Dataset

    if not path.exists():
        raise UserError(f"{path}: no such graph file (build one with: nzkg build --output {path})")
    dataset = Dataset()
    try:
        dataset.parse(path, format=rdf_file_format(path).rdflib)
    except Exception as error:
        raise UserError(f"{path}: not a readable RDF file ({type(error).__name__}: {error})") from None
    return dataset


def run_validate(args: argparse.Namespace) -> int:
    from nzkg.validate import load_shapes, validate_dataset

    found = validate_dataset(read_dataset(args.graph), load_shapes())
    for file, violations in sorted(found.items()):
        for violation in violations:
            print(f"{file}: SHACL {violation.severity.lower()}: {describe(violation)}")
    errors = sum(1 for v in found.values() for x in v if x.severity == "Violation")
    print(f"{errors} violations in {len(found)} releases", file=sys.stderr)
    return 1 if errors else 0


def open_graph(path: Path) -> ox.Store:
    if not path.exists():
        raise UserError(f"{path}: no such graph file (build one with: nzkg build --output {path})")
    try:
        return load_file(path)
    except (ValueError, SyntaxError, OSError) as error:
        raise UserError(f"{path}: {error}") from None


def run_query(args: argparse.Namespace) -> int:
    text = query_text(args.query, args.param)
    store = open_graph(args.graph)
    try:
        result = query(store, text)
    except SyntaxError as error:
        raise UserError(f"query error: {' '.join(str(error).split())}") from None
    sys.stdout.write(render(result, args.format))
    return 0


def query_text(query: str, params: list[str]) -> str:
    """A named query (bound to its parameters), a query file, or the query itself."""
    if re.fullmatch(r"[\w-]+", query) and (QUERIES_DIR / f"{query}.rq").is_file():
        values = dict(param.split("=", 1) for param in params if "=" in param)
        if len(values) != len(params):
            raise UserError("parameters are written NAME=VALUE")
        try:
            return named_query(query).bound(**values)
        except QueryError as error:
            raise UserError(str(error)) from None
    if params:
        raise UserError("--param is for named queries (see queries/)")
    return Path(query).read_text(encoding="utf-8") if Path(query).is_file() else query


def run_plot(args: argparse.Namespace) -> int:
    from nzkg import api, plots

    if not args.graph.exists():
        raise UserError(f"{args.graph}: no such graph file (build one with: nzkg build --output {args.graph})")
    if args.output.suffix.lower() not in (".svg", ".png", ".pdf"):
        raise UserError(f"{args.output}: draw to a .svg, .png or .pdf file")
    query, draw = PICTURES[args.picture]
    try:
        frame = api.load(args.graph).run(query)
    except QueryError as error:
        raise UserError(str(error)) from None
    if frame.empty:
        raise UserError(f"nothing to draw: the query {query} finds no rows in {args.graph}")
    figure = getattr(plots, draw)(frame)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    plots.save(figure, args.output)
    print(f"nzkg: drew {args.picture} ({len(frame)} rows) → {args.output}", file=sys.stderr)
    return 0


def render(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str) -> str:
    if isinstance(result, ox.QueryBoolean):
        return json.dumps({"head": {}, "boolean": bool(result)}) + "\n" if fmt == "json" else f"{bool(result)}\n"
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.N_TRIPLES).decode()
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode() + "\n"
    names = [v.value for v in result.variables]
    rows = [["" if row[n] is None else short(row[n]) for n in names] for row in result]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return out.getvalue()
    return table(names, rows)


def short(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    """IRIs as prefixed names where a prefix fits; literals as their text."""
    return compact(term.value) if isinstance(term, ox.NamedNode) else term.value


def table(names: list[str], rows: list[list[str]], width: int = 60) -> str:
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines) + f"\n({len(rows)} rows)\n"


STATS = SPARQL_PREFIXES + """
SELECT ?what (COUNT(DISTINCT ?x) AS ?count) WHERE {
  { ?x a nzo:Release BIND("releases" AS ?what) }
  UNION { ?x a nzo:Contribution BIND("contributions" AS ?what) }
  UNION { ?r nzo:mentions ?x . ?x a nzo:Operation BIND("operations mentioned" AS ?what) }
  UNION { ?r nzo:mentions ?x . ?x a nzo:Place BIND("places mentioned" AS ?what) }
  UNION { ?r nzo:mentions ?x . ?x a nzo:Organisation BIND("organisations mentioned" AS ?what) }
  UNION { ?r nzo:announcedBy ?x BIND("ministers" AS ?what) }
} GROUP BY ?what ORDER BY ?what
"""


def run_stats(args: argparse.Namespace) -> int:
    store = open_graph(args.graph)
    rows = [[row["what"].value, row["count"].value] for row in query(store, STATS)]
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    rows.append(["named graphs", str(len(graphs))])
    rows.append(["triples", str(len(store))])
    sys.stdout.write(table(["what", "count"], rows))
    return 0


def waiting_for_build(path: Path) -> None:
    print(f"nzkg: waiting for another build of {path} to finish", file=sys.stderr)


def run_serve(args: argparse.Namespace) -> int:
    from nzkg.server import Limits, Supervisor, cut_off_network, listen
    from nzkg.web import Settings, create_app

    if args.per_client is not None and args.per_client < 1:
        raise UserError("--per-client is 1 or more")
    if args.workers < 1 or args.threads < 1:
        raise UserError("--workers and --threads are 1 or more")
    with contextlib.ExitStack() as held:
        source, dumps = source_to_serve(args, held)
        try:
            listener = listen(args.host, args.port)
        except OSError as error:
            raise UserError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
        if not cut_off_network():
            print("nzkg: the server cannot be cut off from the network here (no network namespaces); SERVICE is "
                  "refused by the query check alone", file=sys.stderr)
        limits = Limits(timeout=args.timeout, max_result_bytes=int(args.max_result_mb * 1_000_000),
                        max_query_memory=int(args.max_query_memory_mb * 1_000_000) or None, threads=args.threads,
                        per_client=args.per_client)
        settings = Settings(dumps=dumps)
        # Under load waitress warns of its queue depth once per queued request; the queue is how it is meant to work.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        # A GET carries its query in the URL, so the request head may be as long as a query plus the usual room
        # for headers; a body past twice the limit is refused unread (below that the app says 413 itself).
        # Connections wait in poll(), which unlike select() takes any number of them; idle ones are closed.
        waitress_options = {
            "ident": "nzkg", "connection_limit": allow_open_files(args.connections), "asyncore_use_poll": True,
            "channel_timeout": args.idle_timeout, "cleanup_interval": max(1, min(30, int(args.idle_timeout / 2))),
            "max_request_header_size": settings.max_query_bytes + 262_144,
            "max_request_body_size": 2 * settings.max_query_bytes}
        supervisor = Supervisor(listener, args.workers, lambda queries: create_app(settings, queries), source, limits,
                                waitress_options, meanwhile=import_the_views)
        what = source.graph or source.store
        print(f"nzkg: reading {what} into memory" if args.in_memory else f"nzkg: answering from {what} on disk",
              file=sys.stderr)
        print(f"nzkg: serving {what} at http://{args.host}:{args.port}/ (SPARQL: /sparql) with {args.workers} "
              "processes; Ctrl-C stops", file=sys.stderr)
        try:
            supervisor.run()
        except KeyboardInterrupt:
            pass
        except (OSError, SyntaxError) as error:
            raise UserError(f"{what}: the graph cannot be read ({' '.join(str(error).split())})") from None
    return 0


def source_to_serve(args: argparse.Namespace, held: contextlib.ExitStack) -> tuple[Source, Path]:
    """What `nzkg serve` serves, and where its dumps are written. A graph file (built from seeds/ if it is the
    default and missing) is read straight into memory and its dumps written for this run only; a store is
    served as the version its link leads to now, held on disk while served (`held` releases it)."""
    import tempfile

    from nzkg.build import build, exclusive, publish
    from nzkg.server import Source
    from nzkg.store import pin

    store = args.store
    if store is None:
        graph = args.graph or DEFAULT_GRAPH
        with exclusive([graph, graph.parent / "store"], waiting_for_build):
            if not graph.exists():
                if args.graph is not None:
                    raise UserError(f"{graph}: no such graph file")
                print(f"nzkg: no graph at {graph}; building it from {SEEDS_DIR}", file=sys.stderr)
                publish(build([SEEDS_DIR], progress=False), graph, graph.parent / "store")
            if args.in_memory:
                return Source(graph=graph), Path(held.enter_context(tempfile.TemporaryDirectory(prefix="nzkg-dumps-")))
            store = store_from_file(graph, graph.parent / "store")
    elif not (store / "CURRENT").exists():
        raise UserError(f"{store}: not an Oxigraph store directory")
    try:
        version = held.enter_context(pin(store)).path
    except StoreUnavailable as error:
        raise UserError(str(error)) from None
    return Source(store=version, in_memory=args.in_memory), version / "nzkg-dumps"


def import_the_views() -> None:
    """Imported once, before the server processes are forked, so that they share them."""
    from nzkg.web import dumps, pages, sparql  # noqa: F401


def allow_open_files(connections: int) -> int:
    """Raise this process's limit of open files so that it can hold `connections` connections besides its
    own files, as far as the hard limit allows; the number of connections it can hold."""
    spare = 256  # the store's files, the workers' pipes, the log
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + spare if hard == resource.RLIM_INFINITY else min(connections + spare, hard)
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted - spare < connections:
        print(f"nzkg: the open-file limit ({hard}) lets the server hold {wanted - spare} connections, not "
              f"{connections}", file=sys.stderr)
    return max(1, wanted - spare)


def run_export(args: argparse.Namespace) -> int:
    store = ox.Store.read_only(str(args.store)) if args.store is not None else open_graph(args.graph)
    fmt = EXPORT_FORMATS[args.format]
    if args.output is None:
        export(store, fmt, sys.stdout.buffer, DEFAULT_BASE)
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("wb") as out:
        export(store, fmt, out, DEFAULT_BASE)
    print(f"nzkg: wrote {args.output}", file=sys.stderr)
    return 0


def run_push(args: argparse.Namespace) -> int:
    from nzkg import push

    if not re.match(r"https?://[^/?#\s]+", args.endpoint):
        raise UserError(f"{args.endpoint}: the endpoint is an http:// or https:// URL")
    if args.retries < 0:
        raise UserError("--retries is 0 or more")
    password = args.password if args.password is not None else os.environ.get("NZKG_PASSWORD")
    if args.user is not None and password is None:
        raise UserError("--user needs --password (or the NZKG_PASSWORD environment variable)")
    if args.store is not None:
        if not (args.store / "CURRENT").exists():
            raise UserError(f"{args.store}: not an Oxigraph store directory")
        store = ox.Store.read_only(str(args.store))
    else:
        store = open_graph(args.graph)
    try:
        report = push.push(store, args.endpoint, graph_param=args.graph_param, body_format=args.format,
                           auth=push.make_auth(args.user, password, args.auth), retries=args.retries,
                           timeout=args.timeout, prefixes=PREFIXES)
    except ValueError as error:
        raise UserError(str(error)) from None
    for problem in report.problems():
        print(f"nzkg: {problem}", file=sys.stderr)
    print(f"nzkg: {report.summary()}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
