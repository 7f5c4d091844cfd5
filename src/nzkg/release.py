"""Stage 1: one file → a `Release`: decoded, cleaned text, its front matter, and its blocks and sentences.

Real inputs are messy: Markdown with YAML front matter, pages with none, broken YAML, BOMs, Latin-1, CRLF,
zero-width characters, page chrome (cookie notices, contact details, link lists) and bodies cut off
mid-sentence. This stage recovers what it can and records what it could not as one-line problems; it
raises `UnreadableRelease` only when nothing can be recovered (an empty or binary file).

Only the first `MAX_BYTES` of a file are read. Real releases are a few kilobytes, long speeches a few dozen;
a file of megabytes is a mistake (a log, a dump, a whole site in one page), and extraction time grows
faster than the text (10 MB took over eight minutes), so one such file would stall a whole build.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import reprlib
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from frontmatter.default_handlers import YAMLHandler
from spacy.tokens import Doc, Span

from nzkg.nlp import pipeline

MAX_BYTES = 512 * 1024  # read of one file: over a hundred typical releases, about three seconds to convert
LOOKALIKES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
PEOPLE_SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
LIST_SEPARATORS = re.compile(r"\s*[,;]\s*")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%B %d %Y", "%d.%m.%Y")
NO_DATE = "no date; the release gets no dcterms:issued"
DATELINE_BLOCKS = 6  # a dateline stands among the first few blocks: masthead, title, agency, date
DATELINE = re.compile(r"(?:[A-Z][\w .'’&-]{0,40},\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
                      r"(?P<date>\d{1,2}\s+[A-Z][a-z]+,?\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})")
LEADING_DATELINE = re.compile(DATELINE.pattern + r"\s*[–—-]\s")

# Page chrome, not release text: cookie notices, contact details, navigation, link-only lines.
BOILERPLATE = [
    re.compile(r"\bcookies?\b.*\b(website|browsing|browser)\b", re.I | re.S),
    re.compile(r"\bPrivate Bag\b|\bP\.?O\.? Box\b|^\s*(?:Phone|Tel|Fax)\b|\+\d{1,3}[\s\d]{6,}|\btel:\d", re.I),
    re.compile(r"^\s*(Accept|Decline|Share|Print|Back to top|Skip to main content)\s*$", re.I),
    re.compile(r"\s\|\s.*\s\|\s|^[^.!?]*\s\|\s[^.!?]*$"),
]
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)|\[/?[^\]\s]*\]|\*\[[^\]]*\]\*|https?://\S+")
BRIEF = reprlib.Repr()  # a front matter list or mapping as text: a few items of a few levels
BRIEF.maxlevel, BRIEF.maxlist, BRIEF.maxdict = 2, 4, 4


class UnreadableRelease(Exception):
    """A file with nothing to recover: empty, binary, not text in any encoding we know, or not a file at all."""


@dataclass(frozen=True)
class Block:
    """A paragraph, bullet or heading line, tokenized; `start` is its offset in `Release.body`."""

    start: int
    text: str  # the doc's text, kept because spaCy rebuilds `Doc.text` from its tokens on every access
    doc: Doc
    boilerplate: bool

    @property
    def sentences(self) -> list[Span]:
        return list(self.doc.sents)


@dataclass
class Release:
    path: Path
    title: str | None
    date: dt.date | None
    url: str | None
    ministers: list[str]
    portfolios: list[str]
    body: str
    blocks: list[Block]
    problems: list[str] = field(default_factory=list)

    @property
    def source_file(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem


def read_release(path: Path) -> Release:
    """Read one release file. Problems that lose information are recorded in `Release.problems`."""
    problems: list[str] = []
    raw, size = read_head(path)
    whole = len(raw) <= MAX_BYTES
    text = clean(decode(raw[:MAX_BYTES], problems, whole))
    if not whole:
        text = cut_short(text, size, problems)
    if not text.strip():
        raise UnreadableRelease("empty file")
    metadata, body = split_front_matter(text, problems)
    body = strip_markup(body)
    blocks = segment(body)
    if not any(not b.boilerplate and b.text.strip() for b in blocks):
        problems.append("no body text after the front matter")
    title = text_value(metadata.get("title"), "title", problems) or first_title_line(blocks)
    stated = metadata.get("date")
    date = (dateline_date(blocks) if stated in (None, []) else None) or parse_date(stated, problems)
    url = parse_url(metadata.get("url"), problems)
    return Release(
        path=path,
        title=title,
        date=date,
        url=url,
        ministers=name_list(metadata.get("ministers"), "ministers", problems, PEOPLE_SEPARATORS),
        portfolios=name_list(metadata.get("portfolios"), "portfolios", problems, LIST_SEPARATORS),
        body=body,
        blocks=blocks,
        problems=problems,
    )


FILE_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
              stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def read_head(path: Path) -> tuple[bytes, int]:
    """The first `MAX_BYTES + 1` bytes of a file (one more tells a file cut short) and its size. Only a regular
    file is read, as the open file says, whatever its name: a FIFO would wait for a writer for ever (so it is
    opened without blocking) and a device such as /dev/zero never ends."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = FILE_KINDS.get(stat.S_IFMT(info.st_mode), "of an unknown kind")
            raise UnreadableRelease(f"not a regular file ({kind})")
        with open(descriptor, "rb", closefd=False) as file:
            return file.read(MAX_BYTES + 1), info.st_size
    finally:
        os.close(descriptor)


def decode(raw: bytes, problems: list[str], whole: bool = True) -> str:
    """Bytes → text: BOMs first, then UTF-8, then Windows-1252 (a superset of Latin-1's printable range).
    Of a file read only in part (not `whole`), a character cut in two at the end is left out, not misread."""
    if not raw.strip():
        raise UnreadableRelease("empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return decode_as("utf-16", raw, whole)
        except UnicodeDecodeError as error:
            problems.append(f"not valid UTF-16 (byte {error.start}); bad bytes replaced by U+FFFD")
            return decode_as("utf-16", raw, whole, errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if looks_binary(raw):
        raise UnreadableRelease("binary data, not text")
    try:
        return decode_as("utf-8", raw, whole)
    except UnicodeDecodeError as error:
        problems.append(f"not UTF-8 (byte {error.start}); read as Windows-1252")
        return raw.decode("cp1252", errors="replace")


def decode_as(encoding: str, raw: bytes, whole: bool, errors: str = "strict") -> str:
    return codecs.getincrementaldecoder(encoding)(errors).decode(raw, final=whole)


def cut_short(text: str, size: int, problems: list[str]) -> str:
    """The part read of a file past `MAX_BYTES`, ending at its last whole word (the line may be all of it)."""
    end = max(text.rfind("\n"), text.rfind(" "))
    text = text[:end] if end > 0 else text
    line = text.count("\n") + 1
    problems.append(f"line {line}: file is {size / 1e6:.1f} MB, more than the {MAX_BYTES // 1024} KB read of "
                    "one release; read up to here, the rest ignored")
    return text


def looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    controls = sum(b < 9 or 13 < b < 32 for b in sample if b != 0)
    return sample.count(0) > len(sample) // 10 or controls > len(sample) // 20


def clean(text: str) -> str:
    """Normalise line ends, fold look-alike hyphens and spaces, and drop control and format characters
    (NUL, zero-width, bidi, soft hyphen): they hide inside words, where they break matching, and have no
    place in a literal. Those that separate (form feed, NEL, U+2028…) become line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    invisible = {ord(c): "\n" if c.isspace() else None for c in set(text)
                 if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\t\n"}
    return unicodedata.normalize("NFC", text.translate(invisible).translate(LOOKALIKES))


def split_front_matter(text: str, problems: list[str]) -> tuple[dict[str, Any], str]:
    """YAML front matter through python-frontmatter's handler; broken YAML is salvaged line by line."""
    handler = YAMLHandler()
    stripped = text.lstrip("\n")
    if not handler.detect(stripped):
        return {}, text
    try:
        front, body = handler.split(stripped)
    except ValueError:
        return {}, text
    try:
        metadata = yaml.load(front, Loader=FrontMatterLoader)
    except Exception as error:  # not only YAMLError: `!!bool x` raises KeyError, deep nesting RecursionError…
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""  # `front` starts after the --- line
        reason = one_line(getattr(error, "problem", None) or str(error)) or type(error).__name__
        problems.append(f"{where}front matter is not valid YAML ({reason}); read it line by line")
        return salvage_front_matter(front), body
    if metadata is None:
        return {}, body
    if not isinstance(metadata, dict):
        problems.append(f"line 2: front matter is a {type(metadata).__name__}, not a mapping; ignored")
        return {}, body
    return {str(k).lower(): v for k, v in metadata.items()}, body


class FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a date that is no calendar date ("2020-13-45") stays text: it costs
    the release its date, not the rest of its front matter."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError):  # AttributeError: a `!!timestamp` that is not one
            return self.construct_scalar(node)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", FrontMatterLoader.construct_yaml_timestamp)


def salvage_front_matter(front: str) -> dict[str, Any]:
    """`key: value` lines and `- item` lists, which is all a release's front matter uses."""
    metadata: dict[str, Any] = {}
    key = None
    for line in front.splitlines():
        if item := re.match(r"^\s+-\s+(.+)$", line):
            if key is not None:
                metadata.setdefault(key, [])
                if isinstance(metadata[key], list):
                    metadata[key].append(item.group(1).strip().strip("\"'"))
        elif pair := re.match(r"^(\w+)\s*:\s*(.*)$", line):
            key, value = pair.group(1).lower(), pair.group(2).strip().strip("\"'")
            metadata[key] = value if value else []
    return metadata


def strip_markup(body: str) -> str:
    """Remove HTML tags and comments but keep their text; Markdown is left for the boilerplate rules."""
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", body, flags=re.S | re.I)
    return re.sub(r"</?[A-Za-z][^<>]{0,500}>", " ", body)


def segment(body: str) -> list[Block]:
    """Paragraphs split at blank lines; inside one, a line break also ends a block when the line reads as
    a heading or a bullet (it does not end mid-phrase), so page headers do not run into the first sentence."""
    pieces: list[tuple[int, str]] = []
    for paragraph in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", body):
        start = paragraph.start()
        lines = paragraph.group().split("\n")
        chunk_start, chunk = start, lines[0]
        offset = start + len(lines[0]) + 1
        for line in lines[1:]:
            if ends_block(chunk, line):
                pieces.append((chunk_start, chunk))
                chunk_start, chunk = offset, line
            else:
                chunk = chunk + "\n" + line
            offset += len(line) + 1
        pieces.append((chunk_start, chunk))
    pieces = [(start, text) for start, text in pieces if text.strip()]
    nlp = pipeline()
    texts = [text for _, text in pieces]
    return [
        Block(start=start, text=text, doc=doc, boilerplate=is_boilerplate(text))
        for (start, text), doc in zip(pieces, nlp.pipe(texts), strict=True)
    ]


def ends_block(previous: str, line: str) -> bool:
    stripped = line.lstrip()
    if stripped.startswith(("- ", "* ", "• ")) or previous.lstrip().startswith("#"):
        return True
    return not re.search(r"[a-z,;:\-–(]\s*$", previous)


def is_boilerplate(text: str) -> bool:
    if any(pattern.search(text) for pattern in BOILERPLATE):
        return True
    without_links = MARKDOWN_LINK.sub(" ", text)
    return MARKDOWN_LINK.search(text) is not None and len(re.findall(r"[A-Za-z]{2,}", without_links)) < 4


def first_title_line(blocks: list[Block]) -> str | None:
    """A page without front matter: its title is the first line that reads like one (not a shouted banner,
    a citation in brackets or a one- or two-word masthead)."""
    for block in blocks:
        line = block.text.strip().split("\n")[0].strip(" #*")
        words = line.split()
        if block.boilerplate or len(words) < 3 or len(line) > 200 or line.isupper():
            continue
        if line.startswith(("(", "[")) or re.fullmatch(r"[\W\d]+", line):
            continue
        return line
    return None


def dateline_date(blocks: list[Block]) -> dt.date | None:
    """A page without a front matter date: the date of its dateline, a line of its own near the top
    ("Xinhua, September 29, 2016", "Friday, December 1, 2006", "27 May 2008"), or that opens the first
    paragraph ("WELLINGTON, 22 July 2003 – New Zealand will …")."""
    for block in [b for b in blocks if not b.boilerplate][:DATELINE_BLOCKS]:
        line = block.text.strip()
        match = (DATELINE.fullmatch(line) if len(line) <= 60 and "\n" not in line else None) or \
            LEADING_DATELINE.match(line)
        if match:
            return calendar_date(re.sub(r"\s*,\s*", ", ", re.sub(r"\s+", " ", match.group("date"))))
    return None


def calendar_date(text: str) -> dt.date | None:
    for fmt in (*DATE_FORMATS, "%d %B, %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def text_value(value: Any, key: str, problems: list[str]) -> str | None:
    """Front matter text as one line, without markup; YAML escapes can put anything in it ("\\0", "\\e")."""
    if value is None or value == []:
        return None
    if isinstance(value, list | dict):
        problems.append(f"front matter '{key}' is a {type(value).__name__}, not text; ignored")
        return None
    return one_line(strip_markup(clean(str(value)))) or None


def parse_date(value: Any, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == []:
        problems.append(NO_DATE)
        return None
    text = as_text(value)
    if (day := calendar_date(text)) is not None:
        return day
    problems.append(f"date '{text[:40]}' is not a calendar date; the release gets no dcterms:issued")
    return None


def parse_url(value: Any, problems: list[str]) -> str | None:
    """An http(s) address that RDF stores take as an IRI."""
    if value is None or value == []:
        return None
    text = as_text(value)
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text) and is_iri(text):
        return text
    problems.append(f"url '{text[:60]}' is not an http(s) address; ignored")
    return None


def is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:  # "http://a%zz": one such IRI in the graph file would stop the store loading it
        return False
    return True


def name_list(value: Any, key: str, problems: list[str], separators: re.Pattern[str]) -> list[str]:
    """A list of names; a single string may hold several ("Phil Goff and Marian Hobbs")."""
    if value is None:
        return []
    if isinstance(value, str):
        items = separators.split(clean(value))
    elif isinstance(value, list):
        items = [clean(str(item)) for item in value if isinstance(item, str | int | float)]
    else:
        problems.append(f"front matter '{key}' is a {type(value).__name__}, not a list of names; ignored")
        return []
    return [one_line(item) for item in items if item.strip()]


def as_text(value: Any) -> str:
    """A front matter value as one line of text; a list or mapping abbreviated, never written out in full:
    YAML aliases can make one billions of items long in a few lines."""
    return one_line(clean(BRIEF.repr(value) if isinstance(value, list | dict) else str(value)))


def one_line(text: str) -> str:
    return " ".join(text.split())
