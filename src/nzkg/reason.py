"""Stage 4b: the OWL RL closure of ontology + data, kept in a graph of its own.

Asserted triples stay where extraction put them; what the ontology entails (superclass types such as
schema:Event and prov:Entity, partOf chains, super-properties such as schema:mentions) goes into
`graph/inferred`, so a query can ask for either and a user can always tell them apart.
"""

from __future__ import annotations

import owlrl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}


def inferred_graph(dataset: Dataset, name: URIRef) -> Graph:
    """Every triple OWL RL entails from all graphs of the dataset that no graph asserts, minus the
    trivial ones (x sameAs x, x a owl:Thing) that only add noise to queries."""
    asserted = Graph()
    for graph in dataset.graphs():
        if graph.identifier != name:
            for triple in graph:
                asserted.add(triple)
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = Graph(identifier=name)
    for triple in closure:
        if triple not in asserted and not trivial(triple):
            inferred.add(triple)
    return inferred


def trivial(triple: tuple) -> bool:
    subject, predicate, obj = triple
    if isinstance(subject, Literal):
        return True
    if predicate in REFLEXIVE and subject == obj:
        return True
    return predicate == RDF.type and obj in TRIVIAL_TYPES
