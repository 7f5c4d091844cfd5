"""The notebook face: `kg = nzkg.load()` or `kg = nzkg.connect(url)`, then `kg.query(sparql)` and
`kg.run(name, **params)`, each giving a pandas DataFrame whose cells are Python values (int, Decimal,
float, datetime.date, bool, str; IRIs as str), so analysts sort, sum and plot without converting.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyoxigraph as ox

from nzkg.paths import DEFAULT_GRAPH_FILE, QUERIES_DIR, SEEDS_DIR
from nzkg.queries import named_query
from nzkg.store import load_file
from nzkg.terms import XSD

INTEGERS = {XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "negativeInteger", "long",
                              "nonPositiveInteger", "int", "short", "byte", "unsignedLong", "unsignedInt",
                              "unsignedShort", "unsignedByte")}
FLOATS = {XSD + "double", XSD + "float"}
TRIPLE = ["subject", "predicate", "object"]


def python_value(kind: str, value: str, datatype: str | None = None) -> object:
    """A SPARQL result term as the Python value an analyst expects; partial dates (2023-06) stay text."""
    if kind != "literal" or datatype is None:
        return value
    try:
        if datatype in INTEGERS:
            return int(value)
        if datatype == XSD + "decimal":
            return Decimal(value)
        if datatype in FLOATS:
            return float(value)
        if datatype == XSD + "boolean":
            return value in ("true", "1")
        if datatype == XSD + "date":
            return dt.date.fromisoformat(value[:10])
        if datatype == XSD + "dateTime":
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return value


class KnowledgeGraph:
    """What both faces share: named queries from queries/, with their parameters."""

    queries: Path = QUERIES_DIR

    def query(self, sparql: str) -> pd.DataFrame:
        raise NotImplementedError

    def run(self, name: str, **params: object) -> pd.DataFrame:
        """Run the named query queries/NAME.rq, its parameters bound to `params` or their defaults."""
        return self.query(named_query(name, self.queries).bound(**params))


class LocalGraph(KnowledgeGraph):
    """A graph in an embedded Oxigraph store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, sparql: str) -> pd.DataFrame:
        result = self.store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return pd.DataFrame({"boolean": [bool(result)]})
        if isinstance(result, ox.QueryTriples):
            return frame([[t.subject.value, t.predicate.value, term_value(t.object)] for t in result], TRIPLE)
        names = [v.value for v in result.variables]
        return frame([[term_value(row[n]) for n in names] for row in result], names)


def frame(rows: list[list[object]], columns: list[str]) -> pd.DataFrame:
    """Cells keep their Python values (an int stays an int, a missing value stays None): pandas would
    otherwise turn a column of counts with gaps into floats."""
    return pd.DataFrame(rows, columns=columns, dtype=object)


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return python_value("literal", term.value, None if term.language else term.datatype.value)
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


class RemoteGraph(KnowledgeGraph):
    """A graph behind a SPARQL endpoint, such as the one `nzkg serve` runs."""

    def __init__(self, endpoint: str, timeout: float = 60.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def query(self, sparql: str) -> pd.DataFrame:
        import requests

        response = requests.post(self.endpoint, data={"query": sparql}, timeout=self.timeout, headers={
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        if response.status_code != 200:
            raise RuntimeError(f"{self.endpoint} answered {response.status_code}: {response.text.strip()}")
        if response.headers.get("Content-Type", "").startswith("application/n-triples"):
            triples = ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
            return frame([[t.subject.value, t.predicate.value, term_value(t.object)] for t in triples], TRIPLE)
        data = json.loads(response.content)
        if "boolean" in data:
            return pd.DataFrame({"boolean": [data["boolean"]]})
        names = data["head"]["vars"]
        return frame([[binding_value(b.get(n)) for n in names] for b in data["results"]["bindings"]], names)


def binding_value(binding: dict | None) -> object:
    if binding is None:
        return None
    kind = "literal" if binding["type"] in ("literal", "typed-literal") else binding["type"]
    return python_value(kind, binding["value"], binding.get("datatype"))


def load(source: str | Path | None = None) -> LocalGraph:
    """An embedded graph: a graph file (.trig, .nq, .ttl, .jsonld), an Oxigraph store directory, or, with
    nothing given, build/nzkg.trig if it was built, else a graph built from seeds/ on the spot."""
    if source is not None:
        path = Path(source)
        if path.is_dir():
            return LocalGraph(ox.Store.read_only(str(path)))
        return LocalGraph(load_file(path))
    if DEFAULT_GRAPH_FILE.exists():
        return LocalGraph(load_file(DEFAULT_GRAPH_FILE))
    from nzkg.build import build

    store = ox.Store()
    store.bulk_load("".join(build([SEEDS_DIR], progress=False).nquads()).encode(), format=ox.RdfFormat.N_QUADS)
    return LocalGraph(store)


def connect(endpoint: str, timeout: float = 60.0) -> RemoteGraph:
    """A graph served over SPARQL (`nzkg serve`, or any SPARQL 1.1 endpoint holding it)."""
    return RemoteGraph(endpoint, timeout)
