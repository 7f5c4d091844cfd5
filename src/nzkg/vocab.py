"""The reference vocabulary: ontology/vocab/*.ttl loaded into lookup tables and phrase matchers.

Everything extraction knows about operations, organisations, places, portfolios and the heads of names
lives in that Turtle; this module only indexes it. pyoxigraph parses it (the gazetteer is ~190k triples,
which rdflib takes seconds to read).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox
from spacy.matcher import PhraseMatcher

from nzkg.nlp import fold_norms, pipeline
from nzkg.paths import VOCAB_DIR
from nzkg.terms import DEFAULT_BASE, NZO, RDF, RDFS, SKOS

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
SKOS_ALT = SKOS + "altLabel"
PLACE_CLASSES = {NZO + c for c in ("Place", "Continent", "Country", "Region", "City", "Facility", "WaterBody")}
KIND_OF_CLASS = {NZO + "Operation": "operation", NZO + "Organisation": "organisation", NZO + "Portfolio": "portfolio",
                 NZO + "Minister": "minister"}
KIND_OF_CLASS |= dict.fromkeys(PLACE_CLASSES, "place")
HOME_COUNTRY = DEFAULT_BASE + "place/new-zealand"
LEXICON = DEFAULT_BASE + "lexicon/"
ACRONYM = re.compile(r"(?=(?:.*[A-Z]){2})[A-Z0-9][A-Z0-9 .&/-]*")


def is_acronym(name: str) -> bool:
    """"UNMIK", "CTF 150", "D-ISIS": matched case-sensitively, unlike names, which match in any case."""
    return ACRONYM.fullmatch(name) is not None


@dataclass(frozen=True)
class Entity:
    iri: str
    kind: str
    types: frozenset[str]
    label: str
    names: tuple[str, ...]
    part_of: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    country: str | None = None
    led_by: tuple[str, ...] = ()
    active: tuple[str | None, str | None] = (None, None)  # start and end, ISO text as precise as known

    @property
    def is_city(self) -> bool:
        return NZO + "City" in self.types


@dataclass(eq=False)  # compared and hashed by identity, so per-lexicon caches can key on it
class Lexicon:
    """The word lists of lexicon.ttl by name ("personnel-nouns"), and each status's cues by its local name
    ("concluded"), as the regular expressions extraction's rules are built from."""

    lists: dict[str, tuple[str, ...]]
    status_cues: dict[str, tuple[str, ...]]

    def words(self, name: str) -> tuple[str, ...]:
        if name not in self.lists:
            raise KeyError(f"lexicon.ttl has no word list lex:{name}")
        return self.lists[name]

    def alternation(self, name: str) -> str:
        """A pattern (no groups, no boundaries) matching any phrase of a word list, longest first."""
        return alternation(self.words(name))

    def pattern(self, name: str) -> re.Pattern[str]:
        """Any phrase of a word list, as a whole word or words."""
        return bounded(self.words(name))

    def status_pattern(self, status: str) -> re.Pattern[str]:
        return bounded(self.status_cues.get(status, ()))


def phrase_pattern(phrase: str) -> str:
    """One phrase of the lexicon as a regular expression (see lexicon.ttl for the conventions)."""
    words = []
    for word in phrase.split():
        if word == "…":
            words.append(r"(?:[\w'’.-]+\s+){0,3}[\w'’.-]+")
            continue
        stem, open_ended = (word[:-1], True) if word.endswith("*") else (word, False)
        text = re.escape(stem).replace("'", "['’]")
        if not words and stem[:1].islower():
            text = f"[{stem[0]}{stem[0].upper()}]" + text[1:]
        words.append(text + (r"\w*" if open_ended else ""))
    return r"\s+".join(words)


def alternation(phrases: tuple[str, ...]) -> str:
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(map(phrase_pattern, ordered)) or "(?!)"


@lru_cache(maxsize=256)  # word lists are few and rules ask for them often
def bounded(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'’])(?:{alternation(phrases)})(?![\w'’])")


@dataclass(eq=False)  # compared and hashed by identity, so per-vocabulary caches can key on it
class Vocabulary:
    entities: dict[str, Entity]
    statements: dict[str, list[ox.Triple]]
    heads: list[tuple[str, str]]
    demonyms: dict[str, str]
    lexicon: Lexicon = field(default_factory=lambda: Lexicon({}, {}))
    names: dict[str, set[str]] = field(default_factory=dict)
    acronyms: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entity in self.entities.values():
            for name in entity.names:
                table = self.acronyms if is_acronym(name) else self.names
                table.setdefault(name if is_acronym(name) else name.lower(), set()).add(entity.iri)

    @cached_property
    def matcher(self) -> PhraseMatcher:
        """Matches every known name by its folded form (case, accents, apostrophes), one key per lower-cased
        name or exact acronym; the caller checks that an acronym's text is exactly the acronym."""
        nlp = pipeline()
        matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for prefix, table in (("n:", self.names), ("a:", self.acronyms)):
            keys = sorted(table)
            for key, doc in zip(keys, nlp.tokenizer.pipe(keys), strict=True):
                matcher.add(prefix + key, [fold_norms(doc)])
        return matcher

    def lookup(self, key: str) -> set[str]:
        """The entities a matcher key names."""
        table, name = (self.acronyms, key[2:]) if key.startswith("a:") else (self.names, key[2:])
        return table.get(name, set())

    def by_name(self, name: str) -> set[str]:
        return self.acronyms.get(name, set()) | self.names.get(name.lower(), set())

    def ancestors(self, iri: str) -> set[str]:
        """Every place that encloses this one (nzo:partOf is transitive)."""
        seen: set[str] = set()
        todo = [iri]
        while todo:
            entity = self.entities.get(todo.pop())
            for parent in entity.part_of if entity else ():
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def within(self, place: str, area: str) -> bool:
        return place == area or area in self.ancestors(place)

    def of_kind(self, kind: str) -> list[Entity]:
        return self.kinds.get(kind, [])

    @cached_property
    def kinds(self) -> dict[str, list[Entity]]:
        table: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.entities.values():
            table[entity.kind].append(entity)
        return dict(table)

    @cached_property
    def regions_of_countries(self) -> set[str]:
        """Places that enclose whole countries (the Balkans, the Middle East, continents)."""
        countries = [e.iri for e in self.entities.values() if NZO + "Country" in e.types]
        return set().union(*(self.ancestors(c) for c in countries))

    @cached_property
    def home_organisations(self) -> set[str]:
        return {e.iri for e in self.of_kind("organisation") if e.country == HOME_COUNTRY}

    @cached_property
    def heads_by_last_word(self) -> dict[str, list[tuple[str, str]]]:
        table: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for head, cls in self.heads:  # longest first, as self.heads is sorted
            table[head.rsplit(" ", 1)[-1]].append((head, cls))
        return dict(table)

    def head(self, name: str) -> tuple[str, str] | None:
        """The longest head that ends the name, and the class it says the name names."""
        for head, cls in self.heads_by_last_word.get(name.rsplit(" ", 1)[-1], ()):
            if name == head or name.endswith(" " + head):
                return head, cls
        return None

    def head_of(self, name: str) -> str | None:
        found = self.head(name)
        return found[1] if found else None


def load_vocabulary(directory: Path = VOCAB_DIR) -> Vocabulary:
    statements: dict[str, list[ox.Triple]] = defaultdict(list)
    for path in sorted(directory.glob("*.ttl")):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(quad.subject, ox.NamedNode):
                statements[quad.subject.value].append(quad.triple)
    entities: dict[str, Entity] = {}
    heads: list[tuple[str, str]] = []
    demonyms: dict[str, str] = {}
    word_lists: dict[str, tuple[str, ...]] = {}
    status_cues: dict[str, tuple[str, ...]] = {}
    for subject, triples in statements.items():
        values: dict[str, list[str]] = defaultdict(list)
        for triple in triples:
            values[triple.predicate.value].append(triple.object.value)
        types = frozenset(values[RDF_TYPE])
        if NZO + "NameHead" in types:
            heads += [(head, cls) for cls in values[NZO + "names"] for head in values[NZO + "headWord"]]
            continue
        if NZO + "WordList" in types and subject.startswith(LEXICON):
            word_lists[subject[len(LEXICON):]] = tuple(sorted(values[NZO + "word"]))
            continue
        if values[NZO + "cue"] and subject.startswith(NZO):
            status_cues[subject[len(NZO):]] = tuple(sorted(values[NZO + "cue"]))
            continue
        kinds = {KIND_OF_CLASS[t] for t in types if t in KIND_OF_CLASS}
        if len(kinds) != 1 or not values[RDFS_LABEL]:
            continue
        for demonym in values[NZO + "demonym"]:
            demonyms[demonym] = subject
        label = min(values[RDFS_LABEL])
        entities[subject] = Entity(
            iri=subject,
            kind=kinds.pop(),
            types=types,
            label=label,
            names=tuple(dict.fromkeys([label, *sorted(values[SKOS_ALT])])),
            part_of=tuple(sorted(values[NZO + "partOf"])),
            locations=tuple(sorted(values[NZO + "location"])),
            country=min(values[NZO + "country"], default=None),
            led_by=tuple(sorted(values[NZO + "ledBy"])),
            active=(min(values[NZO + "startDate"], default=None), max(values[NZO + "endDate"], default=None)),
        )
    heads.sort(key=lambda item: (-len(item[0]), item))
    return Vocabulary(entities=entities, statements=dict(statements), heads=heads, demonyms=demonyms,
                      lexicon=Lexicon(word_lists, status_cues))
