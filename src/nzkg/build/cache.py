"""The cache of what releases give, so that a build after a change redoes only the releases that changed.

An outcome is kept under a key made of the file's name and bytes and of everything else that shapes it
(`settings_digest`): the base and options, the code of the stages a release passes through, the ontology,
vocabulary and shapes, and the versions of the libraries those stages use. Code that only serves, exports or
talks to the user is not in the key, so a change to it keeps the cache.
"""

from __future__ import annotations

import hashlib
import json
import pkgutil
import platform
import sqlite3
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata, util
from pathlib import Path

from nzkg.build.convert import Outcome, split_lines
from nzkg.paths import ONTOLOGY_FILE, SHAPES_DIR, VOCAB_DIR
from nzkg.validate import Violation

# The modules whose code decides what a release gives (an `Outcome`) or what the shared graphs hold; a package
# stands for all its modules. Not the command line, the web app, the store or the writing of files.
SHAPING_MODULES = ("nzkg.release", "nzkg.nlp", "nzkg.extract", "nzkg.facts", "nzkg.vocab", "nzkg.terms",
                   "nzkg.graph", "nzkg.reason", "nzkg.validate", "nzkg.build.convert", "nzkg.build.corpus")
# The distributions those modules use to read, tokenize, number, graph, reason and validate.
SHAPING_LIBRARIES = ("spacy", "rdflib", "pyoxigraph", "pyshacl", "owlrl", "reasonable", "text2num", "PyYAML",
                     "python-frontmatter")

SharedGraphs = tuple[list[str], list[Violation]]  # N-Quads of the graphs no release owns; the vocabulary's violations


class Cache:
    """Outcomes by key, in SQLite (a file for `nzkg build`, memory otherwise), a release's summary apart from
    its lines; and the graphs shared by all releases, by a digest of what they were made from. A build killed
    midway loses at most what it had not yet committed."""

    LAYOUT = 2  # bumped whenever the tables change: a cache of another layout is dropped, not read

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path) if path else ":memory:")
        try:
            layout = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:  # not a cache at all: it is only a cache, so start again
            self.db.close()
            assert path is not None
            path.unlink()
            self.db, layout = sqlite3.connect(str(path)), None
        if layout != self.LAYOUT:
            self.db.executescript(f"""
                DROP TABLE IF EXISTS outcome; DROP TABLE IF EXISTS shared;
                CREATE TABLE outcome (key TEXT PRIMARY KEY, summary TEXT NOT NULL, quads TEXT NOT NULL,
                                      inferred TEXT NOT NULL);
                CREATE TABLE shared (key TEXT PRIMARY KEY, data TEXT NOT NULL);
                PRAGMA user_version = {self.LAYOUT};""")

    def __contains__(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM outcome WHERE key = ?", (key,)).fetchone() is not None

    def put(self, key: str, outcome: Outcome) -> None:
        self.db.execute("INSERT OR REPLACE INTO outcome VALUES (?, ?, ?, ?)",
                        (key, outcome.summary().to_json(), "".join(outcome.quads), "".join(outcome.inferred)))

    def summary(self, key: str) -> Outcome:
        return Outcome.from_json(self.db.execute("SELECT summary FROM outcome WHERE key = ?", (key,)).fetchone()[0])

    def lines(self, key: str, inferred: bool = False) -> list[str]:
        """A release's N-Quads: its graph's, or (`inferred`) its entailments'."""
        row = self.db.execute(f"SELECT {'inferred' if inferred else 'quads'} FROM outcome WHERE key = ?",
                              (key,)).fetchone()
        return split_lines(row[0])

    def shared(self, key: str, make: Callable[[], SharedGraphs]) -> SharedGraphs:
        """The shared graphs and their violations made from inputs with this digest: made once, then kept."""
        row = self.db.execute("SELECT data FROM shared WHERE key = ?", (key,)).fetchone()
        if row:
            quads, violations = json.loads(row[0])
            return quads, [Violation(**v) for v in violations]
        quads, violations = make()
        self.db.execute("INSERT OR REPLACE INTO shared VALUES (?, ?)",
                        (key, json.dumps([quads, [asdict(v) for v in violations]], ensure_ascii=False)))
        self.db.commit()
        return quads, violations

    def commit(self) -> None:
        self.db.commit()

    def keep_only(self, keys: set[str]) -> None:
        """Forget outcomes of files that are gone or changed, so the cache does not grow without end."""
        stale = [k for (k,) in self.db.execute("SELECT key FROM outcome") if k not in keys]
        self.db.executemany("DELETE FROM outcome WHERE key = ?", [(k,) for k in stale])
        self.db.commit()


def settings_digest(base: str, validate: bool) -> str:
    """Everything besides a file that decides its outcome: a change to any of it redoes every release."""
    digest = hashlib.sha256(f"{base}\n{validate}\n".encode())
    for name, version in library_versions().items():
        digest.update(f"{name} {version}\n".encode())
    for path in shaping_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def shaping_files() -> list[Path]:
    """The files whose bytes decide what a release gives: the source of the modules of `SHAPING_MODULES`, as
    Python finds them to import them (each module of a package), then the ontology, vocabulary and shapes."""
    code: set[Path] = set()
    for name in SHAPING_MODULES:
        spec = util.find_spec(name)
        code.add(Path(spec.origin))
        for module in pkgutil.walk_packages(spec.submodule_search_locations or [], f"{name}."):
            code.add(Path(util.find_spec(module.name).origin))
    return [*sorted(code), ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl")), *sorted(SHAPES_DIR.glob("*.ttl"))]


def library_versions() -> dict[str, str]:
    """Python's version and those of the libraries the stages use: another tokenizer, parser or serializer
    may give other triples from the same file."""
    return {"python": platform.python_version()} | {name: metadata.version(name) for name in SHAPING_LIBRARIES}
