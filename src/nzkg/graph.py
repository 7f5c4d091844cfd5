"""Stage 3: facts → RDF. One named graph per release; the vocabulary resources the releases refer to in a
graph of their own; the ontology in another. IRIs are minted here, by the scheme of nzkg.terms. The same
input gives the same graph, byte for byte once sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from nzkg import terms
from nzkg.facts import COST, ENDED, TOTAL, Contribution, PartialDate, ReleaseFacts, Thing, money_text
from nzkg.paths import ONTOLOGY_FILE
from nzkg.terms import DEFAULT_BASE, graph_name, minted, normal_base, slug
from nzkg.vocab import Vocabulary

NZO = Namespace(terms.NZO)
SCHEMA = Namespace(terms.SCHEMA)
WGS = Namespace(terms.WGS)
GEO = Namespace(terms.GEO)
LINKS = {terms.NZO + p for p in ("partOf", "location", "ledBy", "country", "heldPortfolio")}


class GraphBuilder:
    """Mints IRIs under one base and turns facts into graphs."""

    def __init__(self, vocab: Vocabulary, base: str = DEFAULT_BASE) -> None:
        self.vocab = vocab
        self.base = normal_base(base)
        self.descriptions: dict[str, list[tuple[URIRef, URIRef, Node]]] = {}

    def rebase(self, iri: str) -> URIRef:
        """Vocabulary IRIs are written under the default base; a configured base replaces it."""
        return URIRef(self.base + iri[len(DEFAULT_BASE):] if iri.startswith(DEFAULT_BASE) else iri)

    def mint(self, kind: str, name: str) -> URIRef:
        return URIRef(minted(self.base, kind, name))

    def thing(self, thing: Thing) -> URIRef:
        return self.rebase(thing.iri) if thing.iri else self.mint(thing.kind, slug(thing.label))

    def graph_name(self, name: str) -> URIRef:
        return URIRef(graph_name(self.base, name))

    def release_graph(self, facts: ReleaseFacts) -> Graph:
        graph = Graph(identifier=self.graph_name(facts.stem))
        release = self.mint("release", facts.stem)
        add = graph.add
        add((release, RDF.type, NZO.Release))
        add((release, NZO.sourceFile, Literal(facts.source_file)))
        if facts.title:
            add((release, DCTERMS.title, Literal(facts.title)))
        if facts.date:
            add((release, DCTERMS.issued, Literal(facts.date.isoformat(), datatype=XSD.date)))
        if facts.url:
            add((release, SCHEMA.url, URIRef(facts.url)))
        for name in facts.ministers:
            person = self.minister(name)
            add((release, NZO.announcedBy, person))
            # a known minister is described in the vocabulary graph; a name minted before, by its first spelling
            if not self.known(person) and (person, RDF.type, NZO.Minister) not in graph:
                add((person, RDF.type, NZO.Minister))
                add((person, RDFS.label, Literal(name)))
                add((person, FOAF.name, Literal(name)))
        for name in facts.portfolios:
            add((release, NZO.portfolio, self.portfolio(name, graph)))
        for mention in facts.mentions:
            add((release, NZO.mentions, self.thing(mention.thing)))
            if mention.thing.iri:  # a known thing by the words this release uses for it
                for name in mention.thing.alt_labels:
                    add((self.thing(mention.thing), SKOS.altLabel, Literal(name)))
        for thing in self.new_things(facts):
            self.describe_new(thing, graph)
        for n, contribution in enumerate(facts.contributions, start=1):
            self.contribution(self.mint("contribution", f"{facts.stem}-{n}"), contribution, release, graph)
        return graph

    def minister(self, name: str) -> URIRef:
        """The vocabulary's minister of that name, else a new person IRI from the name."""
        known = sorted(i for i in self.vocab.by_name(name) if self.vocab.entities[i].kind == "minister")
        return self.rebase(known[0]) if known else self.mint("person", slug(name))

    def known(self, iri: URIRef) -> bool:
        return str(iri).startswith(self.base) and DEFAULT_BASE + str(iri)[len(self.base):] in self.vocab.entities

    def portfolio(self, name: str, graph: Graph) -> URIRef:
        known = [i for i in sorted(self.vocab.by_name(name)) if self.vocab.entities[i].kind == "portfolio"]
        if known:
            return self.rebase(known[0])
        iri = self.mint("portfolio", slug(name))
        if (iri, RDF.type, NZO.Portfolio) not in graph:  # "Māori Affairs" after "Maori Affairs": one portfolio
            graph.add((iri, RDF.type, NZO.Portfolio))
            graph.add((iri, RDFS.label, Literal(name)))
        return iri

    def new_things(self, facts: ReleaseFacts) -> list[Thing]:
        things = [m.thing for m in facts.mentions]
        for c in facts.contributions:
            things += [t for t in (c.operation, c.recipient, c.contributor, *c.locations) if t is not None]
        return list(dict.fromkeys(t for t in things if t.is_new))

    def describe_new(self, thing: Thing, graph: Graph) -> None:
        """Names that differ only in case or accents mint one IRI: the first is its label, the others are
        alternative labels, as the shapes allow a resource one label."""
        iri = self.thing(thing)
        graph.add((iri, RDF.type, URIRef(thing.cls or NZO.Operation)))
        if thing.kind == "place":
            graph.add((iri, RDF.type, NZO.Place))
        labelled = (iri, RDFS.label, None) in graph
        graph.add((iri, SKOS.altLabel if labelled else RDFS.label, Literal(thing.label)))
        for alt in thing.alt_labels:
            graph.add((iri, SKOS.altLabel, Literal(alt)))

    def contribution(self, iri: URIRef, c: Contribution, release: URIRef, graph: Graph) -> None:
        add = graph.add
        add((iri, RDF.type, NZO.Contribution))
        add((iri, RDFS.label, Literal(contribution_label(c))))
        if c.operation:
            add((iri, NZO.operation, self.thing(c.operation)))
        if c.recipient:
            add((iri, NZO.recipient, self.thing(c.recipient)))
        if c.contributor:
            add((iri, NZO.contributor, self.thing(c.contributor)))
        if c.personnel is not None:
            count = NZO.personnelTotal if c.personnel_kind == TOTAL else NZO.personnelCount
            add((iri, count, Literal(c.personnel, datatype=XSD.nonNegativeInteger)))
        if c.role:
            add((iri, NZO.role, Literal(c.role)))
        for place in c.locations:
            add((iri, NZO.location, self.thing(place)))
        if c.start:
            add((iri, NZO.startDate, date_literal(c.start)))
        if c.end:
            add((iri, NZO.endDate, date_literal(c.end)))
        if c.amount is not None:
            money = NZO.cost if c.amount_kind == COST else NZO.amount
            add((iri, money, Literal(canonical_decimal(c.amount), datatype=XSD.decimal)))
            add((iri, NZO.currency, Literal(c.currency or "NZD")))
        if c.status:
            add((iri, NZO.status, NZO[c.status]))
        add((iri, PROV.wasDerivedFrom, release))
        for sentence in c.evidence:
            add((iri, NZO.evidence, Literal(sentence)))

    def vocab_graph(self, referenced: Iterable[str]) -> Graph:
        """The vocabulary resources the releases refer to, with the places, leaders and countries they link
        to in turn, and a GeoSPARQL point for every place with coordinates."""
        graph = Graph(identifier=self.graph_name("vocab"))
        for triple in self.vocab_context(referenced):
            graph.add(triple)
        return graph

    def vocab_context(self, referenced: Iterable[str]) -> list[tuple[URIRef, URIRef, Node]]:
        """The triples of `vocab_graph`, without making a graph of them."""
        todo = sorted({i for i in referenced if i in self.vocab.statements})
        seen: set[str] = set()
        found = []
        while todo:
            subject = todo.pop()
            if subject not in seen:
                seen.add(subject)
                found += self.description(subject)
                todo += [t.object.value for t in self.vocab.statements[subject]
                         if t.predicate.value in LINKS and t.object.value in self.vocab.statements]
        return found

    def description(self, subject: str) -> list[tuple[URIRef, URIRef, Node]]:
        """One vocabulary resource's triples, made once per build: every release that names it needs them."""
        if subject not in self.descriptions:
            node = self.rebase(subject)
            triples = [(node, URIRef(t.predicate.value), self.term(t.object)) for t in self.vocab.statements[subject]]
            entity = self.vocab.entities.get(subject)
            if entity is not None and entity.kind == "place":
                triples.append((node, RDF.type, NZO.Place))  # asserted too: "?x a nzo:Place" must work unreasoned
            if entity is not None and entity.kind == "minister":
                triples.append((node, FOAF.name, Literal(entity.label)))  # as for the ministers releases name
            label = entity.label if entity is not None else subject.rsplit("/", 1)[-1]
            self.descriptions[subject] = triples + self.geometry(node, label, triples)
        return self.descriptions[subject]

    def vocab_triples(self, predicates: set[Node]) -> list[tuple[URIRef, URIRef, Node]]:
        """Every vocabulary statement with one of these predicates."""
        wanted = {str(p) for p in predicates}
        return [(self.rebase(subject), URIRef(t.predicate.value), self.term(t.object))
                for subject, triples in self.vocab.statements.items() for t in triples if t.predicate.value in wanted]

    def term(self, term: ox.NamedNode | ox.Literal | ox.BlankNode) -> URIRef | Literal:
        if isinstance(term, ox.NamedNode):
            return self.rebase(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            if term.datatype.value == str(XSD.string):  # a plain literal, as rdflib writes its own
                return Literal(term.value)
            return Literal(term.value, datatype=URIRef(term.datatype.value))
        raise ValueError(f"blank node {term} in the vocabulary: give it an IRI")

    def geometry(self, node: URIRef, label: str,
                 triples: list[tuple[URIRef, URIRef, Node]]) -> list[tuple[URIRef, URIRef, Node]]:
        position = {p: o for _, p, o in triples if p in (WGS.lat, WGS.long)}
        if len(position) < 2:
            return []
        geometry = URIRef(f"{node}/geometry")
        wkt = Literal(f"POINT({position[WGS.long]} {position[WGS.lat]})", datatype=GEO.wktLiteral)
        return [(node, GEO.hasGeometry, geometry), (geometry, RDF.type, GEO.Geometry), (geometry, GEO.asWKT, wkt),
                (geometry, RDFS.label, Literal(f"the position of {label}"))]

    def ontology_graph(self) -> Graph:
        graph = Graph(identifier=self.graph_name("ontology"))
        graph.parse(ONTOLOGY_FILE, format="turtle")
        return graph

    def referenced(self, graphs: Iterable[Graph]) -> set[str]:
        """Vocabulary IRIs (under the default base) that release graphs use as objects."""
        found = set()
        for graph in graphs:
            for obj in graph.objects():
                if isinstance(obj, URIRef) and str(obj).startswith(self.base):
                    found.add(DEFAULT_BASE + str(obj)[len(self.base):])
        return found & self.vocab.statements.keys()


def canonical_decimal(value: Decimal) -> str:
    """XSD's canonical form ("216000.0"), which every RDF syntax writes back unchanged."""
    text = f"{value:f}"
    return text if "." in text else text + ".0"


def date_literal(date: PartialDate) -> Literal:
    datatype = XSD.date if date.day else XSD.gYearMonth if date.month else XSD.gYear
    return Literal(date.isoformat(), datatype=datatype)


def contribution_label(c: Contribution) -> str:
    """What a contribution gives, to what and when, as its pages and links name it: "25 personnel to
    Multinational Force and Observers from 2016-03", "NZD 2,000,000 to UNICEF". A figure keeps its meaning: a
    total is "in all", a cost is a cost."""
    given = []
    if c.personnel is not None:
        given.append(f"{c.personnel} personnel" + (" in all" if c.personnel_kind == TOTAL else ""))
    if c.amount is not None:
        given.append(money_text(c.amount, c.currency) + (" in costs" if c.amount_kind == COST else ""))
    target = c.operation or c.recipient
    what = ", ".join(given) or c.role or "a contribution"
    what = f"{what} to {target.label}" if target else what
    period = [f"from {c.start.isoformat()}" if c.start else "", f"until {c.end.isoformat()}" if c.end else ""]
    return " ".join([what, *filter(None, period)]) + (", ended" if c.status in ENDED and not c.end else "")
