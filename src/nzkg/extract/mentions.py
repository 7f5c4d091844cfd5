"""Stage 2a: the operations, organisations and places a release names, and the ministers it quotes.

Two sources of names, both read from the vocabulary's Turtle:
- the gazetteer: every label and altLabel, matched by spaCy's PhraseMatcher (acronyms case-sensitively);
- general patterns for names the vocabulary lacks: "Full Name (ACRONYM)", "Operation X", and capitalised
  names whose closing words are a known head ("… Monitoring Group" is an operation, "… Police Force" an
  organisation, "… Air Base" a facility).
Overlaps go to the longest name, so "Syria" inside "Islamic State of Iraq and Syria" is not a place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from nzkg.facts import Mention, Thing
from nzkg.release import Block, Release
from nzkg.terms import DEFAULT_BASE, NZO
from nzkg.vocab import HOME_COUNTRY, Vocabulary, is_acronym

PRIORITY = {"operation": 3, "organisation": 2, "place": 1}
CONNECTORS = {"of", "for", "in", "to", "the", "and", "on", "&", "-", "–", "de", "du", "des"}
LEADING = {"The", "A", "An", "This", "That", "These", "Those", "Our", "Its", "Their", "His", "Her", "In", "At",
           "On", "For", "To", "From", "With", "By", "As", "And", "But", "Since", "After", "Before", "During",
           "Under", "While", "Following", "Alongside", "Both", "All", "Each", "Some", "Any", "If", "When",
           "Although", "Including", "Between", "Across", "Through", "Within", "Over", "Today", "Earlier",
           "Later", "Further", "Yesterday", "Tomorrow", "Around", "About", "Mr", "Mrs", "Ms", "Dr", "Hon",
           "Another", "Other", "Several", "Many", "Most", "Every", "No", "Such", "Two", "Three", "Four"}
# A capitalised phrase starting with a title names a person's post ("Chief of Defence Force"), not a body.
TITLES = {"Chief", "Minister", "Commissioner", "Commander", "Director", "Secretary", "Head", "Deputy", "Vice",
          "Governor", "Ambassador", "Chair", "Chairman", "Chairperson", "President", "Prime", "Associate",
          "Spokesperson", "Spokesman", "Officer", "Adviser", "Advisor", "Coordinator", "Representative"}
# A single word after a title or before "said" is a person's name ("Mrs Shipley said"), even when a town
# somewhere bears it.
PERSON_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Hon", "Sir", "Dame", "President", "Minister", "Premier",
                 "Senator", "Captain", "Major", "General", "Colonel", "Lieutenant", "Commander", "Admiral",
                 "Sergeant", "Corporal", "Private", "Brigadier", "Marshal", "Commodore", "Professor", "Prof",
                 "King", "Queen", "Prince", "Princess", "Judge", "Justice", "Secretary", "Ambassador", "Mayor"}
# A single capitalised word before one of these, or before a speech verb, is a person ("the Bush administration").
PERSON_FOLLOWERS = {"administration"}
# "the UN Mission" refers to a mission; it does not name one.
GENERIC_QUALIFIERS = {"UN", "United", "Nations", "NATO", "EU", "New", "Zealand", "NZ", "the", "this", "that"}
# A country used as a modifier ("the United States naval facility") names no place of the release.
ATTRIBUTIVE = {"naval", "navy", "military", "army", "air", "defence", "defense", "government", "forces", "troops",
               "soldiers", "officials", "authorities", "embassy", "frigate", "warship", "ship", "aircraft",
               "facility", "contingent", "counterparts", "police", "personnel", "ministers", "minister", "nations",
               "countries", "neighbours", "partners", "states", "leaders", "governments", "peoples", "nation",
               "dollar", "dollars", "athletes", "detachment", "squadron", "crew", "aircrew"}
EVENT_WORDS = {"Games", "Cup", "Championships", "Festival", "Conference", "Expo", "Day", "Week"}
SHIP_PREFIX = re.compile(r"(?:\b(?:HMNZS|HMAS|HMS|USS|HMCS|HMNZ\s+[Ss]hips?|[Ss]hips?|[Ff]rigates?|vessels?)"
                         r"(?:\s+[A-Z][\w']+,?)*(?:\s+and)?)\s*$")
OPERATION_NOUNS = {"mission", "operation", "deployment", "force", "task", "taskforce", "coalition"}
HONORIFICS = re.compile(r"^(?:(?:Rt\.?|Right)\s+Hon(?:ourable)?\.?|Hon(?:ourable)?\.?|Dr\.?|Sir|Dame|Mr\.?|Mrs\.?"
                        r"|Ms\.?|Miss|Prof\.?|Professor)\s+", re.I)
POST_NOMINALS = re.compile(r"(?:,?\s+(?:KC|QC|MP|ONZM|CNZM|KNZM|DNZM|GNZM|MNZM|ONZ|QSO|JP|KStJ|GCMG|KCMG))+$")
NAME_WORD = r"[A-ZĀĒĪŌŪ][\w'’-]+"
PLACE_HEADS = {NZO + "Region", NZO + "Facility"}
HYPHENS = {"-", "–"}
COMPOUND_ADJECTIVES = {"led", "based", "born", "flagged", "registered", "owned", "backed", "administered", "run",
                       "managed", "funded", "sponsored", "hosted", "supported", "commanded", "chaired"}
AIRCRAFT = re.compile(r"^[A-Z]{1,3}-?\d[\w-]*$")
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}
NAMED_HEAD_FIRST = {"Operation": NZO + "Operation", "OPERATION": NZO + "Operation", "Camp": NZO + "Facility"}
UNITED_NATIONS = DEFAULT_BASE + "organisation/united-nations"
DESCRIBED_MISSION = re.compile(
    r"(?P<mission>\b(?:United Nations|UN)\s+(?:(?:peacekeeping|peace-keeping|observer|monitoring|assistance"
    r"|political)\s+)?(?:mission|operation))(?P<rest>\s+(?:in|to|for)\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}))")
MISSION_IN = re.compile(r" Mission (?:in|for|to) ")  # "United Nations Observer Mission in Narnia"


@dataclass(frozen=True)
class Candidate:
    start: int  # token offsets in the block's doc
    end: int
    things: tuple[Thing, ...]  # more than one when an acronym is ambiguous
    fallback: Thing | None = None  # what to name when the ambiguity stays
    defined: bool = False  # the name of a "Name (ACRONYM)", which the acronym may make more precise

    @property
    def rank(self) -> tuple[int, int, bool, int]:
        return (self.end - self.start, max(PRIORITY[t.kind] for t in self.things), self.defined, -self.start)


def find_mentions(release: Release, vocab: Vocabulary) -> list[Mention]:
    """Every operation, organisation and place the release names, in text order (New Zealand excepted)."""
    blocks = [block for block in release.blocks if not block.boilerplate]
    local_acronyms: dict[str, Thing] = {}
    for block in blocks:
        definitions(block, vocab, local_acronyms)
    chosen: list[tuple[int, Doc, Candidate]] = []
    for block in blocks:
        candidates = gazetteer(block.doc, vocab)
        candidates += described_missions(block, vocab, release.date)
        candidates += definitions(block, vocab, {})
        candidates += acronym_uses(block, local_acronyms)
        candidates += operation_names(block, vocab)
        candidates += headed_names(block.doc, vocab)
        candidates += coordinated_places(block, vocab)
        for candidate in non_overlapping(candidates):
            if keep(candidate, block, vocab):
                chosen.append((block.start, block.doc, candidate))
    mentions = []
    context = {t.iri for _, _, c in chosen for t in c.things if len(c.things) == 1}
    for offset, doc, candidate in chosen:
        span = doc[candidate.start:candidate.end]
        thing = resolve(candidate, span.text, local_acronyms, context, vocab)
        if thing is not None and thing.is_new:
            thing = shortened(thing, [m.thing for m in mentions], vocab) or located(thing, vocab) or thing
        start, end = offset + span.start_char, offset + span.end_char
        if thing is not None and thing.iri != HOME_COUNTRY:
            mentions.append(Mention(thing, start, end, span.text))
        place = governed_place(normalise_space(span.text), vocab) if thing and thing.kind != "place" else None
        if place is not None and place.iri != HOME_COUNTRY:
            mentions.append(Mention(place, start, end, span.text))
    return sorted(mentions + without_operation(mentions, blocks), key=lambda m: (m.start, m.end))


def without_operation(mentions: list[Mention], blocks: list[Block]) -> list[Mention]:
    """'The Interflex extension' after 'Operation Interflex': once named in full, an operation goes by its
    own name without the word 'Operation'."""
    found: list[Mention] = []
    for first in (m for m in mentions if m.thing.kind == "operation"):
        named = OPERATION_WORD.match(first.text)
        if named is None:
            continue
        bare = re.compile(rf"(?<![\w-])(?<!Operation )(?<!Op )(?<!Op\. ){re.escape(named.group('name'))}(?![\w-])")
        for block in blocks:
            for match in bare.finditer(block.text):
                start, end = block.start + match.start(), block.start + match.end()
                if start > first.start and not any(m.start < end and start < m.end for m in mentions + found):
                    found.append(Mention(first.thing, start, end, match.group()))
    return found


OPERATION_WORD = re.compile(r"(?:Operation|Op\.?)\s+(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)$")


def shortened(thing: Thing, earlier: list[Thing], vocab: Vocabulary) -> Thing | None:
    """'the Combined Task Force' after 'Combined Task Force 635': a new name that begins a name the release
    gave before, for a thing of the same kind, is that thing."""
    name = normalise_space(thing.label).lower() + " "
    for known in reversed(earlier):
        names = vocab.entities[known.iri].names if known.iri in vocab.entities else (known.label, *known.alt_labels)
        if known.kind == thing.kind and any(n.lower().startswith(name) for n in names):
            return known
    return None


def located(thing: Thing, vocab: Vocabulary) -> Thing | None:
    """'Resolute Support Mission in Kabul': a known name followed by where it is, is that thing."""
    named = re.fullmatch(r"(?P<name>.+?)\s+in\s+(?P<place>.+)", normalise_space(thing.label))
    if named is None or not any(vocab.entities[i].kind == "place" for i in vocab.by_name(named.group("place"))):
        return None
    known = [i for i in vocab.by_name(named.group("name")) if vocab.entities[i].kind == thing.kind]
    return thing_of(known[0], vocab) if len(known) == 1 else None


def thing_of(iri: str, vocab: Vocabulary) -> Thing:
    entity = vocab.entities[iri]
    return Thing(kind=entity.kind, label=entity.label, iri=iri)


def preferred(iris: set[str], vocab: Vocabulary) -> tuple[Thing, ...]:
    """Of several entities sharing a name, the most specific kind wins (an operation over a place), and a
    curated place over a gazetteer city; what is still tied stays ambiguous."""
    entities = [vocab.entities[i] for i in iris if vocab.entities[i].kind in PRIORITY]
    if not entities:
        return ()
    best = max(PRIORITY[e.kind] for e in entities)
    entities = [e for e in entities if PRIORITY[e.kind] == best]
    if any(not e.is_city for e in entities):
        entities = [e for e in entities if not e.is_city]
    return tuple(thing_of(e.iri, vocab) for e in sorted(entities, key=lambda e: e.iri))


def gazetteer(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    found = []
    strings = doc.vocab.strings
    for match_id, start, end in vocab.matcher(doc):
        key = strings[match_id]
        span = doc[start:end]
        if key.startswith("a:"):
            if re.sub(r"[\s-]", "", span.text) != re.sub(r"[\s-]", "", key[2:]):  # "CTF- 151" is "CTF 151"
                continue
        elif not (span.text[0].isupper() or span.text[0].isdigit()):
            continue
        things = preferred(vocab.lookup(key), vocab)
        if things:
            found.append(Candidate(start, end, things))
    return found


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tokens_at(block: Block, pattern: str) -> list[Token]:
    """The tokens where a pattern's matches start: a regular expression over the text finds the few places
    worth a closer look far faster than visiting every token."""
    spans = (block.doc.char_span(m.start(), m.end(), alignment_mode="expand") for m in re.finditer(pattern, block.text))
    return [span[0] for span in spans if span is not None and span.start_char == span[0].idx]


def definitions(block: Block, vocab: Vocabulary, local: dict[str, Thing]) -> list[Candidate]:
    """"Full Name (ACRONYM)": the release defines an acronym. A known acronym or name resolves to the
    vocabulary; an unknown one becomes a new thing if its head says what it is."""
    found, doc = [], block.doc
    for token in tokens_at(block, r"\("):
        if token.i == 0:
            continue
        close = next((t.i for t in doc[token.i + 1:token.i + 5] if t.text == ")"), None)
        if close is None:
            continue
        acronym = normalise_space(doc[token.i + 1:close].text)
        if not is_acronym(acronym):
            continue
        name_start = name_chunk_start(doc, token.i)
        if name_start is None:
            continue
        name_start = trim_to_initials(doc, name_start, token.i, acronym)
        name = normalise_space(doc[name_start:token.i].text)
        if initials(doc[name_start:token.i])[:1] != acronym[:1]:  # "mission in Iraq (UNAMI)": no long form
            known = preferred(vocab.by_name(acronym), vocab)
            if len(known) == 1:
                local[acronym] = known[0]
            continue
        after = doc[close + 1].lower_ if close + 1 < len(doc) else ""
        thing = acronym_thing(name, acronym, after, vocab)
        if thing is None:
            continue
        local[acronym] = thing
        found.append(Candidate(name_start, token.i, (thing,), defined=True))
        found.append(Candidate(token.i + 1, close, (thing,), defined=True))
    return found


def described_missions(block: Block, vocab: Vocabulary, day: dt.date | None) -> list[Candidate]:
    """"the United Nations peacekeeping mission in Sudan": the UN operation in that place (the one active on
    the release's date, if several), known by the words the release uses for it; a new one if none is."""
    found = []
    doc = block.doc
    for match in DESCRIBED_MISSION.finditer(block.text):
        span = doc.char_span(match.start("mission"), match.end("mission"))
        place = doc.char_span(match.start("place"), match.end("place"))
        if span is None or place is None:
            continue
        places = {i for i in vocab.by_name(place.text) if vocab.entities[i].kind == "place"}
        if not places:
            continue
        if re.match(r"\s*\(", block.text[match.end():]):
            continue  # "… mission in Iraq (UNAMI)": the acronym says which
        phrase = normalise_space(match.group("mission") + match.group("rest"))
        operations = [e for e in vocab.of_kind("operation") if UNITED_NATIONS in e.led_by and active(e, day)
                      and any(vocab.within(loc, p) or vocab.within(p, loc) for loc in e.locations for p in places
                              if loc not in vocab.regions_of_countries)]
        options = tuple(Thing("operation", e.label, e.iri, alt_labels=(phrase,)) for e in operations)
        fallback = new_thing(NZO + "Operation", phrase)
        found.append(Candidate(span.start, span.end, options or (fallback,), fallback))
    return found


def active(entity, day: dt.date | None) -> bool:
    """Whether an operation ran on a day, by the vocabulary's start and end (as precise as they are)."""
    start, end = entity.active
    if day is None:
        return True
    today = day.isoformat()
    return (start is None or start <= today[: len(start)]) and (end is None or end >= today[: len(end)])


def acronym_uses(block: Block, local: dict[str, Thing]) -> list[Candidate]:
    """Later uses of an acronym the release defined ("… Monitoring Group (KMMG) … KMMG patrols")."""
    found = []
    for acronym, thing in local.items():
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, acronym.split())) + r"(?!\w)"
        for match in re.finditer(pattern, block.text):
            if span := block.doc.char_span(match.start(), match.end()):
                found.append(Candidate(span.start, span.end, (thing,)))
    return found


def acronym_thing(name: str, acronym: str, after: str, vocab: Vocabulary) -> Thing | None:
    """What "Name (ACRONYM)" names: the thing the name is known for, unless the acronym says which of its
    successors it is ("United Nations Operation in Somalia (UNOSOM II)": UNOSOM's name, UNOSOM II's acronym)."""
    named = [t for t in preferred(vocab.by_name(name), vocab) if t.kind != "place"]
    known = preferred(vocab.by_name(acronym), vocab)
    if named and len(known) == 1 and known[0] != named[0] and named[0].iri and any(
            acronym.startswith(other + " ") for other in vocab.entities[named[0].iri].names if is_acronym(other)):
        return known[0]
    if named:
        return named[0]
    if len(known) == 1:
        return known[0]
    kind = kind_of_name(name, vocab)
    if kind is None and after in OPERATION_NOUNS:
        kind = NZO + "Operation"
    if kind is None or len(name.split()) < 2:
        return known[0] if known else None
    return new_thing(kind, name, (acronym,))


def new_thing(cls: str, label: str, alt_labels: tuple[str, ...] = ()) -> Thing:
    kind = {NZO + "Operation": "operation", NZO + "Organisation": "organisation"}.get(cls, "place")
    return Thing(kind=kind, label=label, cls=cls, alt_labels=alt_labels)


def kind_of_name(name: str, vocab: Vocabulary) -> str | None:
    """The class a name's head gives it (its last word, or the last before 'for' or 'of'); a force qualified
    by a nationality ("Iraqi Security Forces") is that nation's organisation whatever its head, while a
    country's name may well begin an operation's ("Solomon Islands Assistance Force")."""
    cls = vocab.head_of(name)
    if cls is None and MISSION_IN.search(name):
        cls = vocab.head_of(MISSION_IN.split(name)[0] + " Mission")
    if cls is None and (head_first := re.match(r"(.+?)\s+(?:for|of)\s+", name)):
        cls = vocab.head_of(head_first.group(1))  # "International Fund for Agricultural Development"
    if cls == NZO + "Operation" and name.split()[0] in vocab.demonyms:
        return NZO + "Organisation"
    return cls


def is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper() or (token.text[:1].isdigit() and token.i > 0 and token.nbor(-1).text[:1].isupper())


def name_chunk_start(doc: Doc, end: int) -> int | None:
    """Where the capitalised name ending just before token `end` starts, or None if there is none."""
    i = end - 1
    if i < 0 or not is_capitalised(doc[i]):
        return None
    start = i
    while i > 0:
        previous = doc[i - 1]
        if is_capitalised(previous) and not previous.is_space:
            i -= 1
            start = i
        elif previous.lower_ in CONNECTORS and i > 1 and is_capitalised(doc[i - 2]) and not previous.is_space:
            i -= 1
        else:
            break
    while start < end - 1 and doc[start].text in LEADING:
        start += 1
    return start


def initials(span: Span) -> str:
    out = []
    for token in span:
        if token.lower_ in CONNECTORS or not token.text[:1].isalnum():
            continue
        out.append(token.text if is_acronym(token.text) or token.text.isdigit() else token.text[0].upper())
    return "".join(out)


def trim_to_initials(doc: Doc, start: int, end: int, acronym: str) -> int:
    """The shortest tail of the name whose initials spell the acronym ("… the Truce Monitoring Group (TMG)"),
    else the whole name."""
    letters = re.sub(r"[^A-Z0-9]", "", acronym.upper())
    for i in range(end - 1, start - 1, -1):
        if doc[i].lower_ in CONNECTORS:
            continue
        if re.sub(r"[^A-Z0-9]", "", initials(doc[i:end]).upper()) == letters:
            return i
    return start


def operation_names(block: Block, vocab: Vocabulary) -> list[Candidate]:
    """'Operation Inherent Resolve', 'Operation BEL ISI II': NZ and coalition operation names; and
    'Camp Faouar', a base, named head first in the same way."""
    found, doc = [], block.doc
    for token in tokens_at(block, rf"\b(?:{'|'.join(NAMED_HEAD_FIRST)})\b"):
        if token.text not in NAMED_HEAD_FIRST or token.i + 1 >= len(doc):
            continue
        end = token.i + 1
        while end < len(doc) and not doc[end].is_space and (doc[end].text[:1].isupper() or doc[end].text.isdigit()):
            end += 1
        if end == token.i + 1:
            continue
        name = normalise_space(doc[token.i:end].text)
        if name.isupper():
            name = name.title()  # "OPERATION GYRO" is written so for emphasis; its name is Operation Gyro
        things = preferred(vocab.by_name(name), vocab) or (new_thing(NAMED_HEAD_FIRST[token.text], name),)
        found.append(Candidate(token.i, end, things))
    return found


def headed_names(doc: Doc, vocab: Vocabulary) -> list[Candidate]:
    """Capitalised names the vocabulary lacks, classified by their closing words."""
    found = []
    i = 0
    while i < len(doc):
        if not is_capitalised(doc[i]) or doc[i].is_space:
            i += 1
            continue
        end = i + 1
        while end < len(doc) and not doc[end].is_space and doc[end].text not in MONTHS:
            if is_capitalised(doc[end]) or hyphenated(doc, end):
                end += 1
            elif (doc[end].lower_ in CONNECTORS or possessive_inside_name(doc, i, end, vocab)) and end + 1 < len(doc) \
                    and is_capitalised(doc[end + 1]) and doc[end + 1].text not in MONTHS:
                end += 2
            else:
                break
        lower_head = end < len(doc) and doc[end].text.islower() and vocab.head_of(doc[end].text) in PLACE_HEADS
        if lower_head and not vocab.by_name(normalise_space(doc[i:end].text)):  # not "the RNZAF base"
            end += 1
        start = i
        while start < end - 1 and (doc[start].text in LEADING or doc[start].text[:1].isdigit()):
            start += 1
        start = listed_start(doc, start, end, vocab)
        found += [candidate for candidate in [headed_name(doc, start, name_end(doc, start, end, vocab), vocab)]
                  if candidate]
        i = end
    return found


def listed_start(doc: Doc, start: int, end: int, vocab: Vocabulary) -> int:
    """'Ukraine Relief, Recovery, Reconstruction and Reform Trust Fund': a name whose words before its head
    are a list runs back over the capitalised items before the commas, none of them a name of its own."""
    if not any(t.lower_ == "and" for t in doc[start:end]):
        return start
    while start >= 2 and doc[start - 1].text == "," and is_capitalised(doc[start - 2]):
        item_start = start - 2
        while item_start > 0 and is_capitalised(doc[item_start - 1]) and not doc[item_start - 1].is_space:
            item_start -= 1
        if vocab.by_name(normalise_space(doc[item_start:start - 1].text)) or doc[item_start].text in LEADING:
            break
        start = item_start
    return start


def hyphenated(doc: Doc, i: int) -> bool:
    """'De-mining' in "Accelerated De-mining Programme": a hyphen with no space around it, or the lower-case
    word right after one, continues a capitalised name."""
    if doc[i].text in HYPHENS:
        return not doc[i - 1].whitespace_ and not doc[i].whitespace_ and i + 1 < len(doc) and doc[i + 1].is_alpha \
            and doc[i + 1].lower_ not in COMPOUND_ADJECTIVES
    return i > 1 and doc[i - 1].text in HYPHENS and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_


def possessive_inside_name(doc: Doc, start: int, end: int, vocab: Vocabulary) -> bool:
    """"Cox's Bazar" is one name; in "Egypt's Sinai Peninsula" the known name ends at the possessive."""
    if doc[end].text not in ("'s", "’s"):
        return False
    return not any(vocab.by_name(normalise_space(doc[i:end].text)) for i in range(max(start, end - 4), end))


def name_end(doc: Doc, start: int, end: int, vocab: Vocabulary) -> int:
    """Where a name that runs into a place ends: "Coalition Joint Taskforce in Bagram" is the taskforce,
    but "Mission in South Sudan" is how United Nations missions are named, and "for" keeps a name going
    ("International Fund for Ukraine")."""
    if vocab.head(normalise_space(doc[start:end].text)):
        return end
    for connector in reversed(doc[start + 1:end]):
        if connector.lower_ not in CONNECTORS:
            continue
        found = vocab.head(normalise_space(doc[start:connector.i].text))
        mission_in = found and found[0].endswith("Mission") and connector.lower_ in ("in", "to")
        if found and connector.lower_ != "for" and not mission_in:
            return connector.i
    return end


def headed_name(doc: Doc, start: int, end: int, vocab: Vocabulary) -> Candidate | None:
    """The thing a capitalised chunk names by its head. Coordinated names ("Fiji Police Force and Royal
    Solomon Islands Police Force") are left to their parts: only the last conjunct keeps the head."""
    cls = kind_of_name(normalise_space(doc[start:end].text), vocab)
    if cls is None or doc[start].text in TITLES:
        return None
    for token in reversed(doc[start:end]):
        if token.lower_ == "and" and is_coordination(doc[start:token.i], doc[token.i + 1:end], cls, vocab):
            start = token.i + 1
            break
    if cls in PLACE_HEADS:  # "Contribution to Solomon Islands": a place's name holds no "to" or "of" before it
        start = max([start, *(t.i + 1 for t in doc[start:end] if t.lower_ in CONNECTORS - {"-", "–", "of"})])
    if any(t.kind != "place" for i in range(start + 1, end)
           for t in preferred(vocab.by_name(normalise_space(doc[i:end].text)), vocab)):
        return None  # "the Sinai Multinational Force and Observers": a known name with a qualifier before it
    name = normalise_space(doc[start:end].text)
    head, _ = vocab.head(name) or ("", None)
    qualifiers = name[: len(name) - len(head)].split()
    if not qualifiers or all(word in GENERIC_QUALIFIERS for word in qualifiers):
        return None
    things = headed_thing(name, cls, vocab)
    return Candidate(start, end, things) if things else None


def is_coordination(left: Span, right: Span, cls: str, vocab: Vocabulary) -> bool:
    """'A and B' where both are names; 'Multinational Force and Observers' is one name."""
    if cls in PLACE_HEADS:
        return True
    if len(right) < 2 or kind_of_name(normalise_space(right.text), vocab) is None:
        return False
    left_name = normalise_space(left.text)
    return bool(vocab.by_name(left_name)) or kind_of_name(left_name, vocab) is not None


def headed_thing(name: str, cls: str, vocab: Vocabulary) -> tuple[Thing, ...]:
    """The vocabulary's thing of that name, else a new one. A head that names a country ("Solomon Islands
    Government") stands for the country the rest of the name is, and for nothing if the rest is none."""
    if cls == NZO + "Country":
        place = governed_place(name, vocab)
        return (place,) if place else ()
    return preferred(vocab.by_name(name), vocab) or (new_thing(cls, name),)


def governed_place(name: str, vocab: Vocabulary) -> Thing | None:
    """The place a name such as "Solomon Islands Government" or "Iraqi Government" stands for: a release that
    names a government names its country."""
    head, cls = vocab.head(name) or ("", None)
    if cls != NZO + "Country":
        return None
    rest = name[: len(name) - len(head)].strip()
    iris = vocab.by_name(rest) or ({vocab.demonyms[rest]} if rest in vocab.demonyms else set())
    places = [t for t in preferred(iris, vocab) if t.kind == "place"]
    return places[0] if places else None


def coordinated_places(block: Block, vocab: Vocabulary) -> list[Candidate]:
    """'North and South Korea' names North Korea too."""
    found, doc = [], block.doc
    for token in tokens_at(block, r"\b(?:North|South|East|West)\s+and\s"):
        if token.i + 3 >= len(doc) or token.nbor(1).lower_ != "and":
            continue
        second, noun = token.nbor(2), token.nbor(3)
        if second.text in {"North", "South", "East", "West"}:
            things = preferred(vocab.by_name(f"{token.text} {noun.text}"), vocab)
            if things and things[0].kind == "place":
                found.append(Candidate(token.i, token.i + 1, things))
    return found


def non_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    taken: set[int] = set()
    chosen = []
    for candidate in sorted(candidates, key=lambda c: c.rank, reverse=True):
        tokens = set(range(candidate.start, candidate.end))
        if not tokens & taken:
            taken |= tokens
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def keep(candidate: Candidate, block: Block, vocab: Vocabulary) -> bool:
    """Drop a place name that is really part of something else: a ship ("HMAS Melbourne"), a person
    ("Helen Clark"), a modifier ("US-led", "the United States naval facility")."""
    if candidate.things[0].kind != "place":
        return True
    doc, text = block.doc, block.text
    span = doc[candidate.start:candidate.end]
    before = text[max(0, span.start_char - 60):span.start_char]
    if SHIP_PREFIX.search(before):
        return False
    following = doc[candidate.end] if candidate.end < len(doc) else None
    rest = text[span.end_char:span.end_char + 40]
    if re.match(rf"(?:/\w+)?[-–](?:{'|'.join(COMPOUND_ADJECTIVES)})\b", rest, re.I):
        return False  # "US-led", "US/UK-led"
    if in_compound_modifier(span, text):
        return False
    if previous_token(span) is not None and AIRCRAFT.match(previous_token(span).text):
        return False  # "P-3K2 Orion", "C-130 Hercules": aircraft
    if following is not None and following.lower_ in ATTRIBUTIVE and not following.text[:1].isupper():
        return False
    if following is not None and following.text in EVENT_WORDS:  # "the Pacific Games"
        return False
    if len(span) == 1 and span[0].i > 0:
        previous = doc[span[0].i - 1]
        if previous.text.rstrip(".") in PERSON_TITLES:
            return False
        if previous.text[:1].isupper() and not previous.is_sent_start and previous.text not in LEADING:
            return False
    return not (len(span) == 1 and following is not None and (
        following.lower_ in PERSON_FOLLOWERS or vocab.lexicon.pattern("speech-verbs").fullmatch(following.text)))


def in_compound_modifier(span: Span, text: str) -> bool:
    """"the Australia-New Zealand mission", "the Iran-Iraq war": places hyphenated into a word that
    qualifies the noun after it name no place of the release."""
    start, end = span.start_char, span.end_char
    joined_after = re.match(r"[-–][A-Z][\w]*(?:\s+[A-Z][\w]*)*\s+[a-z]", text[end:end + 60])
    # two characters before the name, not text[:start]: searching the whole prefix is quadratic in a block
    joined_before = re.search(r"\w[-–]$", text[max(0, start - 2):start]) and re.match(r"\s+[a-z]", text[end:end + 20])
    return bool(joined_after or joined_before)


def previous_token(span: Span) -> Token | None:
    return span.doc[span.start - 1] if span.start > 0 else None


def resolve(candidate: Candidate, text: str, local: dict[str, Thing], context: set[str],
            vocab: Vocabulary) -> Thing | None:
    """An acronym the release defined means what it defined; a name the vocabulary gives several meanings
    means the one the release also names unambiguously, else the one that fits the places it names, else
    the candidate's fallback (or nothing)."""
    if text in local:
        return local[text]
    if len(candidate.things) == 1:
        return candidate.things[0]
    named = [t for t in candidate.things if t.iri in context]
    if len(named) == 1:
        return named[0]
    fitting = [t for t in candidate.things if t.iri and fits(t.iri, context, vocab)]
    return fitting[0] if len(fitting) == 1 else candidate.fallback


def fits(iri: str, places: set[str], vocab: Vocabulary) -> bool:
    entity = vocab.entities[iri]
    anchors = set(entity.locations) | ({entity.country} if entity.country else set())
    return any(vocab.within(p, a) or vocab.within(a, p) for p in places for a in anchors)


def plain_name(name: str) -> str:
    """'Rt Hon Winston Peters' → 'Winston Peters'; 'Hon Judith Collins KC' → 'Judith Collins'."""
    name = normalise_space(name)
    while (stripped := HONORIFICS.sub("", name)) != name:
        name = stripped
    return POST_NOMINALS.sub("", name).strip(" ,")


def find_ministers(release: Release, vocab: Vocabulary) -> list[str]:
    """Ministers who announce or speak in the text, for releases whose front matter lists none: named by
    title ("Defence Minister Phil Goff", "Minister of Defence Hon Gerry Brownlee"), or, for New Zealand
    ministers the vocabulary knows, by name as they speak ("Helen Clark said"). A titled name the vocabulary
    does not know counts only where the sentence has them speak. Former ministers and other countries'
    ministers are not the release's."""
    title = minister_title(vocab)
    known = known_ministers(vocab)
    speaker = minister_speaking(vocab)
    found: list[str] = []
    blocks = [block for block in release.blocks if not block.boilerplate]
    for block in blocks:
        text = block.text
        for match in title.finditer(text):
            if match.end() == len(text.rstrip()) and block is blocks[-1]:
                continue  # the copy ends inside the name ("Prime Minister Jacinda Arde")
            before = text[max(0, match.start() - 40):match.start()]
            if re.search(r"\bformer\s+(?:\S+\s+){0,3}$", before, re.I) or foreign(before, vocab):
                continue
            name = plain_name(trim_name(match.group("name")))
            sentence = text[max(0, match.start() - 80):match.end() + 80]
            if len(name.split()) >= 2 and (name in known or vocab.lexicon.pattern("speech-verbs").search(sentence)):
                found.append(known.get(name, name))
        for match in speaker.finditer(text) if speaker else ():
            found.append(known[match.group("name") or match.group("after")])
    return list(dict.fromkeys(found))


def known_ministers(vocab: Vocabulary) -> dict[str, str]:
    """Each name a known minister goes by, to their label."""
    return {n: e.label for e in vocab.of_kind("minister") for n in e.names}


@lru_cache(maxsize=4)  # built once per vocabulary, not per release
def minister_speaking(vocab: Vocabulary) -> re.Pattern[str] | None:
    """'Helen Clark said', 'said Phil Goff', "Phil Goff's statement": a known minister speaking."""
    names = "|".join(map(re.escape, sorted(known_ministers(vocab), key=len, reverse=True)))
    if not names:
        return None
    speaking = vocab.lexicon.alternation("speech-verbs")
    return re.compile(rf"(?P<name>{names})(?:'s\s+statement|,?\s+(?:{speaking}))|(?:{speaking}),?\s+(?P<after>{names})")


@lru_cache(maxsize=4)  # built once per vocabulary, not per release
def minister_title(vocab: Vocabulary) -> re.Pattern[str]:
    """'<Portfolio> Minister <Name>' and 'Minister of <Portfolio> <Name>', from the portfolios' names."""
    portfolios = sorted({n for e in vocab.of_kind("portfolio") for n in e.names}, key=len, reverse=True)
    names = "|".join(re.escape(p) for p in portfolios if p != "Prime Minister")
    title = (rf"(?:(?:Associate|Deputy|Acting)\s+)?(?:(?:{names})\s+Minister|Minister\s+(?:of|for)\s+(?:the\s+)?"
             rf"(?:{names})|Prime\s+Minister)")
    honorific = r"(?:(?:Rt\.?\s+|Right\s+)?Hon(?:ourable)?\.?\s+|Dr\.?\s+|Sir\s+|Dame\s+)*"
    return re.compile(rf"\b{title},?\s+(?P<name>{honorific}{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})")


def trim_name(name: str) -> str:
    """A name runs into a following capitalised word at most as far as a verb-like word ('Said')."""
    words = name.split()
    while len(words) > 2 and words[-1].lower() in {"said", "says", "announced", "today", "and", "has", "will"}:
        words.pop()
    return " ".join(words)


def foreign(before: str, vocab: Vocabulary) -> bool:
    """'Australian Defence Minister …', 'the Solomon Islands Prime Minister …': a qualifier right before the
    title (no punctuation between) makes the minister another country's."""
    if not re.search(r"[\w'-]\s+$", before):
        return False
    words = re.findall(r"[\w'-]+", before)
    if not words:
        return False
    last_two = " ".join(words[-2:])
    qualifiers = vocab.by_name(words[-1]) | vocab.by_name(last_two)
    return words[-1] in vocab.demonyms or any(
        vocab.entities[i].kind == "place" and i != HOME_COUNTRY for i in qualifiers
    )
