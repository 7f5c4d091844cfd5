"""`nzkg build` on bad input, run as a user runs it: a real process over a folder of files that are each wrong
in their own way (tests/fixtures/bad-input/, kept byte-exact by its .gitattributes), two very big files and
names that are not files (a FIFO, a directory, links out of the folder and in a loop) made here, and good
releases of tests/fixtures/corpus/, one under a name with a space and a '%', one named `..md`. Every bad file
must cost only itself, say so in one line, and leave nothing unsafe in the graph."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
import pytest
import yaml

from nzkg.graph import DEFAULT_BASE
from nzkg.release import MAX_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad-input"
CORPUS = FIXTURES / "corpus"
GOOD = {name: name for name in ("d05_sinai-engineers-2016.md", "d29_navy-team-ctf150-2011.md")} | {
    "d09 ramsi farewell (copy) 100%.md": "d09_ramsi-farewell.md",
    "..md": "d02_rok-six-to-nine.md"}  # name in the build → file in the corpus
TWINS = ["twin-crlf.md", "twin-latin1.md", "twin-utf16.md", "twin-utf8-bom.md"]  # twin.md in other bytes
BIG = ["ten-mb.md", "long-line.md"]
NOT_FILES = {"fifo.md": "not a regular file (a FIFO)", "folder.md": "not a regular file (a directory)",
             "loop.md": "cannot read: Too many levels of symbolic links", "link-out.md": "a link to ",
             "dev-zero.md": "a link to /dev/zero"}  # names made in the folder → what the build says of them

NZO = "https://w3id.org/nzkg/ontology#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
ISSUED = ox.NamedNode("http://purl.org/dc/terms/issued")
URL = ox.NamedNode("https://schema.org/url")
SOURCE_FILE = ox.NamedNode(NZO + "sourceFile")
ANNOUNCED_BY = ox.NamedNode(NZO + "announcedBy")
DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


@dataclass
class Run:
    folder: Path
    output: Path
    returncode: int
    stderr: str

    @property
    def problem_lines(self) -> list[str]:
        """Everything on stderr but the closing summary ("converted 19 of 21 files …")."""
        return [line for line in self.stderr.splitlines() if not line.startswith("converted ")]

    def lines_about(self, name: str) -> list[str]:
        return [line for line in self.problem_lines if line.startswith(f"{self.folder / name}: ")]


def nzkg_build(folder: Path, output: Path, *options: str) -> Run:
    # Without the limit on what is read of one file, the 10 MB file alone took over eight minutes; a FIFO
    # hung the build for ever, and /dev/zero filled the memory.
    result = subprocess.run([sys.executable, "-m", "nzkg.cli", "build", str(folder), "-o", str(output),
                             "--no-store", *options], capture_output=True, text=True, timeout=300)
    return Run(folder, output, result.returncode, result.stderr)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input") / "in"
    shutil.copytree(BAD, folder)
    for name, source in GOOD.items():
        shutil.copy(CORPUS / source, folder / name)
    # The big files are made here, not kept in git: 12 MB of repeated text do not belong in the repository.
    front, body = (CORPUS / "d05_sinai-engineers-2016.md").read_text(encoding="utf-8").split("\n---\n", 1)
    (folder / "ten-mb.md").write_text(front + "\n---\n" + body * (10_000_000 // len(body) + 1), encoding="utf-8")
    line = " ".join(body.split())
    (folder / "long-line.md").write_text(front + "\n---\n\n" + (line + " ") * (2_000_000 // len(line) + 1) + "\n",
                                         encoding="utf-8")
    os.mkfifo(folder / "fifo.md")  # no one ever writes to it: reading it would wait for ever
    (folder / "folder.md").mkdir()
    (folder / "loop.md").symlink_to("loop.md")
    shutil.copy(CORPUS / "d05_sinai-engineers-2016.md", folder.parent / "outside.md")
    (folder / "link-out.md").symlink_to(folder.parent / "outside.md")
    (folder / "dev-zero.md").symlink_to("/dev/zero")
    return folder


@pytest.fixture(scope="module")
def run(corpus: Path) -> Run:
    return nzkg_build(corpus, corpus.parent / "kg.nq")


@pytest.fixture(scope="module")
def quads(run: Run) -> list[ox.Quad]:
    """The graph file as the store reads it: strictly (an invalid IRI or literal fails here)."""
    return list(ox.parse(path=run.output, format=ox.RdfFormat.N_QUADS))


def release_of(quads: list[ox.Quad], name: str) -> ox.NamedNode | None:
    found = [q.subject for q in quads if q.predicate == SOURCE_FILE and q.object.value == name]
    assert len(found) <= 1, found
    return found[0] if found else None


def values(quads: list[ox.Quad], subject: ox.NamedNode, predicate: ox.NamedNode) -> list[ox.Term]:
    return [q.object for q in quads if q.subject == subject and q.predicate == predicate]


def front_matter(name: str) -> dict[str, str]:
    """A fixture's front matter as plain strings (no YAML typing, which 2020-13-45 would fail)."""
    return yaml.load((BAD / name).read_text(encoding="utf-8").split("---\n")[1], Loader=yaml.BaseLoader)


# ---- the run ------------------------------------------------------------------------------------------------


def test_the_build_finishes_without_a_traceback(run: Run) -> None:
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.output.exists()


def test_every_problem_is_one_line_starting_with_its_file(run: Run, corpus: Path) -> None:
    files = [str(path) for path in corpus.iterdir()]
    assert run.problem_lines
    for line in run.problem_lines:
        assert any(line.startswith(f"{file}: ") for file in files), line


def test_problems_say_the_line_where_it_is_known(run: Run, corpus: Path) -> None:
    (broken,) = run.lines_about("broken-yaml.md")
    front_end = (BAD / "broken-yaml.md").read_text(encoding="utf-8").splitlines().index("---", 1) + 1
    where = re.match(rf"{re.escape(str(corpus / 'broken-yaml.md'))}: line (\d+): ", broken)
    assert where and 1 < int(where.group(1)) <= front_end, broken
    for name in BIG:
        last_line = (corpus / name).read_bytes()[:MAX_BYTES].count(b"\n") + 1  # holding the last byte read
        (cut,) = run.lines_about(name)
        where = re.match(rf"{re.escape(str(corpus / name))}: line (\d+): .*{MAX_BYTES // 1024} KB", cut)
        assert where and int(where.group(1)) in (last_line - 1, last_line), cut


def test_empty_and_binary_files_are_skipped_with_one_line_each(run: Run, quads: list[ox.Quad]) -> None:
    for name in ("empty.md", "binary.txt"):
        (line,) = run.lines_about(name)
        assert line.endswith("; skipped"), line
        assert release_of(quads, name) is None


def test_every_other_file_gives_its_release(run: Run, corpus: Path, quads: list[ox.Quad]) -> None:
    for path in corpus.iterdir():
        if path.suffix in (".md", ".txt") and path.name not in ("empty.md", "binary.txt", *NOT_FILES):
            assert release_of(quads, path.name) is not None, path.name


def test_what_is_not_a_readable_file_in_the_folder_is_named_and_counted_as_skipped(run: Run) -> None:
    """A FIFO, a directory or a link in a loop used to be passed over in silence, and a link out of the folder
    read what it led to (any file the user may read, if it has a release's name)."""
    for name, why in NOT_FILES.items():
        (line,) = run.lines_about(name)
        assert line.startswith(f"{run.folder / name}: {why}") and line.endswith("; skipped"), line
    assert f"({len(NOT_FILES) + 2} skipped" in run.stderr  # and empty.md, binary.txt


def test_a_file_named_dot_dot_md_gets_a_release_iri_a_browser_keeps(quads: list[ox.Quad]) -> None:
    """`..md` minted …/release/., which a browser (and any URL library) turns into …/release/ before asking."""
    release = release_of(quads, "..md")
    assert release is not None and release.value.startswith(f"{DEFAULT_BASE}release/")
    assert urljoin(release.value, release.value.rsplit("/", 1)[1]) == release.value  # no dot segment to remove


def test_good_files_give_their_releases(quads: list[ox.Quad]) -> None:
    for name, source in GOOD.items():
        release = release_of(quads, name)
        assert release is not None, name
        title = yaml.safe_load((CORPUS / source).read_text(encoding="utf-8").split("---\n")[1])["title"]
        assert [t.value for t in values(quads, release, TITLE)] == [title]
        assert any(q.predicate == DERIVED_FROM and q.object == release for q in quads), name


# ---- what the graph holds -----------------------------------------------------------------------------------


def named_graph(quads: list[ox.Quad], name: str) -> set[tuple[str, str, str]]:
    """A release's graph with what comes from its file name made the same for every file: the IRIs minted
    from the stem, and nzo:sourceFile."""
    graph = ox.NamedNode(f"{DEFAULT_BASE}graph/{Path(name).stem}")
    minted = re.compile(rf"^({re.escape(DEFAULT_BASE)}(?:release|contribution)/){re.escape(Path(name).stem)}(-\d+)?$")

    def same(term: ox.Term) -> str:
        return minted.sub(r"\1FILE\2", term.value) if isinstance(term, ox.NamedNode) else str(term)

    return {(same(q.subject), same(q.predicate), same(q.object)) for q in quads
            if q.graph_name == graph and q.predicate != SOURCE_FILE}


def test_twins_in_other_encodings_and_line_ends_give_the_same_graph(quads: list[ox.Quad]) -> None:
    original = named_graph(quads, "twin.md")
    release = release_of(quads, "twin.md")
    assert [t.value for t in values(quads, release, TITLE)] == [front_matter("twin.md")["title"]]
    assert values(quads, release, ISSUED)
    assert (f"{DEFAULT_BASE}contribution/FILE-1", TYPE.value, NZO + "Contribution") in original
    for twin in TWINS:
        assert named_graph(quads, twin) == original, twin


def test_no_literal_holds_a_control_or_format_character(quads: list[ox.Quad]) -> None:
    for quad in quads:
        if isinstance(quad.object, ox.Literal):
            unsafe = {c for c in quad.object.value if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n"}
            assert not unsafe, (quad, unsafe)


def test_urls_are_http_iris_and_bad_ones_are_dropped_with_a_line(run: Run, quads: list[ox.Quad]) -> None:
    urls = [q.object for q in quads if q.predicate == URL]
    assert urls
    assert all(isinstance(u, ox.NamedNode) and u.value.startswith(("http://", "https://")) for u in urls), urls
    for name in ("url-javascript.md", "url-bad-percent.md"):
        release = release_of(quads, name)
        assert release is not None and values(quads, release, URL) == []
        assert [line for line in run.lines_about(name) if front_matter(name)["url"] in line], name


def test_markup_in_a_title_is_plain_text(quads: list[ox.Quad]) -> None:
    """Escaping is the pages' job; the graph holds the title as a plain string, without the script's code
    (as it holds a body without it)."""
    release = release_of(quads, "script-title.md")
    (title,) = values(quads, release, TITLE)
    assert isinstance(title, ox.Literal) and title.datatype == XSD_STRING
    assert title.value == front_matter("script-title.md")["title"].rsplit(">", 1)[1].strip()


def test_an_html_page_gives_its_text_not_its_scripts_styles_or_comments(quads: list[ox.Quad]) -> None:
    graph = ox.NamedNode(f"{DEFAULT_BASE}graph/html-page")
    texts = [q.object.value for q in quads if q.graph_name == graph and isinstance(q.object, ox.Literal)]
    assert any("Navy personnel" in text for text in texts)
    for hidden in ("dataLayer", "font-family", "Atlantis", "<"):  # in a script, a style, a comment; a tag
        assert not [text for text in texts if hidden in text], hidden


def test_day_first_slashed_date_is_read_as_new_zealand_writes_it(run: Run, quads: list[ox.Quad]) -> None:
    written = front_matter("date-slash.md")["date"]
    release = release_of(quads, "date-slash.md")
    assert [d.value for d in values(quads, release, ISSUED)] == [
        dt.datetime.strptime(written, "%d/%m/%Y").date().isoformat()]
    assert run.lines_about("date-slash.md") == []


def test_dates_that_are_not_days_give_no_issued_and_one_line(run: Run, quads: list[ox.Quad]) -> None:
    """dcterms:issued is an xsd:date (shapes/), so "March 2020" is not made an xsd:gYearMonth. An impossible
    date costs only the date: the rest of the front matter is still read as YAML."""
    for name in ("date-month.md", "date-impossible.md"):
        release = release_of(quads, name)
        assert values(quads, release, ISSUED) == []
        (line,) = run.lines_about(name)
        assert f"'{front_matter(name)['date']}'" in line
        assert [t.value for t in values(quads, release, TITLE)] == [front_matter(name)["title"]]


def test_ministers_in_one_string_are_each_a_minister(quads: list[ox.Quad]) -> None:
    release = release_of(quads, "ministers-string.md")
    ministers = values(quads, release, ANNOUNCED_BY)
    labels = {label.value for minister in ministers for label in values(quads, minister, LABEL)}
    assert len(ministers) == len(labels) == 2
    assert labels == {name.strip() for name in front_matter("ministers-string.md")["ministers"].split(" and ")}


def test_big_files_are_read_up_to_the_limit(run: Run, quads: list[ox.Quad]) -> None:
    for name in BIG:
        release = release_of(quads, name)
        assert release is not None
        assert any(q.predicate == DERIVED_FROM and q.object == release for q in quads), name
        assert len(run.lines_about(name)) == 1, run.lines_about(name)


# ---- what is read of a file ---------------------------------------------------------------------------------


def test_a_fifo_or_a_device_named_as_a_source_is_skipped_and_the_build_finishes(tmp_path: Path) -> None:
    """A FIFO named on the command line hung the build for ever (opening it waits for a writer), and a link to
    /dev/zero, read whole to be hashed, filled the memory."""
    fifo, zero, good = tmp_path / "fifo.md", tmp_path / "zero.md", tmp_path / "good.md"
    os.mkfifo(fifo)
    zero.symlink_to("/dev/zero")
    shutil.copy(CORPUS / "d05_sinai-engineers-2016.md", good)
    result = subprocess.run([sys.executable, "-m", "nzkg.cli", "build", str(fifo), str(zero), str(good), "-o",
                             str(tmp_path / "kg.nq"), "--no-store", "-j", "1"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert f"{fifo}: not a regular file (a FIFO); skipped" in lines
    assert f"{zero}: not a regular file (a character device); skipped" in lines
    assert "converted 1 of 3 files (2 skipped" in result.stderr


def peak_memory(command: list[str]) -> int:
    """The most memory (resident, in bytes) a command held at once. Measured by a process of its own, of which
    it is the only child: what a process learns of its children is the largest any of them held."""
    measure = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True, "
               "timeout=300); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, check=True,
                            timeout=330)
    return int(result.stdout) * 1024  # Linux counts in kilobytes


def test_a_huge_file_costs_no_more_memory_than_what_is_read_of_it(tmp_path: Path) -> None:
    """A file of 300 MB cost 840 MB of memory: it was read whole to be hashed for the cache before the limit
    applied. A sparse file, so that it takes no room on the disk."""
    small, huge = tmp_path / "small", tmp_path / "huge"
    for folder in (small, huge):
        folder.mkdir()
        shutil.copy(CORPUS / "d05_sinai-engineers-2016.md", folder / "good.md")
    with (huge / "huge.md").open("wb") as file:
        file.truncate(300_000_000)

    def nzkg_build(folder: Path) -> list[str]:
        return [sys.executable, "-m", "nzkg.cli", "build", str(folder), "-o", str(folder / "kg.nq"), "--no-store",
                "-j", "1", "-q"]

    without, with_huge = peak_memory(nzkg_build(small)), peak_memory(nzkg_build(huge))
    assert with_huge - without < 50_000_000, (without, with_huge)


# ---- --strict -----------------------------------------------------------------------------------------------


def test_strict_fails_but_still_writes_the_good_releases(run: Run) -> None:
    """--strict is for CI: the exit code says something was wrong, and the graph of what was right is still
    written, so that one bad file does not hide the rest. The same output as the first run, so that its cache
    spares converting again; removed first, so that what is there afterwards was written by this run."""
    run.output.unlink()
    strict = nzkg_build(run.folder, run.output, "--strict")
    assert strict.returncode == 1, strict.stderr
    assert "Traceback" not in strict.stderr
    quads = list(ox.parse(path=run.output, format=ox.RdfFormat.N_QUADS))
    for name in GOOD:
        assert release_of(quads, name) is not None, name
