"""Property-based tests of the converter: whatever a file holds, converting it never crashes, and what it
gives conforms to the shapes and loads into the store.

Files are converted by `nzkg.build.convert.Converter`, as `build()` converts each file. A file may be skipped, with
a one-line reason, only when the release stage itself finds nothing to recover in it (`UnreadableRelease`:
an empty or binary file); any other failure is a converter bug, which `Converter` would turn into a skipped
file and a lost release. Examples are derandomized, so CI always tries the same ones; each failure found
(by hypothesis, or by hand where it says so) is kept as an @example.
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nzkg.build.convert import Converter, Outcome
from nzkg.graph import DEFAULT_BASE
from nzkg.release import UnreadableRelease, read_release
from nzkg.vocab import Vocabulary

EXAMPLES = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SCHEMA_URL = ox.NamedNode("https://schema.org/url")
ALLOWED_CONTROLS = {"\t", "\n"}  # what a literal may hold of the Unicode categories Cc and Cf


Convert = Callable[..., tuple[Outcome, Path]]


@pytest.fixture(scope="module")
def convert(vocab: Vocabulary, tmp_path_factory: pytest.TempPathFactory) -> Convert:
    """convert(content, name) → the outcome of a file named `name` holding `content`, and its path. A function,
    not the converter, because hypothesis prints a failing example's arguments, and a converter's vocabulary
    runs to megabytes. Each file is in a folder of its own, so nothing one example leaves reaches the next."""
    converter = Converter(vocab, DEFAULT_BASE, validate=True)
    folder, numbers = tmp_path_factory.mktemp("properties"), itertools.count()

    def convert(content: bytes, name: str = "release.md") -> tuple[Outcome, Path]:
        path = folder / str(next(numbers)) / name
        path.parent.mkdir()
        path.write_bytes(content)
        return converter(path), path

    return convert


def unsafe_characters(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in ALLOWED_CONTROLS}


def assert_converted_cleanly(outcome: Outcome, path: Path) -> None:
    """Converted into a graph that the store's strict parser reads, that conforms to the shapes and holds
    nothing unsafe; or skipped because the release stage found nothing to recover. Every message one line."""
    assert all("\n" not in problem and not unsafe_characters(problem) for problem in outcome.problems)
    if outcome.skipped is not None:
        assert "\n" not in outcome.skipped
        with pytest.raises(UnreadableRelease) as unreadable:  # anything else would be a converter bug
            read_release(path)
        assert str(unreadable.value) == outcome.skipped
        return
    assert [v for v in outcome.violations if v.severity == "Violation"] == []
    quads = list(ox.parse("".join(outcome.quads), format=ox.RdfFormat.N_QUADS))
    assert any(q.predicate.value == "https://w3id.org/nzkg/ontology#sourceFile" and q.object.value == path.name
               for q in quads)
    for quad in quads:
        if isinstance(quad.object, ox.Literal):
            assert not unsafe_characters(quad.object.value), quad
        if quad.predicate == SCHEMA_URL:
            assert quad.object.value.startswith(("http://", "https://")), quad


# ---- arbitrary text ---------------------------------------------------------------------------------------

WORDS = ["New Zealand", "will", "deploy", "25", "personnel", "to", "the", "Multinational Force and Observers",
         "until", "30 June 2017", "$2 million", "UNICEF", "Iraq", "Defence Minister Gerry Brownlee", "said",
         "Operation", "Mission", "(", ")", ".", ",", "\n", "\n\n", "---", ":", "- ", "#", "<b>", "</b>", "<script>",
         "\u200b", "\x00", "\ufeff", "\u202e", "\x1b", "\x0c", "\u2028", "\r\n", "é", "’", "Australia-", "-led", "|"]
PROSE = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=60).map(" ".join)


@given(text=st.text(max_size=400) | PROSE)
@example(text="0000000000000000\x1e0 _")  # a separator rdflib does not escape cut an N-Quads line in two
@example(text="0 _ \x7f")  # DEL in the title
@EXAMPLES
def test_arbitrary_text_never_crashes_the_converter(convert, text):
    assert_converted_cleanly(*convert(text.encode("utf-8")))


@given(raw=st.binary(max_size=400), name=st.sampled_from(["release.md", "release.txt"]))
@example(raw=b"\xff\xfe\x00", name="release.md")  # by hand: a UTF-16 BOM and half a character
@EXAMPLES
def test_arbitrary_bytes_never_crash_the_converter(convert, raw, name):
    assert_converted_cleanly(*convert(raw, name))


@given(text=PROSE, encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]))
@example(text="New Zealand \u202e", encoding="utf-16")  # a bidi override in the title
@EXAMPLES
def test_text_in_other_encodings_never_crashes_the_converter(convert, text, encoding):
    assert_converted_cleanly(*convert(text.encode(encoding, errors="replace")))


@given(stem=st.text(st.characters(exclude_characters="/", exclude_categories=["Cc", "Cf", "Cs"]), min_size=1,
                   max_size=20)
       .filter(lambda s: s not in (".", "..") and len(s.encode()) < 200))
@example(stem='"')  # rdflib refused to write the release's IRI, so the file was skipped
@example(stem="\U000efffe")  # a noncharacter in the IRI stopped the store loading the graph
@example(stem="a b%zz")  # by hand: so did a space and a bad percent-encoding
@EXAMPLES
def test_any_file_name_gives_iris_the_store_accepts(convert, stem):
    text = "---\ntitle: Troops return\ndate: 2020-03-30\n---\n\nNew Zealand will deploy 25 personnel to Iraq.\n"
    assert_converted_cleanly(*convert(text.encode(), f"{stem}.md"))


# ---- arbitrary front matter -------------------------------------------------------------------------------

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40) | st.binary(max_size=8)
           | st.dates(min_value=dt.date(1, 1, 1)) | st.datetimes()
           | st.sampled_from(["30/03/2020", "March 2020", "2020-13-45", "2020-02-30", "javascript:alert(1)",
                              "https://www.beehive.govt.nz/release/x", "http://a.nz/b c", "http://a.nz/100%",
                              "http://a\x01b.nz", "Phil Goff and Marian Hobbs", "<script>alert(1)</script>",
                              "Hon Dr Wayne Mapp", "", "~", "[", "{", "&a", "*a", "peace\u200bkeeping", "mis\x00sion",
                              "line\nbreak", "\x1b[1mbold"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
FRONT_MATTER = st.dictionaries(st.sampled_from(["title", "date", "url", "ministers", "portfolios", "Title", "DATE"])
                               | st.text(max_size=10), VALUES, max_size=6)
BODIES = PROSE | st.text(max_size=200)


def yaml_text(mapping: dict) -> str:
    return yaml.safe_dump(mapping, allow_unicode=True, default_flow_style=False, sort_keys=False)


@given(front=FRONT_MATTER, body=BODIES)
@example(front={"date": "\x1b"}, body="")  # a control character in the one-line message
@example(front={"ministers": {"\xad": [[], {}]}}, body="")  # "[]" and "{}" minted one person with two labels
@example(front={"url": "http://a.nz/100%"}, body="")  # by hand: an invalid IRI stopped the store loading the graph
@example(front={"ministers": ["mis\x00sion"]}, body="")  # by hand: a NUL in a minister's name
@EXAMPLES
def test_arbitrary_front_matter_never_crashes_the_converter(convert, front, body):
    assert_converted_cleanly(*convert(f"---\n{yaml_text(front)}---\n\n{body}\n".encode()))


@given(lines=st.lists(st.sampled_from(["title: x", "title: 'x", 'title: "<b>x</b>"', "date: 2020-13-45",
                                       "date: [2020", "url: javascript:alert(1)", "ministers:", "  - Phil Goff",
                                       "  -", "- a", "ministers: Phil Goff, Marian Hobbs", "a: &x [1, 2]",
                                       "b: *x", "c: *missing", "{", "}", ": :", "? k", "!!binary YWJj", "\t",
                                       "date: !!timestamp 2020-01-01", "date: !!timestamp soon", "d: !!bool x",
                                       "title: !!python/object:os.system x", 'title: "a\\0b\\ec"'])
                  | st.text(max_size=30), max_size=8),
       body=BODIES)
@example(lines=["d: !!bool x"], body="")  # by hand: PyYAML raises KeyError, not a YAMLError
@example(lines=["date: !!timestamp soon"], body="")  # by hand: and AttributeError here
@EXAMPLES
def test_broken_front_matter_never_crashes_the_converter(convert, lines, body):
    assert_converted_cleanly(*convert(("---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n").encode()))


def test_front_matter_with_aliases_that_expand_exponentially_converts_without_expanding_them(convert):
    """A 'billion laughs' front matter: each level refers to the one before nine times, so that writing a
    value out in full (in a message, say) would take gigabytes."""
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    fields = ["title: *a8", "date: *a8", "url: *a8", "ministers: *a8", "portfolios: *a8"]
    outcome, path = convert(("---\n" + "\n".join(levels + fields) + "\n---\n\nTroops returned home today.\n").encode())
    assert_converted_cleanly(outcome, path)
    assert outcome.skipped is None


def test_deeply_nested_front_matter_is_salvaged(convert):
    outcome, path = convert(("---\ntitle: Troops return\ndate: " + "[" * 5000 + "]" * 5000
                             + "\n---\n\nTroops returned home today.\n").encode())
    assert_converted_cleanly(outcome, path)
    assert outcome.skipped is None
