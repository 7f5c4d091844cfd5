"""Stage 4b: the OWL RL closure of ontology + data, kept in a graph of its own.

Asserted triples stay where extraction put them; what the ontology entails (superclass types such as
schema:Event and prov:Entity, partOf chains, super-properties such as schema:mentions) goes into
`graph/inferred`, so a query can ask for either and a user can always tell them apart.

Reasoning over a whole corpus at once is slow and needs it all in memory, so it is split in two:

- the ontology and vocabulary are closed by `reasonable`, a compiled OWL 2 RL reasoner, once per build;
- each release is closed on its own by `Entailment`: the same rules, compiled from the ontology's closure
  into tables (`Schema`: superclasses, super-properties, domains, ranges) and joined to the vocabulary's
  transitive and sameAs links, in one pass over its triples.

The split is exact when no rule joins two releases' triples: no functional, inverse-functional or
property-chain axioms, no restrictions. `Schema` refuses an ontology that has them. owlrl, the
reference implementation, gives the same entailments on the seeds and on synthetic corpora: the tests check it
(tests/test_reason.py, with tests/owl_reference.py), and owlrl is needed only there, not to build or serve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import reasonable
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))
# Axioms whose rules join triples that may come from different releases: closing each release on its own
# would miss what they entail. (A functional datatype property is harmless: it entails only that literals
# are the same.)
NOT_PER_RELEASE = {OWL.InverseFunctionalProperty, OWL.Restriction, OWL.hasKey, OWL.propertyChainAxiom,
                   OWL.inverseOf, OWL.SymmetricProperty, OWL.AllDifferent, OWL.maxCardinality,
                   OWL.maxQualifiedCardinality, OWL.unionOf, OWL.intersectionOf}


def trivial(triple: Triple) -> bool:
    """Entailments that hold of everything or of the built-in vocabularies (x sameAs x, x a owl:Thing,
    C subClassOf owl:Thing, xsd:string a rdfs:Datatype), which only add noise to queries."""
    subject, predicate, obj = triple
    if isinstance(subject, Literal) or str(subject).startswith(BUILT_IN):
        return True
    if predicate in REFLEXIVE and subject == obj:
        return True
    if predicate == RDF.type and obj in TRIVIAL_TYPES:
        return True
    return predicate in (RDFS.subClassOf, RDFS.domain, RDFS.range) and obj in TRIVIAL_TYPES


def plain(term: Node) -> Node:
    """RDF 1.1 makes "x" and "x"^^xsd:string one literal; reasoners write one or the other."""
    return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD.string else term


def closure(triples: Iterable[Triple]) -> set[Triple]:
    """The OWL 2 RL closure, by the compiled reasoner."""
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(list(triples))
    return {(s, p, plain(o)) for s, p, o in reasoner.reason()}


@dataclass(frozen=True)
class Schema:
    """The ontology's closure, read as tables of what each class, property and axiom entails."""

    superclasses: dict[Node, frozenset[Node]]
    superproperties: dict[Node, frozenset[Node]]
    domains: dict[Node, frozenset[Node]]  # of a property and its super-properties, with their superclasses
    ranges: dict[Node, frozenset[Node]]
    transitive: frozenset[Node]
    closed: frozenset[Triple]

    @classmethod
    def of(cls, ontology: Graph) -> Schema:
        unsupported = {str(t) for t in NOT_PER_RELEASE if (None, None, t) in ontology or (None, t, None) in ontology}
        unsupported |= {f"owl:FunctionalProperty on {p}" for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)
                        if (p, RDF.type, OWL.ObjectProperty) in ontology}
        if unsupported:
            raise ValueError(f"the ontology uses {', '.join(sorted(unsupported))}: releases cannot be reasoned "
                             "one by one")
        closed = closure(ontology)
        related = relations(closed)
        superclasses, superproperties = related[RDFS.subClassOf], related[RDFS.subPropertyOf]

        def with_superclasses(classes: Iterable[Node]) -> frozenset[Node]:
            return frozenset(c2 for c in classes for c2 in (c, *superclasses.get(c, ()))) - TRIVIAL_TYPES

        def inherited(declared: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
            properties = set(declared) | set(superproperties)
            return {p: with_superclasses(c for q in (p, *superproperties.get(p, ())) for c in declared.get(q, ()))
                    for p in properties}

        return cls(
            superclasses={c: frozenset(up) - TRIVIAL_TYPES for c, up in superclasses.items()},
            superproperties={p: frozenset(up) for p, up in superproperties.items()},
            domains=inherited(related[RDFS.domain]),
            ranges=inherited(related[RDFS.range]),
            transitive=frozenset(s for s, p, o in closed if p == RDF.type and o == OWL.TransitiveProperty),
            closed=frozenset(closed),
        )

    def completion(self) -> set[Triple]:
        """Domains and ranges passed down to sub-properties and up to superclasses (OWL RL's scm-dom and
        scm-rng), which the compiled reasoner leaves out."""
        return {(p, axis, c) for table, axis in ((self.domains, RDFS.domain), (self.ranges, RDFS.range))
                for p, classes in table.items() for c in classes}


class Entailment:
    """The OWL RL rules a release's triples can trigger: the ontology's tables, and the vocabulary's links
    (its triples of transitive properties and owl:sameAs, `vocabulary(predicates)`), which is all of the
    vocabulary that rules join to a release's triples. Links are followed when a release reaches them."""

    def __init__(self, schema: Schema, vocabulary: Callable[[set[Node]], Iterable[Triple]]) -> None:
        self.schema = schema
        self.links = relations(vocabulary(set(schema.transitive) | {OWL.sameAs}))
        self.backlinks = {p: reverse(self.links[p]) for p in schema.transitive}
        self.walked: dict[tuple[Node, Node, bool], set[Node]] = {}

    def entailed(self, triples: Iterable[Triple]) -> set[Triple]:
        """What a release's triples add to the closure of ontology + vocabulary: new, non-trivial triples."""
        schema = self.schema
        asserted = set(triples)
        facts = asserted | self.chains(asserted)
        for s, p, o in list(facts):
            facts.update((s, q, o) for q in schema.superproperties.get(p, ()))
        for s, p, o in list(facts):
            facts.update((s, RDF.type, c) for c in schema.domains.get(p, ()))
            if isinstance(o, URIRef | BNode):
                facts.update((o, RDF.type, c) for c in schema.ranges.get(p, ()))
        for s, p, o in list(facts):
            if p == RDF.type:
                facts.update((s, p, c) for c in schema.superclasses.get(o, ()))
        for s, p, o in list(facts):
            for s2 in self.same(s):
                facts.update((s2, p, o2) for o2 in self.same(o))
        return {t for t in facts - asserted - schema.closed if not trivial(t)}

    def same(self, node: Node) -> set[Node]:
        return self.reach(OWL.sameAs, node, forward=True) if node in self.links[OWL.sameAs] else {node}

    def reach(self, p: Node, node: Node, forward: bool) -> set[Node]:
        """The vocabulary's nodes a link leads to from `node` (or, not forward, that lead to it), itself too."""
        key = (p, node, forward)
        if key not in self.walked:
            links = self.links[p] if forward else self.backlinks[p]
            self.walked[key] = walk(node, lambda n: links.get(n, ()))
        return self.walked[key]

    def chains(self, asserted: set[Triple]) -> set[Triple]:
        """A transitive property's links joined to each other and to the vocabulary's: a new place part of a
        known one is part of all that encloses it, and so is whatever the vocabulary puts inside it."""
        found = set()
        for p in self.schema.transitive:
            links = [(s, o) for s, q, o in asserted if q == p]
            after, before = defaultdict(set), defaultdict(set)
            for s, o in links:
                after[s].add(o)
                before[o].add(s)
            for s, o in links:
                ends = walk(o, lambda n, p=p, after=after: after[n] | self.reach(p, n, forward=True))
                starts = walk(s, lambda n, p=p, before=before: before[n] | self.reach(p, n, forward=False))
                found.update((x, p, y) for x in starts for y in ends if x != y)
        return found


def relations(triples: Iterable[Triple]) -> dict[Node, dict[Node, set[Node]]]:
    """predicate → subject → objects; owl:sameAs both ways, as it is symmetric."""
    table: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        if s != o:
            table[p][s].add(o)
            if p == OWL.sameAs:
                table[p][o].add(s)
    return table


def reverse(links: dict[Node, set[Node]]) -> dict[Node, set[Node]]:
    table: dict[Node, set[Node]] = defaultdict(set)
    for s, objects in links.items():
        for o in objects:
            table[o].add(s)
    return table


def walk(start: Node, step: Callable[[Node], Iterable[Node]]) -> set[Node]:
    """Every node reachable from start, start included."""
    seen, todo = {start}, [start]
    while todo:
        for node in step(todo.pop()):
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen


def vocabulary_entailed(schema: Schema, ontology: Graph, vocabulary: Graph) -> set[Triple]:
    """What the ontology and the build's part of the vocabulary entail by themselves."""
    asserted = {*ontology, *vocabulary}
    found = closure(asserted) | schema.completion()
    return {t for t in found - asserted if not trivial(t)}

