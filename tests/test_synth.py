"""The synthetic corpus generator (nzkg.synthetic): the same seed gives the same bytes, from Python and from
its command line, the releases are shaped like the real ones (mostly with front matter), and the build reads
them all and finds New Zealand's contributions in most of them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Namespace

from nzkg import synthetic
from nzkg.build import BuildReport, build
from nzkg.vocab import NZO as NZO_IRI
from nzkg.vocab import Vocabulary

RELEASES = 50
NZO = Namespace(NZO_IRI)


def generate(out: Path, seed: int) -> dict[str, bytes]:
    synthetic.generate(RELEASES, seed, out)
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def generate_from_the_command_line(out: Path, seed: int) -> dict[str, bytes]:
    subprocess.run([sys.executable, "-m", "nzkg.synthetic", "--releases", str(RELEASES), "--seed", str(seed), "--out",
                    str(out)], check=True, capture_output=True, timeout=60)
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "seed1"
    generate(out, 1)
    return out


@pytest.fixture(scope="module")
def report(corpus: Path, vocab: Vocabulary) -> BuildReport:
    return build([corpus], vocab=vocab, progress=False)


def test_the_same_seed_gives_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    first = {path.name: path.read_bytes() for path in sorted(corpus.iterdir())}
    again = generate_from_the_command_line(tmp_path / "again", 1)
    assert len(first) == RELEASES
    assert all(re.fullmatch(r"s\d{7}_[a-z0-9-]+\.md", name) for name in first)
    assert again == first


def test_another_seed_gives_another_corpus(corpus: Path, tmp_path: Path) -> None:
    first = {path.name: path.read_bytes() for path in sorted(corpus.iterdir())}
    other = generate(tmp_path / "other", 2)
    assert len(other) == RELEASES
    assert sum(other.get(name) == text for name, text in first.items()) < RELEASES // 10


def test_most_releases_have_front_matter(corpus: Path) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.iterdir())]
    with_front_matter = [text for text in texts if text.startswith("---\n")]
    assert 0.78 <= len(with_front_matter) / len(texts) <= 0.98
    assert any(text.startswith("---\nurl: ") for text in with_front_matter)  # some have only a url


def test_the_build_converts_every_release(report: BuildReport) -> None:
    assert report.skipped == []
    assert len(report.converted) == RELEASES


def test_most_releases_yield_contributions(report: BuildReport) -> None:
    releases = [graph for graph in report.dataset.graphs() if str(graph.identifier).rsplit("/", 1)[-1][:1] == "s"]
    with_contributions = [graph for graph in releases if (None, RDF.type, NZO.Contribution) in graph]
    assert len(releases) == RELEASES
    assert len(with_contributions) >= 0.6 * RELEASES
