"""New Zealand's history as the pages tell it: the contributions an operation, a release, a minister or a
place has, in date order, with figures that keep their meaning (a strength is how many serve at one time, a
total how many served over a period, a grant is money given, a cost what a deployment costs), each with the
evidence quoted and the release it came from.

Each kind of page picks its contributions with one graph pattern (`SCOPES`); the rows are the same for all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from nzkg import facts
from nzkg.facts import money_text
from nzkg.terms import NZO

ENDED = {NZO + status for status in facts.ENDED}
SCOPES = {  # which contributions a page of each kind lists; {iri} is the page's resource
    "operation": "?c nzo:operation <{iri}> .",
    "organisation": "{{ ?c nzo:recipient <{iri}> }} UNION {{ ?c nzo:contributor <{iri}> }}",
    "release": "?c prov:wasDerivedFrom <{iri}> .",
    "minister": "?c prov:wasDerivedFrom/nzo:announcedBy <{iri}> .",
    "place": "?c nzo:location/nzo:partOf* <{iri}> .",
}


def label_of(variable: str) -> str:
    """A pattern binding ?{variable}_label to the resource's label, by the order of preference of
    terms.LABEL_PROPERTIES: rdfs:label, skos:prefLabel, dcterms:title, foaf:name."""
    names = [f"?{variable}_{n}" for n in range(4)]
    optional = " ".join(f"OPTIONAL {{ ?{variable} {p} {name} }}" for p, name in
                        zip(("rdfs:label", "skos:prefLabel", "dcterms:title", "foaf:name"), names, strict=True))
    return f"{optional} BIND(COALESCE({', '.join(names)}) AS ?{variable}_label)"


@dataclass
class Row:
    """One contribution, as a line of a history table."""

    iri: str
    label: str
    target: str | None
    target_label: str | None
    personnel: int | None  # at one time
    total: int | None  # over the period
    amount: str | None  # money given
    cost: str | None  # money its own deployment costs
    start: str | None  # as precise as stated: 2016, 2016-03, 2016-03-01
    end: str | None
    ended: bool
    status: str | None
    release: str
    release_title: str | None
    issued: str | None
    evidence: list[str] = field(default_factory=list)

    @property
    def period(self) -> str:
        """When New Zealand's part ran, as the release states it: "2016-03 – 2018", "from 2016-03 (ended by
        2019-05-02)", "as of 2019-05-02" when the release gives no dates."""
        if self.end:
            return f"{self.start or '…'} – {self.end}"
        if self.ended:
            return f"{self.start or '…'} – ended by {self.issued}" if self.issued else f"{self.start or '…'} – ended"
        if self.start:
            return f"from {self.start}"
        return f"as of {self.issued}" if self.issued else ""

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.start or self.end or self.issued or "9999", self.iri)

    @property
    def caption(self) -> str:
        """What a bar of the operation's timeline says."""
        figures = [f"{self.personnel} personnel" if self.personnel is not None else "",
                   f"{self.total} in all" if self.total is not None else "",
                   self.amount or "", f"{self.cost} in costs" if self.cost else "", "ended" if self.ended else ""]
        return " · ".join(f for f in figures if f) or (self.status or "")


def money(value: str | None, currency: str | None) -> str | None:
    return money_text(Decimal(value), currency) if value is not None else None


def contributions(select: Callable[[str], list[dict[str, str]]], kind: str, iri: str) -> list[Row]:
    """The contributions a page of this kind lists for the resource, in date order. `select` runs a query
    that uses the prefixes of nzkg.terms."""
    scope = SCOPES[kind].format(iri=iri)
    rows = select(f"""
SELECT ?c ?c_label ?target ?target_label ?personnel ?total ?amount ?cost ?currency ?start ?end ?status ?release
       ?release_label ?issued
WHERE {{
  ?c a nzo:Contribution ; prov:wasDerivedFrom ?release . {scope}
  {label_of("c")}
  OPTIONAL {{ ?c nzo:operation|nzo:recipient ?target {label_of("target")} }}
  OPTIONAL {{ ?c nzo:personnelCount ?personnel }} OPTIONAL {{ ?c nzo:personnelTotal ?total }}
  OPTIONAL {{ ?c nzo:amount ?amount }} OPTIONAL {{ ?c nzo:cost ?cost }} OPTIONAL {{ ?c nzo:currency ?currency }}
  OPTIONAL {{ ?c nzo:startDate ?start }} OPTIONAL {{ ?c nzo:endDate ?end }} OPTIONAL {{ ?c nzo:status ?status }}
  {label_of("release")}
  OPTIONAL {{ ?release dcterms:issued ?issued }}
}} LIMIT 5000""")
    found: dict[str, Row] = {}
    for r in rows:
        if r["c"] in found:  # a second value of a property that has one; the first stays
            continue
        found[r["c"]] = Row(
            iri=r["c"], label=r.get("c_label") or r["c"], target=r.get("target"), target_label=r.get("target_label"),
            personnel=int(r["personnel"]) if "personnel" in r else None,
            total=int(r["total"]) if "total" in r else None,
            amount=money(r.get("amount"), r.get("currency")), cost=money(r.get("cost"), r.get("currency")),
            start=r.get("start"), end=r.get("end"), ended=r.get("status") in ENDED,
            status=r["status"].rsplit("#", 1)[-1] if "status" in r else None,
            release=r["release"], release_title=r.get("release_label"), issued=r.get("issued"))
    for r in select(f"SELECT ?c ?sentence WHERE {{ ?c a nzo:Contribution . {scope} "
                               f"?c nzo:evidence ?sentence }} ORDER BY ?c ?sentence LIMIT 20000"):
        if r["c"] in found:
            found[r["c"]].evidence.append(r["sentence"])
    return sorted(found.values(), key=lambda row: row.sort_key)

