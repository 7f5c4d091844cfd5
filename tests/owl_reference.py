"""The reference the build's reasoning is checked against: owlrl, the reference implementation of OWL 2 RL.
Far slower than the split of nzkg.reason; used by tests/test_reason.py to check it and by bench/reason.py to
measure it. owlrl is in the test and bench extras, not a dependency of nzkg."""

from __future__ import annotations

import owlrl
from rdflib import Graph

from nzkg.reason import Triple, plain, trivial


def owlrl_inferred(graph: Graph) -> set[Triple]:
    """owlrl's closure of a whole graph, minus what it asserts and the trivial triples."""
    closed = Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    asserted = set(graph)
    return {(s, p, plain(o)) for s, p, o in closed if (s, p, o) not in asserted and not trivial((s, p, o))}
