"""Tests of nzkg.release: one file → a `Release` (decoding, cleaning, front matter, blocks and sentences).

Most tests write a small file into `tmp_path` and read it back. The last part reads every seed release and
the corpus fixtures in tests/fixtures/corpus (copies of the hand-annotated corpus, with their .gold.json).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import frontmatter
import pytest

from nzkg.release import (
    MAX_BYTES,
    UnreadableRelease,
    clean,
    decode,
    first_title_line,
    is_boilerplate,
    name_list,
    parse_date,
    parse_url,
    read_release,
    segment,
    split_front_matter,
)

TESTS = Path(__file__).parent
SEEDS = sorted((TESTS.parent / "seeds").glob("*.txt"))
CORPUS = sorted((TESTS / "fixtures" / "corpus").glob("*.md"))
NO_DATE = "no date; the release gets no dcterms:issued"
NO_BODY = "no body text after the front matter"
BODY = "Defence Minister Phil Goff said today that 45 personnel will deploy to Iraq."


@pytest.fixture
def write(tmp_path):
    """write(content, name) → the path of a file holding `content` (bytes, or text written as UTF-8)."""

    def write(content: bytes | str, name: str = "release.md") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


def release_text(body: str = BODY, **fields: str) -> str:
    """A release with front matter holding `fields` verbatim (title and date by default) and `body`."""
    fields = {"title": '"Troops deploy to Iraq"', "date": "2008-09-30"} | fields
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def texts(blocks) -> list[str]:
    return [block.doc.text for block in blocks]


# ---- decoding --------------------------------------------------------------------------------------------

FRONT = (
    '---\ntitle: "Café opens in Wellington"\ndate: 2020-03-30\n---\n\nThe café opened today in Wellington.\n'
)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(FRONT.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + FRONT.encode("utf-8"), id="utf-8-bom-before-front-matter"),
        pytest.param(FRONT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xff\xfe" + FRONT.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + FRONT.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(FRONT.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(FRONT.replace("\n", "\r").encode("utf-8"), id="lone-cr"),
        pytest.param(b"\xef\xbb\xbf" + FRONT.replace("\n", "\r\n").encode("utf-8"), id="bom-and-crlf"),
    ],
)
def test_encodings_and_line_ends_give_the_same_release(write, raw):
    release = read_release(write(raw))
    assert release.title == "Café opens in Wellington"
    assert release.date == dt.date(2020, 3, 30)
    assert release.problems == []
    assert "\r" not in release.body and "\ufeff" not in release.body
    assert texts(release.blocks)[0] == "The café opened today in Wellington."


def test_latin_1_is_read_with_a_problem_giving_the_byte_offset(write):
    release = read_release(write(FRONT.encode("latin-1")))
    assert release.title == "Café opens in Wellington"
    assert texts(release.blocks)[0] == "The café opened today in Wellington."
    # "---\ntitle: \"Caf" is 15 bytes; the é (0xE9) is byte 15.
    assert release.problems == ["not UTF-8 (byte 15); read as Windows-1252"]


def test_windows_1252_punctuation_is_decoded(write):
    raw = b"---\ntitle: \x93Peace\x94 \x96 support\ndate: 2008-09-30\n---\n\nThe caf\xe9 \x96 it\x92s open.\n"
    release = read_release(write(raw))
    assert release.title == "“Peace” – support"
    assert texts(release.blocks)[0] == "The café – it’s open."
    assert release.problems == ["not UTF-8 (byte 11); read as Windows-1252"]


def test_decode_directly():
    problems: list[str] = []
    assert decode(b"\xef\xbb\xbfKia ora", problems) == "Kia ora"
    assert decode("Kia ora".encode("utf-16"), problems) == "Kia ora"
    assert problems == []
    assert decode(b"Kia ora caf\xe9", problems) == "Kia ora café"
    assert problems == ["not UTF-8 (byte 11); read as Windows-1252"]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"   \n\r\n\t  \n", id="whitespace-only"),
        pytest.param(b"\xef\xbb\xbf\n\n", id="bom-and-blank-lines"),
        pytest.param("\u200b\u200b\n".encode(), id="only-zero-width-spaces"),
        pytest.param(bytes(range(256)) * 50, id="all-byte-values"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(4000), id="png-header-and-random-bytes"
        ),
        pytest.param(b"\x00" * 100, id="nul-bytes"),
    ],
)
def test_unreadable_files_raise(write, raw):
    with pytest.raises(UnreadableRelease):
        read_release(write(raw))


def test_unreadable_reason(write):
    with pytest.raises(UnreadableRelease, match="empty file"):
        read_release(write(b""))
    with pytest.raises(UnreadableRelease, match="binary data"):
        read_release(write(bytes(range(256)) * 50))


# ---- cleaning --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "expected"),
    [
        pytest.param("peace\u200bkeeping", "peacekeeping", id="zero-width-space"),
        pytest.param("peace\u200c\u200d\u2060keeping", "peacekeeping", id="zero-width-joiners"),
        pytest.param("peace\u00adkeeping", "peacekeeping", id="soft-hyphen"),
        pytest.param("mis\x00sion", "mission", id="nul"),
        pytest.param("\ufeffKosovo", "Kosovo", id="bom"),
        pytest.param("Bosnia\u2011Herzegovina", "Bosnia-Herzegovina", id="non-breaking-hyphen"),
        pytest.param("Bosnia\u2010Herzegovina", "Bosnia-Herzegovina", id="unicode-hyphen"),
        pytest.param("NZ\u00a0Defence\u202fForce\u2009today", "NZ Defence Force today", id="odd-spaces"),
        pytest.param("a\r\nb\rc\n", "a\nb\nc\n", id="line-ends"),
        pytest.param("Mangere\u0304", "Mangerē", id="nfc"),
    ],
)
def test_clean(dirty, expected):
    assert clean(dirty) == expected


def test_invisible_characters_inside_words_are_removed_in_title_and_body(write):
    text = release_text(
        title="Peace\u200bkeeping mis\x00sion ends",
        body="The peace\u200bkeep\u00aders of Bosnia\u2011Herzegovina left.",
    )
    release = read_release(write(text))
    assert release.title == "Peacekeeping mission ends"
    assert texts(release.blocks)[0] == "The peacekeepers of Bosnia-Herzegovina left."
    assert [t.text for t in release.blocks[0].doc][:3] == ["The", "peacekeepers", "of"]


def test_html_is_stripped_but_its_text_kept_and_scripts_removed(write):
    body = (
        "Troops <b>deployed</b> to <a href='https://x.nz'>Iraq</a> today.<script>alert(1)</script>"
        " More <!-- hidden --> text.\n\n<style>p {color: red}</style><p>Second paragraph.</p>"
    )
    release = read_release(write(release_text(body=body)))
    assert "<" not in release.body and ">" not in release.body
    assert "alert" not in release.body and "hidden" not in release.body and "color" not in release.body
    words = [t.text for block in release.blocks for t in block.doc if not t.is_space]
    assert words == [
        "Troops",
        "deployed",
        "to",
        "Iraq",
        "today",
        ".",
        "More",
        "text",
        ".",
        "Second",
        "paragraph",
        ".",
    ]


def test_html_in_a_front_matter_title_is_stripped(write):
    release = read_release(write(release_text(title='"<b>Troops</b> deploy to Iraq"')))
    assert release.title == "Troops deploy to Iraq"


# ---- front matter ----------------------------------------------------------------------------------------


def test_a_full_front_matter(write):
    text = release_text(
        title='"NZ extends role in UN peacekeeping mission in Iraq"',
        date="2008-09-30",
        url="https://www.beehive.govt.nz/release/nz-extends-role",
        ministers="\n  - Phil Goff\n  - Marian Hobbs",
        portfolios="\n  - Defence\n  - Foreign Affairs",
    )
    release = read_release(write(text, "001_abc.txt"))
    assert release.title == "NZ extends role in UN peacekeeping mission in Iraq"
    assert release.date == dt.date(2008, 9, 30)
    assert release.url == "https://www.beehive.govt.nz/release/nz-extends-role"
    assert release.ministers == ["Phil Goff", "Marian Hobbs"]
    assert release.portfolios == ["Defence", "Foreign Affairs"]
    assert release.problems == []
    assert release.body == "\n" + BODY + "\n"
    assert release.source_file == "001_abc.txt"
    assert release.stem == "001_abc"


def test_front_matter_keys_are_case_insensitive(write):
    release = read_release(write('---\nTitle: "Troops deploy"\nDATE: 2008-09-30\n---\n\n' + BODY))
    assert release.title == "Troops deploy"
    assert release.date == dt.date(2008, 9, 30)


MALFORMED = (
    '---\ntitle: "Troops: return home\ndate: 2020-03-30\nministers:\n  - Phil Goff\n  - Marian Hobbs\n'
    "portfolios: Defence, Foreign Affairs\n---\n\nThe troops returned today.\n"
)


def test_malformed_yaml_is_salvaged_line_by_line(write):
    release = read_release(write(MALFORMED))
    assert release.title == "Troops: return home"
    assert release.date == dt.date(2020, 3, 30)
    assert release.ministers == ["Phil Goff", "Marian Hobbs"]
    assert release.portfolios == ["Defence", "Foreign Affairs"]
    assert texts(release.blocks)[0] == "The troops returned today."
    [problem] = release.problems
    assert re.fullmatch(
        r"line \d+: front matter is not valid YAML \(found unexpected end of stream\); read it line by line",
        problem,
    )


def test_malformed_yaml_with_a_colon_in_the_title(write):
    text = "---\ntitle: Troops return: home now\ndate: 30/03/2020\n---\n\nThe troops returned today.\n"
    release = read_release(write(text))
    assert release.title == "Troops return: home now"
    assert release.date == dt.date(2020, 3, 30)
    [problem] = release.problems
    assert re.match(
        r"line \d+: front matter is not valid YAML \(mapping values are not allowed here\)", problem
    )


def test_malformed_yaml_problem_gives_the_file_line(write):
    # The error is on line 3 of the file ("date: a: b").
    text = "---\ntitle: Troops return\ndate: a: b\n---\n\nThe troops returned today.\n"
    release = read_release(write(text))
    assert release.problems[0].startswith("line 3: ")


@pytest.mark.parametrize(
    ("front", "kind"),
    [
        pytest.param("- one\n- two", "list", id="list"),
        pytest.param("just a string", "str", id="string"),
        pytest.param("42", "int", id="number"),
    ],
)
def test_front_matter_that_is_not_a_mapping_is_ignored(write, front, kind):
    release = read_release(write(f"---\n{front}\n---\n\nThe troops returned to New Zealand today.\n"))
    assert release.title == "The troops returned to New Zealand today."  # from the body
    assert release.date is None
    assert release.ministers == [] and release.portfolios == []
    assert release.problems == [f"line 2: front matter is a {kind}, not a mapping; ignored", NO_DATE]
    assert texts(release.blocks)[0] == "The troops returned to New Zealand today."


def test_empty_front_matter(write):
    release = read_release(write("---\n---\n\nThe troops returned to New Zealand today.\n"))
    assert release.title == "The troops returned to New Zealand today."
    assert release.problems == [NO_DATE]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('---\ntitle: "Only front matter"\ndate: 2020-03-30\n---\n', id="nothing-after"),
        pytest.param(
            '---\ntitle: "Only front matter"\ndate: 2020-03-30\n---\n\n\n   \n', id="blank-lines-after"
        ),
        pytest.param(
            '---\ntitle: "Only front matter"\ndate: 2020-03-30\n---\n\nShare\n\n[Home](/)\n',
            id="only-chrome-after",
        ),
    ],
)
def test_front_matter_without_body(write, text):
    release = read_release(write(text))
    assert release.title == "Only front matter"
    assert release.date == dt.date(2020, 3, 30)
    assert release.problems == [NO_BODY]


def test_front_matter_only_markers_without_body(write):
    release = read_release(write("---\n---\n"))
    assert release.title is None
    assert release.blocks == []
    assert release.problems == [NO_BODY, NO_DATE]


def test_split_front_matter_directly():
    problems: list[str] = []
    metadata, body = split_front_matter("\n\n---\ntitle: T\n---\nBody.\n", problems)
    assert metadata == {"title": "T"}
    assert body == "\nBody.\n"
    assert problems == []
    assert split_front_matter("No front matter.\n---\n", problems) == ({}, "No front matter.\n---\n")
    assert problems == []


@pytest.mark.parametrize(
    ("title", "expected", "problem"),
    [
        pytest.param(
            "[a, b]", "The troops returned to New Zealand today.", "front matter 'title' is a list", id="list"
        ),
        pytest.param(
            "{a: 1}", "The troops returned to New Zealand today.", "front matter 'title' is a dict", id="dict"
        ),
        pytest.param("2020", "2020", None, id="number"),
    ],
)
def test_title_that_is_not_text(write, title, expected, problem):
    release = read_release(write(release_text("The troops returned to New Zealand today.", title=title)))
    assert release.title == expected
    assert [p for p in release.problems if p.startswith("front matter")] == (
        [f"{problem}, not text; ignored"] if problem else []
    )


# ---- dates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2020-03-30", dt.date(2020, 3, 30), id="yaml-date"),
        pytest.param("'2020-03-30'", dt.date(2020, 3, 30), id="quoted-iso"),
        pytest.param("2020-03-30T10:00:00", dt.date(2020, 3, 30), id="yaml-datetime"),
        pytest.param("30/03/2020", dt.date(2020, 3, 30), id="day-month-year-slashes"),
        pytest.param("1/2/2020", dt.date(2020, 2, 1), id="nz-order-not-us-order"),
        pytest.param("30.03.2020", dt.date(2020, 3, 30), id="dots"),
        pytest.param("12 October 2016", dt.date(2016, 10, 12), id="day-month-name-year"),
        pytest.param("12 Oct 2016", dt.date(2016, 10, 12), id="abbreviated-month"),
        pytest.param("October 12, 2016", dt.date(2016, 10, 12), id="month-day-comma-year"),
    ],
)
def test_dates(write, value, expected):
    release = read_release(write(release_text(date=value)))
    assert release.date == expected
    assert release.problems == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("March 2020", "March 2020", id="month-and-year"),
        pytest.param("'2020-13-45'", "2020-13-45", id="quoted-impossible-iso"),
        pytest.param("31/02/2020", "31/02/2020", id="thirty-first-of-february"),
        pytest.param("soon", "soon", id="word"),
        pytest.param("[2020]", "[2020]", id="list"),
    ],
)
def test_dates_that_are_not_calendar_dates(write, value, shown):
    release = read_release(write(release_text(date=value)))
    assert release.date is None
    assert release.problems == [f"date '{shown}' is not a calendar date; the release gets no dcterms:issued"]


@pytest.mark.parametrize("value", ["2020-13-45", "2020-02-30"])
def test_unquoted_impossible_yaml_date(write, value):
    release = read_release(write(release_text(date=value)))
    assert release.title == "Troops deploy to Iraq"
    assert release.date is None
    assert any(value in problem for problem in release.problems)


@pytest.mark.parametrize("date", [None, "", "[]"], ids=["absent", "empty", "empty-list"])
def test_missing_date(write, date):
    release = read_release(write(release_text(date=date)))
    assert release.date is None
    assert release.problems == [NO_DATE]


def test_parse_date_directly():
    problems: list[str] = []
    assert parse_date(dt.datetime(2020, 3, 30, 9, 15), problems) == dt.date(2020, 3, 30)
    assert parse_date(dt.date(2020, 3, 30), problems) == dt.date(2020, 3, 30)
    assert parse_date("  30/03/2020 ", problems) == dt.date(2020, 3, 30)
    assert problems == []
    assert parse_date(None, problems) is None
    assert problems == [NO_DATE]


# ---- urls, ministers, portfolios -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "https://www.beehive.govt.nz/release/x", "https://www.beehive.govt.nz/release/x", id="https"
        ),
        pytest.param(
            "http://www.scoop.co.nz/stories/PA0303/S00377.htm",
            "http://www.scoop.co.nz/stories/PA0303/S00377.htm",
            id="http",
        ),
    ],
)
def test_urls(write, value, expected):
    release = read_release(write(release_text(url=value)))
    assert release.url == expected
    assert release.problems == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param('"javascript:alert(1)"', "javascript:alert(1)", id="javascript"),
        pytest.param("ftp://x", "ftp://x", id="ftp"),
        pytest.param("www.beehive.govt.nz", "www.beehive.govt.nz", id="no-scheme"),
        pytest.param('"http://a.nz/b c"', "http://a.nz/b c", id="space-inside"),
        pytest.param("42", "42", id="number"),
    ],
)
def test_urls_that_are_not_http(write, value, shown):
    release = read_release(write(release_text(url=value)))
    assert release.url is None
    assert release.problems == [f"url '{shown}' is not an http(s) address; ignored"]


def test_parse_url_directly():
    problems: list[str] = []
    assert parse_url(None, problems) is None
    assert parse_url("  https://nzdf.mil.nz/x  ", problems) == "https://nzdf.mil.nz/x"
    assert problems == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param('"Phil Goff and Marian Hobbs"', ["Phil Goff", "Marian Hobbs"], id="string-with-and"),
        pytest.param(
            '"Phil Goff, Marian Hobbs & Helen Clark"',
            ["Phil Goff", "Marian Hobbs", "Helen Clark"],
            id="string-with-comma-and-ampersand",
        ),
        pytest.param(
            "Rt Hon Winston Peters; Hon Ron Mark", ["Rt Hon Winston Peters", "Hon Ron Mark"], id="semicolon"
        ),
        pytest.param("Phil Goff", ["Phil Goff"], id="one-name"),
        pytest.param("\n  - Phil Goff\n  - Marian Hobbs", ["Phil Goff", "Marian Hobbs"], id="yaml-list"),
        pytest.param(
            "[Phil Goff, '  ', Marian Hobbs]", ["Phil Goff", "Marian Hobbs"], id="blank-item-dropped"
        ),
    ],
)
def test_ministers(write, value, expected):
    release = read_release(write(release_text(ministers=value)))
    assert release.ministers == expected
    assert release.problems == []


@pytest.mark.parametrize(
    ("value", "kind"),
    [pytest.param("42", "int", id="number"), pytest.param("{name: Phil Goff}", "dict", id="dict")],
)
def test_ministers_that_are_not_names(write, value, kind):
    release = read_release(write(release_text(ministers=value)))
    assert release.ministers == []
    assert release.problems == [f"front matter 'ministers' is a {kind}, not a list of names; ignored"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            '"Foreign Affairs and Trade, Defence"',
            ["Foreign Affairs and Trade", "Defence"],
            id="and-does-not-split",
        ),
        pytest.param("Defence; Police", ["Defence", "Police"], id="semicolon"),
        pytest.param("Arts & Culture", ["Arts & Culture"], id="ampersand-does-not-split"),
        pytest.param("\n  - Defence\n  - Foreign Affairs", ["Defence", "Foreign Affairs"], id="yaml-list"),
    ],
)
def test_portfolios(write, value, expected):
    release = read_release(write(release_text(portfolios=value)))
    assert release.portfolios == expected
    assert release.problems == []


def test_name_list_directly():
    from nzkg.release import LIST_SEPARATORS, PEOPLE_SEPARATORS

    problems: list[str] = []
    assert name_list(None, "ministers", problems, PEOPLE_SEPARATORS) == []
    assert name_list("Phil Goff and Marian Hobbs", "ministers", problems, PEOPLE_SEPARATORS) == [
        "Phil Goff",
        "Marian Hobbs",
    ]
    assert name_list("Phil Goff and Marian Hobbs", "portfolios", problems, LIST_SEPARATORS) == [
        "Phil Goff and Marian Hobbs"
    ]
    assert name_list(["Defence", 3, {"x": 1}], "portfolios", problems, LIST_SEPARATORS) == ["Defence", "3"]
    assert problems == []
    assert name_list(4.5, "ministers", problems, PEOPLE_SEPARATORS) == []
    assert problems == ["front matter 'ministers' is a float, not a list of names; ignored"]


# ---- blocks and sentences --------------------------------------------------------------------------------


def test_paragraphs_split_at_blank_lines():
    blocks = segment("First paragraph here.\n\nSecond paragraph\nruns on here.\n\n\nThird.")
    assert texts(blocks) == ["First paragraph here.", "Second paragraph\nruns on here.", "Third."]
    assert [b.start for b in blocks] == [0, 23, 56]


def test_bullets_are_blocks_of_their_own():
    blocks = segment(
        "Key points:\n- Military contribution to end in June 2023\n- $4 million to support work\n"
        "* star bullet\n• dot bullet"
    )
    assert texts(blocks) == [
        "Key points:",
        "- Military contribution to end in June 2023",
        "- $4 million to support work",
        "* star bullet",
        "• dot bullet",
    ]
    assert [b.start for b in blocks] == [0, 12, 56, 85, 99]


@pytest.mark.parametrize(
    "heading",
    [
        pytest.param("MEDIA RELEASE", id="capitals"),
        pytest.param("Wellington, 30 September 2008", id="dateline"),
        pytest.param("Media statement: UNAMI", id="ends-with-acronym"),
        pytest.param("Why do we get involved?", id="question"),
    ],
)
def test_a_heading_line_is_split_from_the_sentence_after_it(heading):
    blocks = segment(f"{heading}\nDefence Minister Phil Goff announced the extension.")
    assert texts(blocks) == [heading, "Defence Minister Phil Goff announced the extension."]
    assert blocks[1].start == len(heading) + 1


def test_a_markdown_heading_ending_in_a_lowercase_word_is_its_own_block():
    blocks = segment("## Peace support operations\nNew Zealand supports UN peacekeeping operations.")
    assert texts(blocks) == [
        "## Peace support operations",
        "New Zealand supports UN peacekeeping operations.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "New Zealand will deploy troops to the\nSinai Peninsula next year.", id="lowercase-word"
        ),
        pytest.param("The deployment includes engineers,\nmedics and logistics staff.", id="comma"),
        pytest.param("The contingent comprises:\nengineers and medics.", id="colon"),
    ],
)
def test_a_line_ending_mid_phrase_is_joined_with_the_next(text):
    blocks = segment(text)
    assert texts(blocks) == [text]
    assert len(blocks[0].sentences) == 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Para one.\n\nPara two.\n", id="trailing-newline"),
        pytest.param("Para one.\n   \nPara two.", id="whitespace-only-line"),
    ],
)
def test_no_block_is_blank(text):
    assert texts(segment(text)) == ["Para one.", "Para two."]


def test_sentences_are_spacy_spans_and_mr_does_not_split():
    paragraph = (
        "Defence Minister Phil Goff said today that the mission had ended. "
        "Mr. Goff thanked the troops for their service. They return home next week."
    )
    [block] = segment(paragraph)
    assert [s.text for s in block.sentences] == [
        "Defence Minister Phil Goff said today that the mission had ended.",
        "Mr. Goff thanked the troops for their service.",
        "They return home next week.",
    ]
    assert all(s.doc is block.doc for s in block.sentences)


@pytest.mark.parametrize("path", SEEDS + CORPUS, ids=lambda p: p.name)
def test_block_offsets_point_into_the_body(path):
    release = read_release(path)
    assert release.blocks
    for block in release.blocks:
        assert release.body[block.start : block.start + len(block.doc.text)] == block.doc.text


def test_a_long_line_has_offsets_that_hold(write):
    # Companion of the 2 MB test below, at a size read whole (425 KB): one line, one block, many sentences.
    line = "Defence Minister Phil Goff said 45 personnel will deploy to Iraq until 30 June 2023. " * 5000
    release = read_release(write(line.strip()))
    [block] = release.blocks
    assert block.doc.text == line.strip()
    assert len(block.sentences) == 5000


def test_a_2_mb_single_line_file_is_read_up_to_the_limit(write):
    line = "Defence Minister Phil Goff said 45 personnel will deploy to Iraq until 30 June 2023. " * 24000
    assert len(line) > 2_000_000
    release = read_release(write(line.strip()))
    assert MAX_BYTES - 100 < len(release.body) <= MAX_BYTES and line.startswith(release.body)
    assert release.body.endswith("2023.") or line[len(release.body)] == " "  # cut between words
    assert len(release.blocks) == 1
    assert [p for p in release.problems if p.startswith("line 1: file is 2.0 MB")]


# ---- boilerplate -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("We use cookies to improve your experience of our website.", id="cookie-notice"),
        pytest.param("This site uses cookies. By continuing browsing you agree.", id="cookie-browsing"),
        pytest.param("195 Lambton Quay, Private Bag 18 901, Wellington 6160", id="private-bag"),
        pytest.param("Phone +64 4 439 8000", id="phone"),
        pytest.param("PO Box 1234, Wellington", id="po-box"),
        pytest.param("[Home](https://www.mfat.govt.nz)", id="link-only"),
        pytest.param("[Home](/) [News](/news) [Contact](/contact)", id="several-links"),
        pytest.param("[Read more about our past contributions](https://x.nz/a)", id="read-more-link"),
        pytest.param("https://www.beehive.govt.nz/release/abc", id="bare-url"),
        pytest.param("Home | News | Releases | Contact", id="nav-pipes"),
        pytest.param("New Zealand Foreign Affairs & Trade | Manatū Aorere", id="masthead-pipe"),
        pytest.param("Accept", id="accept-button"),
        pytest.param("Back to top", id="back-to-top"),
    ],
)
def test_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The Minister said the [report](https://www.mfat.govt.nz/r) shows New Zealand troops did well.",
            id="paragraph-with-one-inline-link",
        ),
        pytest.param("Troops have deployed to the Sinai as part of the MFO mission.", id="plain-paragraph"),
        pytest.param("The cookies were eaten by the troops.", id="cookies-without-website"),
        pytest.param("Peace support operations", id="heading"),
        pytest.param("- support the maintenance of a rules-based international order", id="bullet"),
    ],
)
def test_not_boilerplate(text):
    assert not is_boilerplate(text)


def test_a_sentence_mentioning_a_phone_call_is_not_boilerplate():
    assert not is_boilerplate(
        "Helen Clark spoke by phone with the Solomon Islands Prime Minister on 24 July 2003."
    )


def test_boilerplate_blocks_are_flagged_in_a_release(write):
    body = (
        "Defence Minister Phil Goff said today that 45 personnel will deploy to Iraq, "
        "as the [Cabinet paper](https://www.beehive.govt.nz/cab) sets out.\n\n"
        "We use cookies to improve your experience of our website.\n\n"
        "[Home](/) [News](/news)\n\n"
        "Home | News | Contact\n\n"
        "Private Bag 18 901, Wellington 6160\n"
        "Phone +64 4 439 8000\n"
    )
    release = read_release(write(release_text(body=body)))
    flagged = [(b.doc.text, b.boilerplate) for b in release.blocks if b.doc.text.strip()]
    assert flagged == [
        (body.split("\n\n")[0], False),
        ("We use cookies to improve your experience of our website.", True),
        ("[Home](/) [News](/news)", True),
        ("Home | News | Contact", True),
        ("Private Bag 18 901, Wellington 6160", True),
        ("Phone +64 4 439 8000", True),
    ]
    assert release.problems == []


# ---- a title from the page -------------------------------------------------------------------------------

PAGE = """


NEW ZEALAND
FOREIGN AFFAIRS & TRADE
Manatū Aorere

(MFAT, n.d. [i])

News release

Skip to main content

## Peace support operations

New Zealand supports United Nations peacekeeping operations in the Pacific and beyond.
"""


def test_a_page_without_front_matter_takes_its_title_from_the_first_title_like_line(write):
    release = read_release(write(PAGE, "page.txt"))
    assert release.title == "Peace support operations"
    assert release.date is None
    assert release.problems == [NO_DATE]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(
            "NEW ZEALAND DEFENCE FORCE\n\nTroops return home today",
            "Troops return home today",
            id="skips-capitals",
        ),
        pytest.param(
            "(Beehive, 2008)\n\nTroops return home today", "Troops return home today", id="skips-citation"
        ),
        pytest.param(
            "Media Release\n\nTroops return home today", "Troops return home today", id="skips-masthead"
        ),
        pytest.param(
            "[Home](/) [News](/news) [More](/more)\n\nTroops return home today",
            "Troops return home today",
            id="skips-links",
        ),
        pytest.param(
            "2008 - 09 - 30\n\nTroops return home today", "Troops return home today", id="skips-numbers"
        ),
        pytest.param("**Troops return home today**", "Troops return home today", id="strips-emphasis"),
        pytest.param(
            "Troops return home\nafter nine years in Kosovo.", "Troops return home", id="first-line-only"
        ),
        pytest.param(
            "x " * 101 + "\n\nTroops return home today", "Troops return home today", id="skips-over-200"
        ),
        pytest.param("NEW ZEALAND\n\nMedia Release", None, id="nothing-title-like"),
    ],
)
def test_first_title_line(page, expected):
    assert first_title_line(segment(page)) == expected


def test_front_matter_title_wins_over_the_body(write):
    release = read_release(write(release_text(body=PAGE)))
    assert release.title == "Troops deploy to Iraq"


# ---- seeds and corpus ------------------------------------------------------------------------------------

TITLES_FROM_THE_PAGE = {
    "002_e253fa07f162a9ef.txt": "Peace support operations",
    "d14_prt-bamyan-extension-2006.md": "NZ forces to stay longer in Afghanistan",
    "d24_siaf-contribution-ends-2024.md": (
        "The New Zealand Defence Force (NZDF) contribution to the Solomon Islands Assistance Force (SIAF) "
        "has ended, with the four deployed NZDF personnel having recently returned to New Zealand."
    ),
    "d18_afghanistan-deployment-concludes-2021.md": (
        "New Zealand to conclude Afghanistan deployment in 2021 after 20 years"),
    "d19_afghanistan-humanitarian-2022.md": (
        "New Zealand is giving a further $6 million to support humanitarian efforts in Afghanistan in the hopes "
        "of preventing famine."),
    "d30_untso-golan-extended-2016.md": "New Zealand extends commitment to UN peacekeeping in Golan Heights",
}


def test_the_fixtures_are_there():
    assert len(SEEDS) == 5
    assert len(CORPUS) == 32
    assert all(path.with_suffix(".gold.json").exists() for path in CORPUS)


@pytest.mark.parametrize("path", SEEDS + CORPUS, ids=lambda p: p.name)
def test_every_seed_and_corpus_file_reads_with_its_title(path):
    release = read_release(path)
    assert release.source_file == path.name
    assert any(not b.boilerplate and b.doc.text.strip() for b in release.blocks)
    assert not any(p.startswith(("not UTF-8", "line ")) for p in release.problems)
    front_title = frontmatter.load(path).metadata.get("title")
    if front_title is not None:
        assert release.title == front_title
    else:
        assert release.title == TITLES_FROM_THE_PAGE[path.name]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_date_and_url_agree_with_the_gold(path):
    gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
    release = read_release(path)
    assert (release.date.isoformat() if release.date else None) == gold["date"]
    assert (release.date is None) == (NO_DATE in release.problems)
    if frontmatter.load(path).metadata:
        assert release.url == gold["source_url"]
    else:
        assert release.url is None


@pytest.mark.parametrize(("page", "expected"), [
    ("Troops extend stay in Sinai\n\nXinhua, September 29, 2016\n\nThe deployment is extended.", dt.date(2016, 9, 29)),
    ("NZDF\n\nMedia Release\n\nFriday, December 1, 2006\n\nThe contingent returns.", dt.date(2006, 12, 1)),
    ("Troops extend stay\n\n27 May, 2008\n\nThe deployment is extended.", dt.date(2008, 5, 27)),
    ("Troops extend stay\n\nThe deployment agreed on 27 May 2008 is extended.", None),
    ("Troops to Solomons\n\nWELLINGTON, 22 July 2003 – New Zealand will send troops.", dt.date(2003, 7, 22)),
], ids=["agency-dateline", "weekday-dateline", "day-month-year", "a-date-in-a-sentence", "dateline-opens-a-paragraph"])
def test_a_page_without_front_matter_takes_its_dateline_s_date(tmp_path, page, expected):
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    release = read_release(path)
    assert release.date == expected
    assert (NO_DATE in release.problems) == (expected is None)
