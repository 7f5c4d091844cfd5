"""Reasoning benchmark: the build's OWL RL (the `reasonable` reasoner on ontology + vocabulary, compiled
rules on each release) against owlrl, the reference, and against `reasonable` run on the whole graph.

    python bench/reason.py --sizes 5 1000 10000 --runs 3 --owlrl-max 1000 --work /tmp/nzkg-bench

Size 5 is seeds/; the others are the first N releases of nzkg.synthetic's corpus (seed 1, as bench/build.py
makes them). Each engine gets the same asserted graphs (every release graph, the vocabulary and the
ontology) already in memory, and the timer covers reasoning only. The split's result is checked to equal
owlrl's wherever owlrl runs. Medians of `--runs`; ratios from the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph

from nzkg.build import build
from nzkg.graph import GraphBuilder
from nzkg.paths import SEEDS_DIR
from nzkg.reason import Entailment, Schema, closure, trivial, vocabulary_entailed
from nzkg.vocab import load_vocabulary

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))
from build import corpus  # bench/build.py's corpora, shared
from owl_reference import owlrl_inferred  # tests/owl_reference.py: the reference the tests check against


def split_tables(dataset: Dataset, builder: GraphBuilder) -> Entailment:
    """The build's once-per-build setup: the ontology's closure as tables, the vocabulary's links."""
    return Entailment(Schema.of(dataset.graph(builder.mint("graph", "ontology"))), builder.vocab_triples)


def split_reasoning(dataset: Dataset, builder: GraphBuilder, entailment: Entailment) -> set:
    """What `nzkg build --reason` computes with those tables: every release, then the shared part."""
    shared = {builder.mint("graph", "ontology"), builder.mint("graph", "vocab")}
    ontology, vocabulary = (dataset.graph(name) for name in sorted(shared))
    found = vocabulary_entailed(entailment.schema, ontology, vocabulary)
    for graph in dataset.graphs():
        if graph.identifier not in shared:
            found |= entailment.entailed(graph)
    asserted = {t for g in dataset.graphs() for t in g}
    return found - asserted


def whole(dataset: Dataset) -> Graph:
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union


def global_reasonable(union: Graph) -> set:
    asserted = set(union)
    return {t for t in closure(union) - asserted if not trivial(t)}


def timed(work: Callable[[], set]) -> tuple[float, set]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--owlrl-max", type=int, default=1000, help="largest size owlrl is run on (it is slow)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/nzkg-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    vocab = load_vocabulary()
    builder = GraphBuilder(vocab)
    largest = max(s for s in args.sizes if s != 5) if any(s != 5 for s in args.sizes) else 5
    print("| releases | asserted triples | entailed | split (ours) s, with its once-per-build setup | "
          "reasonable, whole graph s | owlrl s | "
          "owlrl / ours | reasonable whole / ours |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        folder = SEEDS_DIR if size == 5 else corpus(args.work, size, largest)
        dataset = build([folder], vocab=vocab, validate=False, progress=False).dataset
        union = whole(dataset)
        setup, ours, whole_s, owlrl_s = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            entailment = split_tables(dataset, builder)
            setup.append(time.perf_counter() - start)
            seconds, entailed = timed(lambda: split_reasoning(dataset, builder, entailment))  # noqa: B023 - now
            ours.append(seconds)
            whole_s.append(timed(lambda: global_reasonable(union))[0])  # noqa: B023
            if size <= args.owlrl_max:
                seconds, reference = timed(lambda: owlrl_inferred(union))  # noqa: B023
                owlrl_s.append(seconds)
                assert reference == entailed, f"{size}: the split differs from owlrl"
        setup_m, whole_m = statistics.median(setup), statistics.median(whole_s)
        ours_m = statistics.median(ours) + setup_m
        owlrl_m = statistics.median(owlrl_s) if owlrl_s else None
        print(f"| {size:,} | {len(union):,} | {len(entailed):,} | {ours_m:.2f} ({setup_m:.2f} setup) | {whole_m:.2f} | "
              f"{f'{owlrl_m:.1f}' if owlrl_m else 'not run'} | {f'{owlrl_m / ours_m:.0f}x' if owlrl_m else '–'} | "
              f"{whole_m / ours_m:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
