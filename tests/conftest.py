"""Shared fixtures: the vocabulary is loaded once per test session (building its phrase matcher takes a
second or two), and the seed corpus is built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from nzkg.build import BuildReport, build
from nzkg.paths import SEEDS_DIR
from nzkg.vocab import Vocabulary, load_vocabulary

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    vocabulary = load_vocabulary()
    vocabulary.matcher  # noqa: B018 - built once for the whole session
    return vocabulary


@pytest.fixture(scope="session")
def seeds_build(vocab: Vocabulary) -> BuildReport:
    return build([SEEDS_DIR], vocab=vocab, jobs=1, progress=False)
