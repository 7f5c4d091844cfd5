"""What extraction hands to the graph stage: plain values, no RDF and no text processing.

A `Thing` is an operation, organisation or place. Things the vocabulary knows carry its IRI; things first
found in a release (by a pattern such as "Full Name (ACRONYM)") carry none, and the graph stage mints one
from their kind and label, so the same name gives the same IRI in every release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import total_ordering


@dataclass(frozen=True)
class Thing:
    kind: str  # "operation", "organisation" or "place"
    label: str
    iri: str | None = None
    cls: str | None = field(default=None, compare=False)  # for a new thing: its class IRI
    alt_labels: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_new(self) -> bool:
        return self.iri is None


@dataclass(frozen=True)
class Mention:
    thing: Thing
    start: int  # character offsets in the release body
    end: int
    text: str


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the text: a year, a month or a day. A coarser date sorts before the finer ones
    it contains (2023 < 2023-06 < 2023-06-30)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __lt__(self, other: PartialDate) -> bool:
        return (self.year, self.month or 0, self.day or 0) < (other.year, other.month or 0, other.day or 0)

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p is not None]
        return "-".join(parts)

    def refines(self, other: PartialDate) -> bool:
        """True when this date says the same as `other`, at least as precisely (2023-06-30 refines 2023-06)."""
        return self.isoformat().startswith(other.isoformat())


STRENGTH, TOTAL = "strength", "total"  # people serving at one time; people who served one after another
GRANT, COST = "grant", "cost"  # money New Zealand gives; what its own deployment costs
ENDED = ("concluded", "withdrawn")  # the statuses that say a contribution is over


def money_text(amount: Decimal, currency: str | None) -> str:
    """A sum as people write it: "NZD 2,000,000", "NZD 2.5"."""
    digits = f"{amount:,f}"
    return f"{currency or 'NZD'} {digits.rstrip('0').rstrip('.') if '.' in digits else digits}"


@dataclass
class Contribution:
    operation: Thing | None
    recipient: Thing | None = None
    contributor: Thing | None = None
    personnel: int | None = None
    personnel_kind: str = STRENGTH
    role: str | None = None
    amount: Decimal | None = None
    amount_kind: str = GRANT
    currency: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    status: str | None = None  # a local name in nzo: ("deployed", "extended", "concluded", …)
    locations: list[Thing] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class ReleaseFacts:
    source_file: str
    stem: str
    title: str | None
    date: dt.date | None
    url: str | None
    ministers: list[str]
    portfolios: list[str]
    mentions: list[Mention]
    contributions: list[Contribution]
    problems: list[str] = field(default_factory=list)
