"""The names the graph is written in: namespaces, prefixes, the default base, the graphs every build makes, and
how IRIs are minted. Their one home, importing only the standard library, so that the command line and the web
app can use them without loading rdflib or the extraction pipeline.

IRIs are readable and deterministic: `{base}release/{file stem}`, `contribution/{file stem}-{n}` (n in text
order), `operation/{slug}`, `person/{slug}`… (a stem percent-encoded, as in `release/a%20b` for `a b.md`);
each release's triples are in the named graph `{base}graph/{file stem}`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

NZO = "https://w3id.org/nzkg/ontology#"
DEFAULT_BASE = "https://w3id.org/nzkg/id/"  # the vocabulary's Turtle is written under it
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
WGS = "http://www.w3.org/2003/01/geo/wgs84_pos#"  # rdflib's WGS has https://, which is wrong
GEO = "http://www.opengis.net/ont/geosparql#"
PREFIXES = {"nzo": NZO, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS, "foaf": FOAF,
            "dcterms": DCTERMS, "prov": PROV, "schema": SCHEMA, "wgs": WGS, "geo": GEO}

SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES.items())

MINTED_KINDS = ("graph", "release", "contribution", "operation", "organisation", "place", "person", "portfolio")
SHARED_GRAPHS = ("ontology", "vocab", "minted", "inferred")  # the graphs no single release owns
LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title", FOAF + "name")  # in order of preference


def normal_base(base: str) -> str:
    """A base ends in "/" or "#", so that a kind and a name can follow it."""
    return base if base.endswith(("/", "#")) else base + "/"


def minted(base: str, kind: str, name: str) -> str:
    """The IRI of a resource the build mints: `{base}{kind}/{name}`, the name as one segment."""
    return f"{base}{kind}/{segment(name)}"


def graph_name(base: str, name: str) -> str:
    """The named graph of a release (by its file stem) or a shared graph (by its name in SHARED_GRAPHS)."""
    return minted(base, "graph", name)


def shared_graph_names(base: str) -> dict[str, str]:
    return {name: graph_name(base, name) for name in SHARED_GRAPHS}


def segment(name: str) -> str:
    """A name as the last segment of an IRI. Percent-encoded: a file stem may hold a space or a '%', and an IRI
    with one would stop the store loading the graph file. A name of one or two dots (the file `..md`) gets an
    underscore before it: browsers drop such a segment ("release/." is "release/"), encoded or not."""
    encoded = quote(name, safe="")
    return f"_{encoded}" if encoded in (".", "..") else encoded


def slug(text: str) -> str:
    """A name as a readable IRI segment: "Operation Ōkau" → "operation-okau"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


def prefixes(base: str) -> dict[str, str]:
    """Prefixes for writing the graph: the vocabularies', and one per kind of resource minted under the base."""
    return PREFIXES | {kind: f"{base}{kind}/" for kind in MINTED_KINDS}


def compact(iri: str, base: str = DEFAULT_BASE) -> str:
    """An IRI as a prefixed name where a prefix fits (`id:operation/unmiss`, `nzo:Release`), else as it is."""
    for prefix, namespace in ({"id": base} | PREFIXES).items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
