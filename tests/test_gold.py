"""Accuracy against gold annotations (format v2, fixtures/eval/GOLD.md), scored by a copy of the project's
yardstick (fixtures/eval/score.py): the seeds and the whole annotated corpus must each reach F1 ≥ 0.9 in every
category, the kinds of figure (strength or total, grant or cost), starts and what is over included."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nzkg.build import build, write_output
from nzkg.paths import SEEDS_DIR
from nzkg.vocab import Vocabulary

FIXTURES = Path(__file__).parent / "fixtures"
CATEGORIES = ("ministers", "operations", "places", "personnel", "start_dates", "end_dates", "amounts", "ended")
THRESHOLD = 0.9


def yardstick():
    spec = importlib.util.spec_from_file_location("score", FIXTURES / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=[(SEEDS_DIR, FIXTURES / "seeds-gold"), (FIXTURES / "corpus", None)],
                ids=["seeds", "corpus"])
def scores(request, vocab: Vocabulary, tmp_path_factory) -> dict[str, tuple[float, float, float]]:
    corpus, gold = request.param
    graph = tmp_path_factory.mktemp("gold") / "graph.trig"
    write_output(build([corpus], vocab=vocab, progress=False), graph)
    tallies, missing = yardstick().score(gold or corpus, graph)
    assert missing == []
    return {name: tally.prf() for name, tally in tallies.items()}


@pytest.mark.parametrize("category", CATEGORIES)
def test_f1_reaches_the_bar(scores: dict[str, tuple[float, float, float]], category: str) -> None:
    precision, recall, f1 = scores[category]
    assert f1 >= THRESHOLD, f"{category}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}"
