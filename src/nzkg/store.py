"""Stage 5: the graph in an Oxigraph store, where queries run (rdflib's own SPARQL engine is far too slow)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE,
           ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: unknown RDF format (use {', '.join(sorted(FORMATS))})") from None


def load_file(path: Path, store: ox.Store | None = None) -> ox.Store:
    """Bulk-load a graph file into a store (an in-memory one unless given)."""
    store = store if store is not None else ox.Store()
    store.bulk_load(path=str(path), format=rdf_format(path))
    return store


def query(store: ox.Store, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Queries see the union of all graphs as their default graph, as analysts expect."""
    return store.query(sparql, use_default_graph_as_union=True)
