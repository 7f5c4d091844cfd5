"""Synthetic corpus of New Zealand peace-support releases, for benchmarks and tests.

    python -m nzkg.synthetic --releases N --seed S --out DIR [--stats]

or from Python: `nzkg.synthetic.generate(releases=N, seed=S, out=DIR)`.

Writes N files DIR/s0000001_<slug>.md … that look like the real releases (seeds/, tests/fixtures/corpus/):
Markdown with YAML front matter (full, url-only, or none with the title on the first line), page chrome,
quotes attributed to ministers, and the sentence shapes the extractor has to read — personnel in digits and
words, end dates in several forms, sums of money given to organisations, and figures that are not New
Zealand's. Names come from the project's vocabulary (ontology/vocab/*.ttl), plus invented operations in the
shapes the extractor should still find ("Operation Kauri Shield", "the Pacific Maritime Monitoring Group
(PMMG)").

Deterministic: release i is drawn from random.Random(f"{seed}/{i}") alone (no global random, no clock, no
set or hash order), so the same seed gives byte-identical files, and the first 1,000 releases of a
100,000-release corpus are the 1,000-release corpus. --stats prints how often each sentence shape was used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

import pyoxigraph as ox

from nzkg.paths import VOCAB_DIR

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
NZO = "https://w3id.org/nzkg/ontology#"
ID = "https://w3id.org/nzkg/id/"

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
YEAR_MIN, YEAR_MAX = 1992, 2025

# Organisations that receive New Zealand's humanitarian money (slugs in organisations.ttl).
RECIPIENTS = [
    "world-food-programme", "unicef", "unhcr", "international-committee-of-the-red-cross",
    "international-federation-of-red-cross-and-red-crescent-societies", "ocha", "unmas", "unfpa", "unrwa", "undp",
    "world-health-organization", "food-and-agriculture-organization", "central-emergency-response-fund",
    "international-organization-for-migration", "medecins-sans-frontieres", "oxfam", "save-the-children",
    "world-vision", "care-international", "caritas", "halo-trust", "mines-advisory-group", "new-zealand-red-cross",
    "united-nations-peacebuilding-fund", "undg-iraq-trust-fund", "afghanistan-reconstruction-trust-fund",
    "palestine-red-crescent-society", "un-women",
    "funding-facility-for-stabilization", "syrian-arab-red-crescent", "tearfund",
]
ROLE_PORTFOLIOS = ["prime-minister", "deputy-prime-minister", "defence", "foreign-affairs",
                   "official-development-assistance", "police"]
ROLE_TITLES = {
    "prime-minister": ["Prime Minister"],
    "deputy-prime-minister": ["Deputy Prime Minister"],
    "defence": ["Defence Minister", "Defence Minister", "Minister of Defence"],
    "foreign-affairs": ["Foreign Minister", "Foreign Affairs Minister", "Minister of Foreign Affairs"],
    "official-development-assistance": ["Aid Minister"],
    "police": ["Police Minister", "Minister of Police"],
}
FRONT_MATTER_VARIANTS = ["Aid", "Foreign Affairs and Trade"]  # as some releases' front matter writes them
FEMALE = {"Ann", "Anne", "Annette", "Barbara", "Carmel", "Casey", "Fran", "Georgina", "Ginny", "Helen", "Hekia",
          "Jacinda", "Jenny", "Judith", "Marian", "Meka", "Nanaia", "Nicky", "Paula", "Poto", "Winnie"}
TREE_WORDS = ["Kauri", "Tōtara", "Rimu", "Kea", "Tūī", "Kererū", "Pūriri", "Mānuka", "Harakeke", "Kōwhai", "Miro",
              "Tawa", "Karaka", "Weka", "Matai", "Kahikatea", "Hoiho", "Ruru", "Takahē", "Pōhutukawa", "Toroa",
              "Kārearea"]
STRONG_WORDS = ["Shield", "Guardian", "Sentinel", "Endeavour", "Harbour", "Anchor", "Compass", "Horizon", "Bridge",
                "Lantern", "Keystone", "Rampart", "Tide", "Reef", "Summit", "Watch", "Beacon", "Pathway"]
DESCRIPTORS = ["Pacific", "Regional", "Maritime", "Coastal", "Joint", "Combined", "Southern", "Northern", "Eastern",
               "Western", "Island", "Border", "Ceasefire", "Harbour", "Reef", "Highlands", "Delta", "Lakes"]
RANKS = ["Major", "Captain", "Lieutenant Colonel", "Colonel", "Commander", "Brigadier", "Wing Commander",
         "Squadron Leader", "Lieutenant Commander", "Warrant Officer Class One"]
FIRST_NAMES = ["Mark", "Sarah", "Stephen", "Aroha", "Duncan", "Hemi", "Rachel", "Lance", "Tama", "Karen", "Michael",
               "Anna", "Wiremu", "Jo", "Craig", "Mere", "Simon", "Kate", "Rangi", "Louise"]
LAST_NAMES = ["Chadwick", "Challies", "George", "Cook", "Ngata", "Wood", "Brown", "Skeet", "Te Whata", "Smith",
              "Kingi", "Walker", "Tipene", "Harris", "Gardiner", "McKenzie", "Parata", "Thompson", "Reid", "Moana"]
BASES = ["Christchurch", "Burnham Military Camp", "RNZAF Base Ohakea", "Whenuapai", "Linton Military Camp",
         "Devonport Naval Base", "Auckland"]
SHIPS = ["Melbourne", "Toowoomba", "Arunta", "Stuart", "Anzac", "Warramunga"]
TASKS = ["mine-clearing operations", "reconstruction tasks", "humanitarian and reconstruction tasks",
         "training of local security forces", "maritime surveillance patrols", "logistics support",
         "monitoring of the ceasefire", "headquarters planning"]
ROLES_PLURAL = ["military observers", "staff officers", "military liaison officers", "personnel", "trainers",
                "engineers", "police officers", "medics", "specialists", "advisers"]
NEEDS = ["the humanitarian crisis", "the human cost of the conflict", "urgent food shortages",
         "the needs of displaced families", "the aftermath of the fighting", "severe food insecurity"]
COSTS = ["army training and other associated deployment costs", "the deployment of the contingent",
         "logistics and support", "the headquarters posts"]
NEWS = ["NZPA", "NNN-XINHUA", "Reuters", "NNN-AGENCIES", "RNZ"]
FLUFF = [
    "This decision reflects our strong commitment to {place}, and our need to step up to better support peace "
    "and stability in {region} more widely",
    "This deployment is an excellent opportunity for our NZDF personnel to utilise their skills, leadership and "
    "experience in a multinational environment",
    "New Zealand has a long history of contributing to peace and security in {region}",
    "Our personnel are well prepared and well trained for the situations they may encounter in the region",
    "Security in {place} is improving, but remains fragile",
    "These deployments are long-standing New Zealand commitments, which reflect our ongoing interest in promoting "
    "peace and stability",
    "The decision to extend this deployment is reflective of the continued need to partner and act in line with "
    "New Zealand’s values",
    "We are deeply concerned by the humanitarian situation in {place} and the loss of civilian life",
    "Hostilities must stop, to allow the urgent delivery of humanitarian aid and support to get to those in need",
    "The professionalism and expertise of our defence personnel has earned great respect",
    "We will continue to stand with international partners in expressing our concern about the situation in {place}",
    "It is important that New Zealand shares the burden of this regional effort fairly",
    "I am proud of the New Zealand Defence Force contribution, and I would like to thank all of those personnel "
    "who have served",
    "This reflects the importance New Zealand places on freedom of navigation and the safety of sea trading lanes",
    "Developments in that part of the world can have a global impact, including on New Zealand's security and "
    "prosperity",
    "The work will make a real difference to the lives of ordinary people in {place}",
    "Our support builds on the close relationship between New Zealand and the people of {place}",
    "It is in everyone's interests that {place} has a stable government",
]
BACKGROUND = [
    "Following conflicts, peace can be fragile and political instability can lead to further unrest.",
    "The UN or other organisations such as NATO may step in to help maintain peace and allow the rebuilding of "
    "infrastructure to create a more stable environment.",
    "MFAT's role is to work with the UN and other coalitions to assess peace support needs and develop policies and "
    "practices.",
    "Regional solutions to conflict situations are often the most effective, which is why we're active in conflict "
    "prevention and resolution in the Asia-Pacific.",
    "New Zealand takes a proactive and innovative approach to policing.",
    "Our peace efforts are focused on the Pacific, so it's important we keep enough capacity at home to respond to "
    "emergencies in our own region.",
    "The Defence Force remains committed to supporting peace and security in {region}.",
    "Protection of civilians is at the core of the mission's mandate.",
    "The sanctions resolutions are intended to persuade the parties to abandon their weapons programmes.",
    "The unrest was sparked by anger over a perceived lack of development in the province.",
    "Freedom of navigation along trade routes is an integral part of New Zealand’s national interests.",
]


CONTEXT = [
    "{OP} was established in {year} and is responsible for {task} across {place}.",
    "The mission is responsible for providing essential protection to civilians, monitoring and investigating human "
    "rights conditions, and supporting the delivery of humanitarian assistance.",
    "Over the course of the operation, NZDF personnel have worked alongside New Zealand Police, the Australian Defence "
    "Force and partner forces from across the region.",
    "The contingent has continued to support local police to maintain peace and stability in {place}, including "
    "through community engagement and reassurance.",
    "They will operate with other forces from countries contributing to the coalition in {place}.",
    "The deployment follows a request for assistance from the Government of {place} and was approved by Cabinet "
    "this week.",
    "The team will be based in {place} and will work alongside personnel from Australia, Canada, the United Kingdom "
    "and the United States.",
    "Personnel will undertake pre-deployment training at Linton and Burnham before they leave.",
    "The Chief of Defence Force said the deployment had been planned carefully and that the risks to personnel "
    "were being managed.",
    "Any costs incurred by the Defence Force would have to be found from within the existing budget, a government "
    "spokesman said.",
    "The situation in {place} remains tense, and the mission has been asked to increase its patrols along the "
    "border.",
    "The Government will reassess the deployment early next year and consider all of the options, including "
    "withdrawal.",
    "{OP} operates under a mandate from the United Nations Security Council, which is reviewed each year.",
]
AID_CONTEXT = [
    "The funding will help provide food, clean water, shelter and medical care to those affected in {place}.",
    "Humanitarian agencies say access to affected communities in {place} remains difficult.",
    "The United Nations has warned that without immediate assistance from the international community thousands of "
    "lives could be lost.",
    "Both organisations will continue to expand their operations as conditions allow. They act with full "
    "independence and neutrality.",
    "More than {millions} million people in {place} need humanitarian assistance, according to the United Nations.",
    "The Government will also match dollar for dollar funds raised by New Zealand NGOs from the public for this "
    "crisis.",
    "Women and girls in particular have been affected by this crisis, and the funding will help address their "
    "health and protection needs.",
    "New Zealand will continue to monitor the situation in {place} closely and consider what further support may "
    "be needed.",
]


# ---- the vocabulary ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Op:
    name: str
    acronym: str | None
    places: tuple[str, ...]
    start: int
    end: int
    alt: tuple[str, ...] = ()
    invented: bool = False


@dataclass(frozen=True)
class Minister:
    name: str
    portfolios: tuple[str, ...]
    terms: tuple[tuple[str, int, int], ...]  # (portfolio, first year, last year), read from rdfs:comment

    def held(self, role: str, year: int) -> bool:
        return any(r == role and first <= year <= last for r, first, last in self.terms)


@dataclass(frozen=True)
class Org:
    name: str
    acronym: str | None


@dataclass
class Vocab:
    ops: list[Op]
    historic_ops: list[Op]
    recipients: list[Org]
    countries: list[str]
    op_places: list[str]
    aid_places: list[str]
    regions: list[str]
    place_class: dict[str, str]
    region_of: dict[str, str]
    ministers: list[Minister]
    portfolio_labels: dict[str, list[str]]
    op_heads: list[str]
    known_names: frozenset[str]
    _by_role: dict[tuple[str, int], list[Minister]] = field(default_factory=dict)

    def ministers_for(self, role: str, year: int) -> list[Minister]:
        key = (role, year)
        if key not in self._by_role:
            holders = [m for m in self.ministers if role in m.portfolios]
            self._by_role[key] = [m for m in holders if m.held(role, year)] or holders
        return self._by_role[key]


def triples(name: str):
    for quad in ox.parse(path=str(VOCAB_DIR / name), format=ox.RdfFormat.TURTLE):
        yield quad.subject.value, quad.predicate.value, quad.object.value


def describe(name: str) -> dict[str, dict[str, list[str]]]:
    things: dict[str, dict[str, list[str]]] = {}
    for s, p, o in triples(name):
        things.setdefault(s, {}).setdefault(p, []).append(o)
    return things


def acronym_like(name: str) -> bool:
    return re.fullmatch(r"[A-Z][A-Z0-9&]*(?:[- ][A-Z0-9]+)*", name) is not None and sum(c.isupper() for c in name) >= 2


def initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’]*", name) if w[0].isupper() or w[0].isdigit())


def best_acronym(label: str, alts: list[str]) -> str | None:
    """The ALL-CAPS altLabel that best spells the label's initials ("UNTSO", not "OGG")."""
    want = initials(label).upper()
    scored = []
    for alt in alts:
        if not acronym_like(alt):
            continue
        letters = re.sub(r"[^A-Z]", "", alt)
        prefix = next((i for i, (a, b) in enumerate(zip(letters, want, strict=False)) if a != b),
                      min(len(letters), len(want)))
        scored.append((-prefix, alt))
    scored.sort()
    return scored[0][1] if scored and -scored[0][0] >= 2 else None


ROLE_WORDS = {
    "deputy-prime-minister": r"Deputy Prime Minister", "prime-minister": r"(?<!Deputy )Prime Minister",
    "defence": r"Defen[cs]e", "foreign-affairs": r"Foreign Affairs|Foreign Minister|External Relations",
    "police": r"Police", "official-development-assistance": r"Development Assistance|\baid\b|NZAID",
}
TERM = re.compile(r"\bfrom\s+(?:\w+\s+)?(?P<from>(?:19|20)\d\d)"
                  r"|(?P<first>(?:19|20)\d\d)(?:\s*[–-]\s*(?P<last>(?:19|20)\d\d))?")


def terms(comment: str, held: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """When each portfolio was held: the first years after each mention of it in the comment ("Minister of
    Defence 1999–2005", "Minister of Defence from 2023"); else the years the whole comment spans."""
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", comment)] or [YEAR_MIN, YEAR_MAX]
    found = []
    for role in held:
        spans = []
        for mention in re.finditer(ROLE_WORDS[role], comment):
            term = TERM.search(comment, mention.end(), mention.end() + 120)
            if term and term.group("from"):
                spans.append((role, int(term.group("from")), YEAR_MAX))
            elif term:
                spans.append((role, int(term.group("first")), int(term.group("last") or term.group("first"))))
        found += spans or [(role, min(years), max(years))]
    return tuple(found)


REGION_ORDER = ["Middle East", "Balkans", "Horn of Africa", "Pacific", "Korean Peninsula", "Southeast Asia",
                "South Asia", "Central Asia", "East Asia", "Eastern Europe", "Sub-Saharan Africa", "North Africa",
                "Caribbean", "Latin America"]


def preferred_region(parents: list[str], place_class: dict[str, str]) -> str:
    """The region a release would name for a place: a known region ('the Middle East'), else its continent."""
    for region in REGION_ORDER:
        if region in parents:
            return region
    regions = sorted(p for p in parents if place_class.get(p) == "Region")
    continents = sorted(p for p in parents if place_class.get(p) == "Continent")
    return (regions or continents or ["region"])[0]


def year_of(value: str | None, default: int) -> int:
    return int(value[:4]) if value else default


def load_vocab() -> Vocab:
    """Read the names the releases use from the project's Turtle, once; every list is sorted, so nothing
    depends on parse order."""
    ops_raw = describe("operations.ttl")
    orgs_raw = describe("organisations.ttl")
    places_raw = describe("places.ttl")
    countries_raw = describe("countries.ttl")
    needed = {loc for d in ops_raw.values() for loc in d.get(NZO + "location", [])}
    labels: dict[str, str] = {}
    place_class: dict[str, str] = {}
    for raw in (countries_raw, places_raw):
        for iri, d in raw.items():
            if LABEL in d:
                labels[iri] = d[LABEL][0]
            for cls in d.get(RDF_TYPE, []):
                if cls.startswith(NZO) and LABEL in d:
                    place_class[d[LABEL][0]] = cls[len(NZO):]
    for s, p, o in triples("cities.ttl"):
        if p == LABEL and s in needed and s not in labels:
            labels[s] = o
    ops, historic = [], []
    known = set()
    for _iri, d in sorted(ops_raw.items()):
        if NZO + "Operation" not in d.get(RDF_TYPE, []) or LABEL not in d:
            continue
        label = d[LABEL][0]
        alts = sorted(d.get(ALT, []))
        known.update(n.lower() for n in [label, *alts])
        places = tuple(sorted({labels[p] for p in d.get(NZO + "location", []) if p in labels},
                              key=lambda p: (place_class.get(p) != "Country", p)))
        start = year_of(d.get(NZO + "startDate", [None])[0], YEAR_MIN)
        end = year_of(d.get(NZO + "endDate", [None])[0], YEAR_MAX)
        plain = tuple(a for a in alts if not acronym_like(a) and not a.startswith(("Op ", "Operation"))
                      and len(a) > 12 and "  " not in a)
        op = Op(label, best_acronym(label, alts), places or ("the region",), max(start, YEAR_MIN - 10),
                min(end, YEAR_MAX), plain)
        (ops if end >= YEAR_MIN and start <= YEAR_MAX else historic).append(op)
    for d in orgs_raw.values():
        known.update(n.lower() for n in d.get(LABEL, []) + d.get(ALT, []))
    recipients = []
    for slug in RECIPIENTS:
        d = orgs_raw.get(ID + "organisation/" + slug)
        if d and LABEL in d:
            alts = sorted(d.get(ALT, []))
            recipients.append(Org(d[LABEL][0], best_acronym(d[LABEL][0], alts)))
            recipients += [Org(a, None) for a in alts if not acronym_like(a) and len(a) > 10
                           and not re.search(r"\b(?:NZ|New Zealand|Australia|Aotearoa)\b", a)][:2]
    countries = sorted(labels[i] for i, d in countries_raw.items()
                       if NZO + "Country" in d.get(RDF_TYPE, []) and labels.get(i) not in (None, "New Zealand"))
    regions = sorted(labels[i] for i, d in places_raw.items()
                     if NZO + "Region" in d.get(RDF_TYPE, []) and i in labels)
    op_places = sorted({p for op in ops for p in op.places if p != "the region"})
    aid_places = sorted({p for p in op_places if place_class.get(p) == "Country" and p != "New Zealand"}
                        | {p for p in ("Gaza Strip", "Darfur", "Bougainville", "Kurdistan Region") if p in place_class})
    ministers = []
    for d in describe("ministers.ttl").values():
        if LABEL not in d:
            continue
        held = tuple(sorted(p.rsplit("/", 1)[1] for p in d.get(NZO + "heldPortfolio", [])
                            if p.rsplit("/", 1)[1] in ROLE_PORTFOLIOS))
        if not held:
            continue
        ministers.append(Minister(d[LABEL][0], held, terms(d.get(COMMENT, [""])[0], held)))
    ministers.sort(key=lambda m: m.name)
    portfolio_labels = {}
    for iri, d in describe("portfolios.ttl").items():
        slug = iri.rsplit("/", 1)[1]
        if slug in ROLE_PORTFOLIOS and LABEL in d:
            portfolio_labels[slug] = [d[LABEL][0], *(a for a in FRONT_MATTER_VARIANTS if a in d.get(ALT, []))]
    heads = set()
    for d in describe("name-heads.ttl").values():
        if NZO + "Operation" in d.get(NZO + "names", []):
            heads.update(h for h in d.get(NZO + "headWord", []) if " " in h and "-" not in h)
    region_of = {}
    for raw in (countries_raw, places_raw):
        for iri, d in raw.items():
            if iri in labels:
                parents = [labels[p] for p in d.get(NZO + "partOf", []) if p in labels]
                region_of.setdefault(labels[iri], []).extend(parents)
    region_of = {place: preferred_region(parents, place_class) for place, parents in sorted(region_of.items())}
    return Vocab(ops, historic, recipients, countries, op_places, aid_places, regions, place_class, region_of,
                 ministers,
                 portfolio_labels, sorted(heads), frozenset(known))


# ---- one release ---------------------------------------------------------------------------------------------

def number_words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return ONES[n // 100] + " hundred" + (" and " + number_words(n % 100) if n % 100 else "")
    return number_words(n // 1000) + " thousand" + (" " + number_words(n % 1000) if n % 1000 else "")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def slugify(text: str, words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]) or "release"


def the(place: str, cls: str | None) -> str:
    if cls in ("WaterBody",) or place.startswith(("United ", "Republic", "Democratic", "Central African", "Gulf",
                                                  "Strait", "Horn of", "Korean", "Golan", "Sinai", "Middle East",
                                                  "Balkans", "Pacific", "Indo-Pacific", "Persian", "Philippines",
                                                  "Netherlands", "Bahamas", "Maldives", "Gambia", "Asia-Pacific",
                                                  "Caribbean", "Arctic", "Former")):
        return "the " + place
    return place


class Release:
    """The state of one release while it is written: its random source, date, ministers, operations and the
    names already introduced (an acronym is spelled out once, then used bare)."""

    def __init__(self, vocab: Vocab, rng: Random, stats: Counter) -> None:
        self.v = vocab
        self.rng = rng
        self.stats = stats
        self.introduced: set[str] = set()
        self.ops: list[Op] = []
        self.year = rng.randint(YEAR_MIN + 3, YEAR_MAX)
        self.date = dt.date(self.year, rng.randint(1, 12), rng.randint(1, 28))
        self.curly = rng.random() < 0.55
        self.ministers: list[tuple[Minister, str, str]] = []  # (minister, role, title)
        self.honorific: dict[str, str] = {}
        self.focus_place: str | None = None
        self.said: set[str] = set()
        self.speaker = f"{rng.choice(RANKS[:6])} {rng.choice(LAST_NAMES)}"  # who speaks when no minister does

    # -- choices ------------------------------------------------------------------------------------------------

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def use(self, shape: str) -> None:
        self.stats[shape] += 1

    def choose_ops(self, k: int, invented: float = 0.12) -> list[Op]:
        anchor = self.pick(self.v.ops)
        self.year = self.rng.randint(max(anchor.start, YEAR_MIN + 3), max(anchor.end, anchor.start, YEAR_MIN + 3))
        self.year = min(self.year, YEAR_MAX)
        self.date = dt.date(self.year, self.date.month, self.date.day)
        chosen = [anchor]
        live = [op for op in self.v.ops if op.start <= self.year <= op.end]
        home = self.v.region_of.get(anchor.places[0])
        nearby = [op for op in live if self.v.region_of.get(op.places[0]) == home and op is not anchor]
        while len(chosen) < k:
            op = self.pick(nearby if len(nearby) >= k and self.chance(0.7) else live)
            if op not in chosen:
                chosen.append(op)
        chosen = [self.invent() if self.chance(invented) else op for op in chosen]
        self.ops = chosen
        return chosen

    def invent(self) -> Op:
        """An operation the vocabulary lacks, named in a shape the extractor should still find."""
        for _ in range(20):
            place = self.pick(self.v.countries if self.chance(0.3) else self.v.aid_places)
            if self.chance(0.45):
                name = "Operation " + self.pick(TREE_WORDS)
                if self.chance(0.6):
                    name += " " + self.pick(STRONG_WORDS)
                acronym = None
            else:
                words = [self.pick(DESCRIPTORS)] + ([self.pick(DESCRIPTORS)] if self.chance(0.5) else [])
                name = " ".join([*dict.fromkeys(words), self.pick(self.v.op_heads)])
                acronym = initials(name)
                if acronym.lower() in self.v.known_names:
                    continue
            if name.lower() not in self.v.known_names:
                self.use("name.invented_operation")
                return Op(name, acronym, (place,), YEAR_MIN, YEAR_MAX, invented=True)
        return self.pick(self.v.ops)

    def choose_ministers(self, roles: list[str]) -> None:
        for role in roles:
            candidates = [m for m in self.v.ministers_for(role, self.year) if m not in [x[0] for x in self.ministers]]
            if candidates:
                minister = self.pick(candidates)
                self.ministers.append((minister, role, self.pick(ROLE_TITLES[role])))

    def place(self) -> str:
        if self.focus_place:
            return self.focus_place
        for op in self.ops:
            if op.places[0] != "the region":
                return op.places[0]
        return self.pick(self.v.op_places)

    def where(self, place: str) -> str:
        return the(place, self.v.place_class.get(place))

    def region(self) -> str:
        """The region of the release's place: 'the Middle East', 'the Pacific', 'Africa'."""
        region = self.v.region_of.get(self.place(), "region")
        return "the region" if region == "region" else self.where(region)

    # -- names -------------------------------------------------------------------------------------------------

    def op_name(self, op: Op, article: bool = True) -> str:
        """First mention: the full name, with its acronym in brackets when it has one; later: the acronym."""
        bare = op.name.startswith(("Operation", "Op ", "Kayforce")) or acronym_like(op.name.split()[0])
        art = "" if bare or not article else "the "
        if op.name in self.introduced:
            if op.acronym and self.chance(0.8):
                return op.acronym
            return art + op.name
        self.introduced.add(op.name)
        name = op.name if op.invented or not op.alt or self.chance(0.7) else self.pick(op.alt)
        if op.acronym and (op.invented or self.chance(0.7)):
            self.use("name.full_with_acronym")
            return f"{art}{name} ({op.acronym})"
        return art + name

    def op_in(self, op: Op) -> str:
        """'the Peace Monitoring Group in Bougainville', but not 'the … Mission in Somalia in Somalia'."""
        name = self.op_name(op)
        place = op.places[0]
        return name if place in op.name or place == "the region" else f"{name} in {self.where(place)}"

    def headquarters(self, op: Op) -> str:
        if op.acronym and op.name in self.introduced:
            return f"{op.acronym} Headquarters"
        return f"the headquarters of {self.op_name(op)}"

    def org_name(self, org: Org) -> str:
        if org.name.startswith("The "):
            return "the " + org.name[4:]
        article = "" if re.match(r"[A-Z]{2,}\b", org.name) or not re.search(
            r"United Nations|UN |Programme|Committee|Federation|Fund|Office|Organi[sz]ation|Agency|Service|Trust"
            r"|Facility|Society|Red Cross|Commission|Movement|Entity|Force", org.name) else "the "
        if org.acronym and self.chance(0.3):
            return f"{article}{org.name} ({org.acronym})"
        if org.acronym and self.chance(0.2):
            return org.acronym
        return article + org.name

    def orgs(self, k: int) -> list[str]:
        chosen: list[Org] = []
        while len(chosen) < k:
            org = self.pick(self.v.recipients)
            if all(org.name.split()[0] != o.name.split()[0] for o in chosen):
                chosen.append(org)
        return [self.org_name(o) for o in chosen]

    def minister(self, i: int = 0) -> tuple[Minister, str, str]:
        return self.ministers[min(i, len(self.ministers) - 1)]

    def surname(self, m: Minister) -> str:
        words = m.name.split()
        return " ".join(words[-2:]) if len(words) > 2 and words[-2][0].islower() else words[-1]

    def mr(self, m: Minister) -> str:
        if m.name not in self.honorific:
            female = m.name.split()[0] in FEMALE
            self.honorific[m.name] = (self.pick(["Ms", "Ms", "Mrs"]) if female else "Mr") + " " + self.surname(m)
        return self.honorific[m.name]

    def titled(self, i: int = 0) -> str:
        m, _, title = self.minister(i)
        return f"{title} {m.name}"

    def announcers(self) -> str:
        names = [f"{title} {m.name}" for m, _, title in self.ministers[:2]]
        return " and ".join(names) if names else "the Government"

    def has_have(self) -> str:
        return "have" if len(self.ministers) > 1 else "has"

    def officer(self) -> str:
        return f"{self.pick(RANKS)} {self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"

    # -- numbers, money, dates ---------------------------------------------------------------------------------

    def count(self, n: int, start: bool = False) -> str:
        words = ((n <= 20 and self.chance(0.55)) or (n <= 100 and self.chance(0.3))
                 or (n % 50 == 0 and self.chance(0.25)))
        if words:
            self.use("number.words")
            text = number_words(n)
        else:
            text = f"{n:,}" if n >= 1000 and self.chance(0.7) else str(n)
        return cap(text) if start else text

    def size(self, kind: str) -> int:
        if kind == "small":
            return self.rng.randint(1, 12)
        if kind == "medium":
            return self.rng.randint(13, 75)
        return self.pick([100, 120, 140, 150, 170, 200, 250, 300, 350, 400, 800]) + self.pick([0, 0, 0, 2, 5, -6])

    def money(self, amount: int) -> str:
        if amount == 500_000 and self.chance(0.5):
            self.use("money.half_a_million")
            return "half a million dollars"
        if amount >= 1_000_000:
            millions = f"{amount / 1_000_000:.3f}".rstrip("0").rstrip(".")
            forms = [f"${millions} million", f"NZ${millions} million", f"${millions} million"]
            if len(millions) <= 4:
                forms.append(f"${millions}m")
            if amount % 1_000_000 == 0 and amount <= 20_000_000:
                forms.append(f"{number_words(amount // 1_000_000)} million NZ dollars")
            return self.pick(forms)
        return f"${amount:,}" if self.chance(0.85) else f"NZ${amount:,}"

    def amount(self, kind: str = "grant") -> int:
        if kind == "cost":
            return self.rng.randint(150, 40_000) * 1000
        if kind == "precise":
            return self.rng.randint(1_000, 9_999) * 1000
        return self.pick([200_000, 250_000, 300_000, 500_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000,
                          3_000_000, 4_000_000, 5_000_000, 1_850_000, 3_300_000, 6_000_000])

    def later(self, years_min: int = 1, years_max: int = 2) -> tuple[int, int]:
        year = self.year + self.rng.randint(years_min, years_max)
        return year, self.rng.randint(1, 12)

    def month_year(self, year: int, month: int) -> str:
        self.use("date.month_year")
        return f"{MONTHS[month - 1]} {year}"

    def day(self, year: int, month: int) -> str:
        day = self.pick([30, 31, 28, 1, 15]) if month != 2 else 28
        day = min(day, 30) if month in (4, 6, 9, 11) else day
        if self.chance(0.2):
            self.use("date.us_style")
            return f"{MONTHS[month - 1]} {day}, {year}"
        self.use("date.day_month_year")
        return f"{day} {MONTHS[month - 1]} {year}"

    def end_date(self) -> str:
        """An end date in one of the forms releases use."""
        year, month = self.later()
        form = self.rng.random()
        if form < 0.45:
            return self.month_year(year, month)
        if form < 0.75:
            return self.day(year, month)
        if form < 0.85:
            self.use("date.mid_year")
            return f"mid-{year}"
        if form < 0.93 and self.date.month < 11:
            self.use("date.this_month")
            return "this " + MONTHS[self.rng.randint(self.date.month + 1, 12) - 1]
        self.use("date.end_of_year")
        return f"the end of {year}"

    def past_year(self, op: Op) -> int:
        return self.rng.randint(min(max(op.start, 1950), self.year - 1), self.year - 1)

    def dateline(self) -> str:
        return f"{self.date.day} {MONTHS[self.date.month - 1]} {self.year}"

    # -- quotes -------------------------------------------------------------------------------------------------

    def context(self, k: int = 1) -> list[str]:
        """Background about the operation, or for aid about the place, with no figures of New Zealand's."""
        op = self.ops[0] if self.ops else None
        sentences = []
        for template in self.rng.sample(CONTEXT if op else AID_CONTEXT, k):
            self.use("context.operation" if op else "context.aid")
            sentences.append(cap(template.format(
                OP=(op.acronym or self.op_name(op)) if op else "", year=self.past_year(op) if op else self.year,
                task=self.pick(TASKS), place=self.where(self.place()), millions=self.rng.randint(2, 20))))
        return sentences

    def fluff(self) -> str:
        template = self.pick(FLUFF)
        while template in self.said and len(self.said) < len(FLUFF):
            template = self.pick(FLUFF)
        self.said.add(template)
        return template.format(place=self.where(self.place()), region=self.region())

    def attribution(self, i: int = 0) -> str:
        if not self.ministers:
            return self.pick(["a spokesperson said", f"{self.speaker} said", f"said {self.speaker}",
                              f"{self.speaker} says"])
        m, _, title = self.minister(i)
        form = self.rng.randrange(6)
        if form == 0:
            return f"{title} {m.name} said"
        if form == 1:
            return f"said {self.mr(m)}"
        if form == 2:
            return f"{self.mr(m)} says"
        if form == 3:
            return f"{m.name} said"
        if form == 4:
            return f"{m.name} said in a statement"
        return f"said {m.name}"

    def quote(self, sentences: list[str], i: int = 0, split: bool = False) -> list[str]:
        """One quoted passage; several paragraphs open a quote mark each and only the last closes it."""
        self.use("quote.attributed")
        left, right = ("“", "”") if self.curly else ('"', '"')
        sentences = [s.rstrip(".") for s in sentences]
        if split and len(sentences) > 1:
            self.use("quote.multi_paragraph")
            paragraphs = [f"{left}{s}." for s in sentences[:-1]]
            return [*paragraphs, f"{left}{sentences[-1]},{right} {self.attribution(i)}."]
        body = ". ".join(sentences)
        return [f"{left}{body},{right} {self.attribution(i)}."]


# ---- sentence shapes ----------------------------------------------------------------------------------------
# Each returns one sentence (or paragraph) and counts itself in the statistics under its name.

def lead_deploy_up_to(r: Release, op: Op) -> str:
    r.use("lead.will_deploy_up_to_additional")
    a = r.size("small")
    b = a + r.size("medium")
    subject = r.pick(["NZDF", "New Zealand", "The New Zealand Defence Force"])
    if r.chance(0.5):
        return (f"{subject} will deploy up to {r.count(b - a)} additional personnel to {r.op_name(op)}, "
                f"{r.announcers()} announced today.")
    return (f"{subject} will deploy up to {r.count(b - a)} additional personnel to {r.where(op.places[0])}, increasing "
            f"the size of its contribution to {r.op_name(op)} from {a} to up to {b} personnel.")


def lead_contribute(r: Release, op: Op) -> str:
    r.use("lead.will_contribute_roles")
    return (f"New Zealand will contribute {r.count(r.size('small'))} {r.pick(ROLES_PLURAL)} to {r.op_name(op)}, "
            f"{r.announcers()} announced today.")


def lead_cabinet(r: Release, op: Op) -> str:
    r.use("lead.cabinet_agreed_additional")
    return (f"New Zealand’s Cabinet has agreed to deploy an additional {r.count(r.size('medium'))} New Zealand "
            f"Defence Force personnel to {r.op_in(op)}.")


def lead_further_year(r: Release, op: Op) -> str:
    r.use("lead.extended_for_a_further_year")
    year, month = r.year + 1, r.rng.randint(1, 12)
    who = r.titled() if r.ministers else "The Government"
    return (f"{who} announced today that New Zealand's commitment to {r.op_name(op)} is to be extended for a "
            f"further year, to {r.day(year, month)}.")


def lead_presence_until(r: Release, op: Op) -> str:
    r.use("lead.presence_extended_until")
    return (f"New Zealand's military presence in {r.where(op.places[0])} is to be extended until {r.end_date()}, "
            f"{r.announcers()} announced today.")


def lead_drawn_to_close(r: Release, op: Op) -> str:
    r.use("lead.contribution_drawn_to_close")
    years = r.rng.randint(3, 20)
    return (f"The New Zealand Defence Force's {number_words(years)}-year contribution to {r.op_name(op)} has drawn "
            f"to a close, {r.announcers()} said today.")


def lead_being_deployed(r: Release, op: Op) -> str:
    r.use("lead.personnel_being_deployed")
    return (f"{r.count(r.size('small'), start=True)} New Zealand Defence Force (NZDF) personnel are being deployed to "
            f"{r.where(op.places[0])} to support {r.op_name(op)}.")


def lead_depart(r: Release, op: Op) -> str:
    r.use("lead.soldiers_will_depart")
    months = r.pick(["three-month", "six-month", "four-month"])
    return (f"{r.count(r.size('medium'), start=True)} soldiers will depart {r.pick(BASES)} on "
            f"{r.pick(WEEKDAYS)} {r.date.day} {MONTHS[r.date.month - 1]} for a {months} deployment to "
            f"{r.where(op.places[0])}. The deployment is part of New Zealand Defence Force’s (NZDF) contribution to "
            f"{r.op_name(op)}.")


def lead_sending_navy(r: Release, op: Op) -> str:
    r.use("lead.sending_navy_personnel")
    who = r.titled() if r.ministers else "the Chief of Navy"
    return f"New Zealand is sending {r.count(r.size('small'))} Navy personnel to join {r.op_name(op)}, said {who}."


def lead_help_with(r: Release, op: Op) -> str:
    r.use("lead.up_to_personnel_will_help")
    return (f"Up to {r.count(r.size('medium'))} New Zealand Defence Force (NZDF) personnel will help with "
            f"{r.pick(TASKS)} in {r.where(op.places[0])} as part of {r.op_name(op)}, {r.announcers()} announced "
            f"today.")


def lead_funding(r: Release, place: str) -> str:
    r.use("lead.funding_committing")
    amount = r.money(r.amount())
    if r.chance(0.5):
        return (f"New Zealand is committing {amount} in emergency humanitarian relief to address {r.pick(NEEDS)} in "
                f"{r.where(place)}, {r.announcers()} announced today.")
    return (f"New Zealand will contribute a further {amount} for humanitarian assistance in response to the crisis "
            f"in {r.where(place)}, {r.announcers()} {r.has_have()} announced.")


def pers_liaison(r: Release, op: Op) -> str:
    r.use("pers.one_officer_serving_as")
    return (f"New Zealand has one Defence Force officer serving as a "
            f"{r.pick(['military liaison officer', 'staff officer', 'military observer'])} for {r.op_name(op)}.")


def pers_deployment_extended(r: Release, op: Op) -> str:
    r.use("pers.deployment_of_up_to_extended_until")
    return f"That deployment of up to {r.count(r.size('medium'))} personnel has been extended until {r.end_date()}."


def pers_currently_has(r: Release, op: Op) -> str:
    r.use("pers.currently_has_personnel_in")
    return (f"The New Zealand Defence Force currently has {r.count(r.size('medium'))} personnel in "
            f"{r.where(op.places[0])}.")


def pers_deploys_split(r: Release, op: Op) -> str:
    r.use("pers.currently_deploys_split")
    places = list(op.places[:2]) if len(op.places) > 1 else [op.places[0], r.pick(r.v.op_places)]
    return (f"New Zealand currently deploys {r.count(r.size('small'))} NZDF personnel to {r.headquarters(op)} "
            f"in {r.where(places[0])} and {r.where(places[1])}, and {r.count(r.size('small'))} "
            f"operational support roles based in {r.where(r.pick(r.v.op_places))}.")


def pers_partitive(r: Release, op: Op) -> str:
    r.use("pers.partitive_of_the_additional")
    return (f"Up to {r.count(r.rng.randint(2, 12))} of the additional personnel will take on roles in the "
            f"{op.acronym or 'headquarters'} Honour Guard, while an infantry platoon of up to "
            f"{r.count(r.size('medium'))} of the additional personnel will join the security battalion.")


def pers_comprise(r: Release, op: Op) -> str:
    r.use("pers.will_comprise_list")
    return (f"This will comprise {r.count(r.size('small'))} personnel deployed to the "
            f"{r.pick(['Officer Academy', 'training centre', 'national headquarters'])}, "
            f"{r.count(r.size('small'))} personnel within {r.headquarters(op)} and potentially "
            f"up to {r.count(r.rng.randint(1, 4))} focusing on Women, Peace and Security.")


def pers_strong(r: Release, op: Op) -> str:
    r.use("pers.n_strong_unit")
    n = r.size("large")
    sep = r.pick(["-strong", "-strong", " strong"])
    unit = r.pick(["New Zealand-led", "New Zealand", "NZDF"])
    return (f"The latest deployment of a {n}{sep} {unit} contingent to {r.op_in(op)} "
            f"was due to expire {r.end_date()}.")


def pers_returning(r: Release, op: Op) -> list[str]:
    r.use("pers.returning_part_of_figure")
    n = r.size("medium") + 10
    back = r.rng.randint(5, n - 1)
    place = r.where(op.places[0])
    text = (f"Since {MONTHS[r.rng.randrange(12)]} we have had {n} personnel in {place}. All of those {n} personnel "
            f"have now left and are either back in New Zealand or returning to New Zealand. {back} personnel arrived "
            f"back in New Zealand last week and are in isolation at the Royal New Zealand Air Force base in Auckland")
    return r.quote([text], i=len(r.ministers) - 1)


def pers_one_officer_till(r: Release, op: Op) -> str:
    r.use("pers.one_officer_till_date")
    year, month = r.later(2, 2)
    return (f"New Zealand will also contribute one officer to the {op.acronym or 'mission'} headquarters for two "
            f"years, till {r.day(year, month)}.")


def pers_renewed(r: Release, op: Op) -> str:
    r.use("pers.renewed_commitment_would_see")
    return (f"The renewed commitment would see {number_words(r.size('small'))} personnel continue to support the "
            f"mission, which was New Zealand's largest current contribution to a UN-led peacekeeping operation.")


def pers_from_to(r: Release, op: Op) -> str:
    r.use("pers.reduce_from_to")
    a = r.size("medium")
    b = max(1, a - r.rng.randint(2, 10))
    return (f"The Government also decided to reduce the number of NZDF personnel on the ground for {r.op_name(op)} "
            f"from {a} to {b}. The NZDF deployment will continue until {r.end_date()}.")


def pers_since(r: Release, op: Op) -> str:
    r.use("pers.contributed_since_year")
    year = r.past_year(op)
    if r.chance(0.5):
        return (f"New Zealand has contributed a military liaison officer to {r.op_name(op)} since "
                f"{MONTHS[r.rng.randrange(12)]} {year}.")
    return f"New Zealand has been a member of {r.op_name(op)} since its establishment in {year}."


def pers_last_of(r: Release, op: Op) -> str:
    r.use("pers.last_of_n_officers_since")
    year = r.past_year(op)
    return (f"{r.officer()} from the Royal New Zealand Navy is shortly to leave {r.where(op.places[0])}, and is the "
            f"last of {number_words(r.size('medium'))} New Zealand officers sent to the mission since {year}.")


def pers_deputy(r: Release, op: Op) -> str:
    r.use("pers.officer_will_be_deputy_commander")
    return (f"{r.officer()}, Royal New Zealand Navy, will be Deputy Commander of {op.acronym or r.op_name(op)} under "
            f"an Australian commander. Another Navy officer will join him for four months from early December.")


def pers_boat_crew(r: Release, op: Op) -> str:
    r.use("pers.n_person_crew_will_join")
    return (f"A {number_words(r.rng.randint(3, 6))}-person boat crew will join the Australian frigate HMAS "
            f"{r.pick(SHIPS)} early next year for a six-month deployment.")


def pers_police_military(r: Release, op: Op) -> str:
    r.use("pers.police_and_military_sent")
    who = r.titled() if r.ministers else "The Minister"
    return (f"{who} said yesterday that {r.size('medium')} police and {r.size('large')} military personnel would "
            f"be sent to {r.where(op.places[0])}, with development aid to be increased from $8 million to $14 million.")


def pers_standby(r: Release, op: Op) -> str:
    r.use("pers.unit_on_standby")
    return (f"New Zealand's Defence Force will keep an infantry combat unit of {r.count(r.size('large'))} troops on "
            f"standby, who could be sent to {r.where(op.places[0])} if the situation worsens.")


def pers_further_person(r: Release, op: Op) -> str:
    r.use("pers.further_person_joins")
    return (f"A further person will join New Zealand’s current contribution of {number_words(r.size('small'))} "
            f"personnel to {r.op_name(op)}. The New Zealand Defence Force Brigadier will undertake the Chief of "
            f"Staff role in the mission. The term is for one year.")


def pers_bullets(r: Release, op: Op) -> list[str]:
    r.use("pers.bullet_breakdown")
    bullet = r.pick(["  • ", "- ", "* "])
    parts = ["Headquarters", "National Command Element", "National Support Element", "infantry component",
             "training team", "engineer section"]
    lines = []
    for part in r.rng.sample(parts, r.rng.randint(2, 4)):
        lines.append(f"{bullet}{r.count(r.size('small' if 'component' not in part else 'medium'), start=True)} "
                     f"personnel in the {op.acronym + ' ' if op.acronym and part == 'Headquarters' else ''}{part}.")
    return [f"The full New Zealand Defence Force contribution to {r.op_name(op)} is now:", "\n".join(lines)]


def pers_person_list(r: Release, ops: list[Op]) -> str:
    r.use("pers.n_person_contingent_list")
    parts = [f"the {r.count(r.size('small' if i else 'medium'))}-person "
             f"{r.pick(['commitment', 'contingent', 'contribution'])} to {r.op_name(op)}" for i, op in enumerate(ops)]
    joined = ", ".join(parts[:-1]) + ", and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"The joint announcement from {r.announcers()} includes {joined}."


def date_mandate_roles(r: Release, op: Op) -> list[str]:
    r.use("date.mandate_for_these_roles_extended")
    return r.quote([f"New Zealand currently deploys {r.count(r.size('small'))} NZDF personnel to {r.op_name(op)}. "
                    f"The mandate for these roles has been extended until {r.end_date()}"], i=len(r.ministers) - 1)


def date_now_extended(r: Release, op: Op) -> str:
    r.use("date.these_are_now_extended_until")
    return f"These are now extended until {r.end_date()}."


def date_mandate_through(r: Release, op: Op) -> str:
    r.use("date.mandate_extended_through_to")
    year = r.year + r.rng.randint(0, 1)
    return (f"In {MONTHS[r.date.month - 1]} {r.year} the mandate for this deployment was extended through to "
            f"mid-{year + 1}.")


def date_mandated_conclude(r: Release, op: Op) -> str:
    r.use("date.mandated_to_conclude_on")
    year, month = r.later(1, 1)
    return f"The deployment is mandated to conclude on {r.day(year, month)}."


def date_further_years(r: Release, op: Op) -> str:
    r.use("date.continue_for_a_further_years_until")
    k = r.rng.randint(1, 3)
    years = "year" if k == 1 else f"{number_words(k)} years"
    return (f"New Zealand’s long-standing commitment to {r.op_name(op)} will continue for a further {years} until "
            f"{r.month_year(r.year + k, r.rng.randint(1, 12))}.")


def date_un_mandate(r: Release, op: Op) -> list[str]:
    r.use("date.un_resolution_mandate")
    return r.quote([f"On {r.rng.randint(1, 28)} {MONTHS[r.rng.randrange(12)]}, the United Nations Security Council "
                    f"unanimously passed UN Security Council Resolution {r.rng.randint(1000, 2700)} ({r.year}), "
                    f"extending the {op.acronym or 'mission'} mandate for one year to "
                    f"{MONTHS[r.rng.randrange(12)]} {r.year + 1}"])


def date_deploy_early(r: Release, op: Op) -> str:
    r.use("date.will_deploy_in_early_year")
    return (f"The work will last around six months and personnel will deploy in "
            f"{r.pick(['early', 'late', 'mid'])}-{r.year + 1}.".replace("early-", "early ").replace("late-", "late "))


def money_each(r: Release, place: str) -> str:
    r.use("money.providing_to_and_each_to")
    names = r.orgs(4)
    return (f"To help meet these needs, New Zealand is providing {r.money(1_000_000)} to {names[0]}, and "
            f"{r.money(500_000)} each to {names[1]}, {names[2]} and {names[3]}.")


def money_further_sums(r: Release, place: str) -> str:
    r.use("money.further_sums_to_both")
    names = r.orgs(2)
    return (f"Further sums of {r.money(300_000)} will go to both {names[0]} and to {names[1]}, and "
            f"{r.money(200_000)} will be given to selected Non Government Organisations operating within "
            f"{r.where(place)}.")


def money_through(r: Release, place: str) -> str:
    r.use("money.provided_through_and_to")
    names = r.orgs(2)
    who = r.mr(r.minister()[0]) if r.ministers else "The Minister"
    return (f"{who} said {r.money(r.amount())} will be provided through {names[0]} and {r.money(r.amount())} to "
            f"{names[1]}.")


def money_of_new(r: Release, place: str) -> str:
    r.use("money.of_the_new_funding")
    names = r.orgs(2)
    return (f"Of the new funding, {r.money(r.amount())} will go to {names[0]} and {r.money(r.amount())} to "
            f"{names[1]}, for life-saving food, nutrition, protection and healthcare assistance in {r.where(place)}.")


def money_split(r: Release, place: str) -> str:
    r.use("money.split_evenly_between")
    names = r.orgs(2)
    return f"This new package of funding will be split evenly between {names[0]} and {names[1]}."


def money_nz_dollars(r: Release, place: str) -> str:
    r.use("money.nz_dollars_with_conversion")
    nz = r.pick([2.5, 5, 3, 1.5, 4])
    return (f"New Zealand’s latest humanitarian funding includes a further {nz:g} million NZ dollars "
            f"({nz * 0.6:.1f} million U.S. dollars) contribution to {r.orgs(1)[0]}'s response in {r.where(place)}.")


def money_cumulative(r: Release, place: str) -> str:
    r.use("money.cumulative_total")
    amount = r.money(r.pick([12, 17, 33, 39, 130]) * 1_000_000)
    if r.chance(0.5):
        return f"New Zealand had spent {amount} on peacekeeping and development in {r.where(place)}."
    return (f"This brings New Zealand's total contribution to the humanitarian response in {r.where(place)} to "
            f"{amount} since {MONTHS[r.rng.randrange(12)]} last year.")


def money_estimated_costs(r: Release, op: Op) -> str:
    r.use("money.estimated_costs_are")
    kind = r.pick(["engineer", "extended", "additional", "training"])
    return f"The estimated costs of the {kind} deployment are NZ${r.amount('precise') / 1e6:.3f} million."


def money_cost_estimated(r: Release, op: Op) -> str:
    r.use("money.will_cost_an_estimated")
    return (f"The extension of the deployment of the {r.pick(['military liaison officer', 'staff officers', 'team'])} "
            f"for one year will cost an estimated {r.money(r.amount('cost'))}.")


def money_over_years(r: Release, op: Op) -> str:
    r.use("money.up_to_over_the_next_years")
    return (f"The new non-military contribution includes up to NZ${r.rng.randint(2, 9)} million over the next three "
            f"years. It will support the stabilisation programme of {r.op_name(op)}.")


def money_defence_spending(r: Release, op: Op) -> str:
    r.use("money.further_defence_spending_for")
    return (f"Today's decisions would involve further defence spending of ${r.amount('precise') / 1e6:.2f} million "
            f"for the {op.acronym or 'mission'} and ${r.amount('precise') / 1e6:.2f} million to cover "
            f"{r.pick(COSTS)}.")


def money_trust_fund(r: Release, place: str) -> str:
    r.use("money.via_the_fund")
    return (f"We are also contributing a further {r.money(r.amount())} via the NATO Trust Fund for priority "
            f"non-lethal military supplies.")


def foreign_trained(r: Release, op: Op) -> str:
    r.use("foreign.n_local_personnel_trained")
    trainees = {"Iraq": "ISF personnel", "Camp Taji": "ISF personnel", "Afghanistan": "Afghan National Army soldiers",
                "United Kingdom": "AFU recruits"}.get(op.places[0], "local security force personnel")
    at = "in" if r.v.place_class.get(op.places[0]) == "Country" else "at"
    return (f"Over {r.rng.randint(5, 48)},{r.rng.randint(100, 999)} {trainees} have been trained "
            f"{at} {r.where(op.places[0])} since the inception of the {op.acronym or 'training'} mission.")


def foreign_officers_countries(r: Release, op: Op) -> str:
    r.use("foreign.officers_from_countries")
    return (f"The {r.rng.randint(20, 60)} officers from {r.rng.randint(10, 30)} countries provided military advice to "
            f"the {op.acronym or 'mission'} executive and other international organisations operating in "
            f"{r.where(op.places[0])}.")


def foreign_observers(r: Release, op: Op) -> str:
    r.use("foreign.observers_from_contributing_countries")
    return (f"The {op.acronym or 'mission'} currently comprises {r.rng.randint(100, 400)} unarmed military observers "
            f"provided by {r.rng.randint(12, 30)} troop contributing countries.")


def foreign_served_with(r: Release, op: Op) -> str:
    r.use("foreign.personnel_from_several_countries")
    return (f"Over {r.pick([1500, 2000, 2500, 6000])} police, military and civilian personnel from New Zealand, "
            f"Australia, Fiji, Tonga and Papua New Guinea have served with {r.op_name(op)}.")


def foreign_regional_force(r: Release, op: Op) -> str:
    r.use("foreign.regional_force_staffed_from")
    return (f"They will be part of a regional force comprising up to {r.pick([1500, 2000, 2500])} soldiers and "
            f"{r.pick([150, 250, 300])} police, staffed mainly from Australia, but also Papua New Guinea, Fiji and "
            f"Samoa.")


def foreign_adf(r: Release, op: Op) -> str:
    r.use("foreign.adf_reduced_numbers")
    return (f"Earlier this year, the Australian Defence Force (ADF) reduced its personnel numbers in the "
            f"{op.acronym or 'force'} to around {r.pick([300, 400, 450, 600])}.")


def foreign_flee(r: Release, place: str) -> str:
    r.use("foreign.people_displaced")
    return (f"Relief agencies predict that up to {r.rng.randint(11, 29) / 10:g} million people may try to flee "
            f"{r.where(place)}, and that many of those people will require urgent help. Another "
            f"{number_words(r.rng.randint(2, 4))} million are expected to leave their homes.")


def foreign_coalition(r: Release, op: Op) -> list[str]:
    r.use("foreign.n_nation_coalition")
    return r.quote([f"Aotearoa New Zealand has been a proud member of the {r.rng.randint(20, 90)}-nation Coalition, "
                    f"which has been successful in degrading the capability of its adversaries"])


def hist_strong_company(r: Release, op: Op) -> list[str]:
    r.use("hist.n_strong_company_at_its_peak")
    old = r.pick(r.v.historic_ops + r.v.ops)
    years = r.rng.randint(10, 30)
    return r.quote([f"The withdrawal brings to a close a {years}-year commitment to peace and stability in the "
                    f"region, which at its peak included a {r.pick([150, 250, 800])}-strong infantry company with "
                    f"{old.acronym or r.op_name(old)}"])


def chrome_header(r: Release) -> list[str]:
    form = r.rng.randrange(6)
    r.use(f"chrome.header_{form}")
    day = r.date
    if form == 0:
        return ["New Zealand Defence Force\n\nTe Ope Kaatua O Aotearoa", "Media Release",
                f"{WEEKDAYS[day.weekday()]} {MONTHS[day.month - 1]} {day.day}, {day.year}"]
    if form == 1:
        return [f"{r.dateline()} Media Statement"]
    if form == 2:
        return [f"Xinhua, {MONTHS[day.month - 1]} {day.day}, {day.year}"]
    if form == 3:
        return [f"(Source: New Zealand Defence Force; issued {MONTHS[day.month - 1][:3]} {day.day}, {day.year})"]
    if form == 4:
        return [f"By {r.pick(FIRST_NAMES).upper()} {r.pick(LAST_NAMES).upper()}"]
    return [f"{r.rng.randint(1, 11)}:{r.rng.randint(10, 59)} pm on {day.day} {MONTHS[day.month - 1]} {day.year}",
            "Photo: NZDF"]


def chrome_footer(r: Release) -> list[str]:
    form = r.rng.randrange(7)
    r.use(f"chrome.footer_{form}")
    if form == 0:
        return ["ENDS"]
    if form == 1:
        return [f"- {r.pick(NEWS)}"]
    if form == 2:
        return ["More information on NZDF’s overseas deployments can be found here "
                "https://www.nzdf.mil.nz/nzdf/deployments/"]
    if form == 3:
        return ["We use cookies and other tracking technologies to improve your browsing experience on our website, "
                "to analyze our website traffic, and to understand where our visitors are coming from.", "Accept",
                "195 Lambton Quay, Private Bag 18 901, Wellington 6160, New Zealand",
                "Phone [+64 4 439 8000](tel:006444398000) *[tel:006444398000]*"]
    if form == 4:
        return ["READ MORE\n- Afghan de-mining organisation says firing ranges still not cleared\n- Taliban recruiting "
                "boy soldiers, report says\n- Pacific leaders meet on regional security"]
    if form == 5:
        return ["Share", "Print"]
    return ["Ends"]


# ---- releases ------------------------------------------------------------------------------------------------

PERSONNEL_SHAPES = [pers_liaison, pers_deployment_extended, pers_currently_has, pers_deploys_split, pers_comprise,
                    pers_strong, pers_one_officer_till, pers_renewed, pers_from_to, pers_further_person,
                    pers_deputy, pers_boat_crew, pers_standby, pers_police_military]
DATE_SHAPES = [date_now_extended, date_mandate_through, date_mandated_conclude, date_further_years, date_deploy_early]
OP_MONEY_SHAPES = [money_estimated_costs, money_cost_estimated, money_over_years, money_defence_spending]
FOREIGN_SHAPES = [foreign_trained, foreign_officers_countries, foreign_observers, foreign_served_with,
                  foreign_regional_force, foreign_adf]


def extend(blocks: list[str], part: str | list[str]) -> None:
    if isinstance(part, list):
        blocks += part
    else:
        blocks.append(part)


def deployment(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(r.rng.randint(1, 2))
    r.choose_ministers(["defence"] + (["foreign-affairs"] if r.chance(0.5) else []))
    op = ops[0]
    lead = r.pick([lead_deploy_up_to, lead_contribute, lead_cabinet, lead_being_deployed, lead_sending_navy,
                   lead_help_with])
    blocks = [lead(r, op)]
    extend(blocks, r.quote([r.fluff(), r.fluff()], split=r.chance(0.5)))
    for shape in r.rng.sample(PERSONNEL_SHAPES, r.rng.randint(1, 3)):
        extend(blocks, shape(r, r.pick(ops)))
    if r.chance(0.35):
        extend(blocks, pers_partitive(r, op))
    if r.chance(0.4):
        extend(blocks, r.pick(OP_MONEY_SHAPES)(r, op))
    if r.chance(0.4):
        extend(blocks, r.pick(FOREIGN_SHAPES)(r, op))
    if r.chance(0.3):
        extend(blocks, pers_since(r, op))
    if r.chance(0.3):
        extend(blocks, r.pick(DATE_SHAPES)(r, op))
    extend(blocks, r.quote([r.fluff()], i=1))
    title = r.pick([f"NZDF personnel to deploy to {cap(r.where(op.places[0]))}",
                    f"Defence increases {op.acronym or 'UN'} commitment",
                    f"New Zealand to send personnel to {cap(r.where(op.places[0]))}",
                    f"Kiwi troops for {op.acronym or cap(r.where(op.places[0]))}"])
    return title, blocks


def extension(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(r.rng.randint(1, 2))
    r.choose_ministers([r.pick(["defence", "defence", "prime-minister"])] + (["foreign-affairs"] if r.chance(0.4)
                                                                            else []))
    op = ops[0]
    blocks = [r.pick([lead_further_year, lead_presence_until])(r, op)]
    if r.chance(0.4):
        extend(blocks, date_un_mandate(r, op))
    extend(blocks, r.pick([pers_liaison, pers_currently_has, pers_renewed, pers_strong, pers_deploys_split])(r, op))
    extend(blocks, r.quote([r.fluff(), r.fluff()], split=True))
    if r.chance(0.5):
        extend(blocks, pers_deployment_extended(r, r.pick(ops)))
    if r.chance(0.4):
        extend(blocks, date_mandate_roles(r, r.pick(ops)))
    if r.chance(0.5):
        extend(blocks, r.pick([money_cost_estimated, money_estimated_costs, money_defence_spending])(r, op))
    if r.chance(0.3):
        extend(blocks, pers_since(r, op))
    if r.chance(0.3):
        extend(blocks, r.pick(FOREIGN_SHAPES)(r, op))
    title = r.pick([f"NZ extends role in {op.acronym or 'UN'} mission",
                    f"{cap(r.where(op.places[0]))} deployment extended",
                    f"New Zealand extends deployment to {cap(r.where(op.places[0]))}",
                    f"NZ forces to stay longer in {cap(r.where(op.places[0]))}"])
    return title, blocks


def conclusion(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(1)
    r.choose_ministers(["defence", "foreign-affairs"])
    op = ops[0]
    place = r.where(op.places[0])
    blocks = [lead_drawn_to_close(r, op)]
    extend(blocks, hist_strong_company(r, op) if r.chance(0.5) else r.quote([r.fluff()]))
    if r.chance(0.6):
        extend(blocks, pers_returning(r, op))
    extend(blocks, pers_last_of(r, op) if r.chance(0.5) else pers_currently_has(r, op))
    if r.chance(0.5):
        extend(blocks, foreign_officers_countries(r, op))
    if r.chance(0.5):
        extend(blocks, pers_since(r, op))
    if r.chance(0.4):
        extend(blocks, date_mandate_roles(r, op))
    if r.v.place_class.get(op.places[0]) == "Country" and r.chance(0.5):
        blocks.append(f"The {op.places[0]} Government has invited all participating members to attend the farewell "
                      f"event.")
    blocks.append(f"New Zealand troops are currently serving on peacekeeping operations, UN missions and defence "
                  f"exercises around the world, in places such as {', '.join(r.rng.sample(r.v.op_places, 4))}.")
    title = r.pick([f"NZ Defence contribution to {cap(place)} ends",
                    f"Defence Force Task In {cap(place)} Ends",
                    f"New Zealand defence personnel conclude mission at {cap(place)}"])
    return title, blocks


def funding(r: Release) -> tuple[str, list[str]]:
    place = r.pick(r.v.aid_places if r.chance(0.75) else r.v.countries)
    r.focus_place = place
    r.choose_ministers(["foreign-affairs"] + (["official-development-assistance"] if r.chance(0.3) else []))
    blocks = [lead_funding(r, place)]
    extend(blocks, r.quote([r.fluff()]))
    if r.chance(0.4):
        extend(blocks, foreign_flee(r, place))
    shapes = [money_each, money_further_sums, money_through, money_of_new, money_split, money_nz_dollars]
    for shape in r.rng.sample(shapes, r.rng.randint(1, 3)):
        extend(blocks, shape(r, place))
    if r.chance(0.4):
        extend(blocks, money_cumulative(r, place))
    if r.chance(0.2):
        extend(blocks, money_trust_fund(r, place))
    extend(blocks, r.quote([r.fluff(), r.fluff()], split=True))
    title = r.pick([f"${r.rng.randint(1, 9)}.{r.rng.randint(1, 9)} million to assist humanitarian relief in "
                    f"{cap(r.where(place))}",
                    f"Further NZ assistance for {cap(r.where(place))} humanitarian crisis",
                    f"New Zealand Provides Further Humanitarian Support To {cap(r.where(place))}"])
    return title, blocks


def omnibus(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(3, invented=0.08)
    r.choose_ministers(["defence", "foreign-affairs"])
    region = r.region()
    region = "overseas" if region == "the region" else "to " + region
    blocks = [f"The Government has approved extensions for {number_words(len(ops) + 1)} New Zealand Defence Force "
              f"(NZDF) deployments {region}.", r.dateline(), pers_person_list(r, ops), date_now_extended(r, ops[0]),
              date_further_years(r, r.pick(r.v.ops))]
    extend(blocks, r.quote([r.fluff(), r.fluff()]))
    if r.chance(0.5):
        extend(blocks, pers_bullets(r, ops[0]))
    if r.chance(0.5):
        extend(blocks, date_mandated_conclude(r, ops[1]))
    title = f"{cap(region.removeprefix('to ').removeprefix('the '))} deployments extended for NZDF"
    return title, blocks


def rotation(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(1)
    op = ops[0]
    blocks = [lead_depart(r, op)]
    blocks.append(f"The contingent will be farewelled by {r.officer()}, Commander Joint Forces New Zealand.")
    extend(blocks, pers_bullets(r, op) if r.chance(0.6) else [pers_strong(r, op)])
    if r.chance(0.5):
        blocks += ["BACKGROUND INFORMATION", foreign_served_with(r, op)]
    if r.chance(0.5):
        blocks.append(pers_boat_crew(r, op))
    extend(blocks, r.quote([r.fluff()]))
    title = r.pick([f"Kiwi Soldiers To Serve In {cap(r.where(op.places[0]))}",
                    f"NZDF contingent departs for {cap(r.where(op.places[0]))}"])
    return title, blocks


def police(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(1)
    r.choose_ministers(["police"] + (["foreign-affairs"] if r.chance(0.5) else []))
    op = ops[0]
    place = r.where(op.places[0])
    r.use("lead.police_contingent")
    blocks = [f"A small contingent of New Zealand police officers will be sent to {place} to support {r.op_name(op)}, "
              f"{r.announcers()} announced today.",
              f"New Zealand will provide funding for up to {r.count(r.size('small'))} New Zealand police officers and "
              f"an administrator to travel to {place}. The officers will work on a six to 12 month rotation."]
    extend(blocks, pers_police_military(r, op) if r.chance(0.5) else pers_standby(r, op))
    extend(blocks, r.quote([r.fluff(), r.fluff()], split=True))
    if r.chance(0.5):
        extend(blocks, foreign_regional_force(r, op))
    title = f"New Zealand police bound for {cap(place)}"
    return title, blocks


def coalition(r: Release) -> tuple[str, list[str]]:
    ops = r.choose_ops(2)
    r.choose_ministers(["foreign-affairs", "defence"])
    op = ops[0]
    end_year = r.year + 1
    r.use("pers.bullet_summary_lines")
    blocks = [f"- Military contribution to {op.acronym or 'the Coalition'} to end in {MONTHS[r.rng.randrange(12)]} "
              f"{end_year}\n- {r.money(r.amount())} to support stabilisation work in {r.where(op.places[0])}",
              f"New Zealand’s contribution to {r.op_name(op)} will refocus, the Government has announced."]
    extend(blocks, foreign_coalition(r, op))
    extend(blocks, money_over_years(r, op))
    extend(blocks, date_mandate_roles(r, op))
    extend(blocks, r.pick(PERSONNEL_SHAPES)(r, ops[1]))
    if r.chance(0.5):
        extend(blocks, foreign_trained(r, op))
    title = f"Next phase in Aotearoa NZ contribution to {op.acronym or 'the Coalition'}"
    return title, blocks


def background(r: Release) -> tuple[str, list[str]]:
    r.choose_ops(2)
    r.use("lead.background_page")
    blocks = ["NEW ZEALAND\nFOREIGN AFFAIRS & TRADE\nManatū Aorere", "Peace support operations"]
    for sentence in r.rng.sample(BACKGROUND, 4):
        blocks.append(sentence.format(region=r.region()))
    blocks.append("Current operations")
    r.use("pers.deployed_on_n_operations")
    blocks.append(f"The personnel remaining are deployed on {r.rng.randint(6, 14)} operations and UN missions across "
                  f"{r.rng.randint(8, 15)} countries – including {', '.join(r.rng.sample(r.v.aid_places, 3))}.")
    if r.chance(0.6):
        extend(blocks, pers_liaison(r, r.ops[0]))
    blocks.append("[Read more about our past contributions to UN peacekeeping](#) "
                  "[/en/peace-rights-and-security/our-work-with-the-un/]")
    return r.pick(["Peace support operations", "Our work with the UN", "Current deployments"]), blocks


SCENARIOS = [(deployment, 22), (extension, 22), (conclusion, 10), (funding, 18), (omnibus, 9), (rotation, 8),
             (police, 4), (coalition, 5), (background, 2)]
SCENARIO_FUNCS = [f for f, w in SCENARIOS for _ in range(w)]


def front_matter(r: Release, title: str, kind: str) -> str:
    slug = slugify(title)
    site = r.rng.randrange(4)
    if site == 0:
        url = f"https://www.beehive.govt.nz/release/{slug}"
    elif site == 1:
        url = (f"http://www.scoop.co.nz/stories/PA{r.year % 100:02d}{r.date.month:02d}/"
               f"S{r.rng.randint(1, 999):05d}/{slug}.htm")
    elif site == 2:
        url = f"https://www.nzdf.mil.nz/media-centre/news/{slug}/"
    else:
        url = f"https://www.rnz.co.nz/news/political/{r.rng.randint(100000, 999999)}/{slug}"
    if kind == "url":
        return f"---\nurl: {url}\n---\n\n"
    lines = ["---", f'title: "{title}"']
    if kind != "title-url":
        lines.append(f"date: {r.date.isoformat()}")
    lines.append(f"url: {url}")
    if kind == "full" and r.ministers:
        lines.append("ministers:")
        for m, role, _ in r.ministers:
            senior = role in ("prime-minister", "deputy-prime-minister")
            prefix = "Rt Hon " if senior else r.pick(["Hon ", "Hon ", ""])
            lines.append(f"  - {prefix}{m.name}")
        lines.append("portfolios:")
        for _, role, _ in r.ministers:
            names = r.v.portfolio_labels[role]
            lines.append(f"  - {names[1] if len(names) > 1 and r.chance(0.3) else names[0]}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def write_release(vocab: Vocab, seed: int, index: int, stats: Counter, width: int = 7) -> tuple[str, str]:
    """File name and text of release `index` (1-based) of the corpus for `seed`."""
    r = Release(vocab, Random(f"{seed}/{index}"), stats)
    scenario = r.pick(SCENARIO_FUNCS)
    stats[f"scenario.{scenario.__name__}"] += 1
    title, blocks = scenario(r)
    if scenario is not background:
        for sentence in r.context(r.rng.randint(1, 4)):
            spots = [i for i in range(1, len(blocks) + 1) if not blocks[i - 1].endswith(":")]
            blocks.insert(r.pick(spots), sentence)
        if r.chance(0.5):
            blocks += r.quote([r.fluff(), r.fluff()], i=len(r.ministers) - 1, split=r.chance(0.5))
    if r.chance(0.35):
        blocks = chrome_header(r) + blocks
    if r.chance(0.45):
        blocks += chrome_footer(r)
    if scenario is background:
        blocks += chrome_footer(r)
    layout = r.rng.random()
    kind = ("none" if scenario is background or layout < 0.09 else "url" if layout < 0.17 else
            "title-date-url" if layout < 0.29 else "title-url" if layout < 0.33 else "full")
    stats[f"front_matter.{kind}"] += 1
    separator = "\n" if r.chance(0.12) else "\n\n"
    if separator == "\n":
        stats["layout.single_newlines"] += 1
    body = separator.join(blocks)
    if r.chance(0.03):
        stats["layout.hard_wrapped"] += 1
        body = re.sub(r"(.{50,70}?) ", r"\1\n", body)
    if r.chance(0.06) and kind != "none":
        stats["layout.dateline"] += 1
        body = f"WELLINGTON, {MONTHS[r.date.month - 1][:3]} {r.date.day} ({r.pick(NEWS)}) – " + body
    text = f"{title}\n\n{body}\n" if kind == "none" else front_matter(r, title, kind) + body + "\n"
    if r.chance(0.02):
        stats["layout.truncated"] += 1
        cut = r.rng.randint(len(text) * 2 // 3, len(text) - 10)
        while cut < len(text) - 10 and text[cut] in ".\n ":
            cut += 1
        text = text[:cut]
    return f"s{index:0{width}d}_{slugify(title, 6)}.md", text


def generate(releases: int, seed: int, out: Path, stats: Counter | None = None) -> Counter:
    stats = Counter() if stats is None else stats
    vocab = load_vocab()
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("s[0-9]*_*.md"):  # an earlier run's releases would join this corpus
        stale.unlink()
    width = max(7, len(str(releases)))
    for index in range(1, releases + 1):
        name, text = write_release(vocab, seed, index, stats, width)
        (out / name).write_bytes(text.encode("utf-8"))
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, required=True, help="how many release files to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into (created)")
    parser.add_argument("--stats", action="store_true", help="print how often each shape was used")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = generate(args.releases, args.seed, args.out)
    took = time.perf_counter() - started
    size = sum(p.stat().st_size for p in args.out.glob("s*.md"))
    print(f"{args.releases} releases in {took:.1f}s ({args.releases / took:,.0f}/s), {size / 1e6:.1f} MB, "
          f"{size / max(args.releases, 1) / 1000:.1f} KB each on average", file=sys.stderr)
    if args.stats:
        for shape, n in sorted(stats.items()):
            print(f"{n:8d}  {shape}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
