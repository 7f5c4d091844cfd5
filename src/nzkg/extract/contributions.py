"""Stage 2b: New Zealand's contributions — how many personnel or how much money, for which operation or
recipient, until when, and the sentences that say so.

A careful reader's rules, applied sentence by sentence in text order:
- Only New Zealand's people count: the sentence (or the one before) speaks of New Zealand, the NZDF, "we"
  or "our", and the number is not qualified as someone else's ("47,000 ISF personnel", "38 officers from
  27 countries"). Parts of a figure already given ("six of the additional personnel", "28 personnel
  arrived back" after 45 were there) are not new contributions.
- The operation is the one the clause names ("to the United Nations Command", "for UNAMI"), or one it
  refers back to ("the mission", "this Coalition"); a clause that names none inherits the operation in
  focus, provided the places it names fit where that operation is; a lead sentence inherits the first
  operation named after it that fits its places.
- Money goes to the organisations it is given to ("$1 million to the World Food Programme", "half a
  million dollars each to …"), or else to the operation in focus; aid to a country, development funding
  and running totals are not an operation's cost.
- An end date belongs to the personnel of its sentence; said on its own ("The mandate for these roles has
  been extended until June 2022"), it applies to the operation's personnel stated so far, or to those
  stated next. A date in a sentence about a UN mandate or resolution is the UN's, not New Zealand's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nzkg.extract.quantities import Count, Money, When, counts, dates, money
from nzkg.facts import Contribution, Mention, PartialDate, Thing
from nzkg.release import Release
from nzkg.vocab import HOME_COUNTRY, Vocabulary

PERSONNEL = (r"(?:military\s+|defence\s+|defense\s+)?(?:personnel|troops|soldiers|sailors|airmen|airwomen|aircrew"
             r"|officers?|staff|police\s+officers|police|constables|engineers|medics|doctors|nurses|specialists"
             r"|advis[eo]rs|trainers|instructors|observers|peacekeepers|members|people|roles|positions|mentors"
             r"|experts|planners|volunteers|firefighters|deminers"
             r"|crew\s+members|crew|soldier|sailor)")
SINGLE_PERSON = (r"(?:liaison\s+officer|staff\s+officer|officer|advis[eo]r|observer|specialist|instructor|commander"
                 r"|engineer|medic|doctor|nurse|planner|pilot|trainer|mentor|person|Brigadier|Colonel|Major"
                 r"|Lieutenant\s+Colonel|Captain|Commodore|Wing\s+Commander|Squadron\s+Leader)")
POSTING = re.compile(r"\b(?:deployment|secondment|posting|contribution|attachment)\s+of\s+$")
WILL_SERVE = re.compile(r"\s+will\s+(?:also\s+)?(?:join|undertake|serve|deploy|take\s+up|lead|command|head"
                        r"|be\s+deployed|be\s+posted|be\s+seconded)\b")
MODIFIERS = {
    "additional", "further", "more", "extra", "deployed", "military", "defence", "defense", "force", "army", "navy",
    "naval", "air", "police", "specialist", "support", "operational", "liaison", "staff", "infantry", "engineering",
    "engineer", "medical", "logistics", "intelligence", "training", "combat", "uniformed", "civilian", "senior",
    "junior", "other", "highly", "trained", "experienced", "skilled", "full-time", "permanent", "reserve",
    "regular", "serving", "current", "new", "sworn", "non-commissioned", "commissioned", "special", "forces",
    "service", "headquarters", "security", "protection", "technical", "communications", "mission", "contingent",
    "team", "personnel", "and", "&", "of", "unarmed", "armed", "qualified", "dedicated", "specialised",
    "specialized",
}
UNITS = r"(?:team|group|contingent|detachment|platoon|company|unit|element|force|crew|rotation|section)"
NZ_CUE = re.compile(r"\b(?:New Zealand(?:'s|’s)?(?!ers)|NZ|NZDF|Aotearoa|[Ww]e|[Oo]ur|us|Kiwi)\b|\bthe Government\b"
                    r"|\b(?:Defence|Foreign|Prime|Foreign Affairs)\s+Minister\b|\bMinister\s+of\s+Defence\b")
FOREIGN_AFTER = re.compile(r"^\s+(?:from|of)\s+(?:\S+\s+){0,2}(?:other\s+)?(?:countries|nations|nationalities)\b")
PARTITIVE = re.compile(r"^\s+of\s+(?:the|those|these|its|our|their|them|whom)\b")
MEMBERS_OF = re.compile(rf"^\s+of\s+(?:the|this|that|our|its)\s+(?:[\w-]+\s+){{0,2}}?(?:{UNITS[3:-1]}|personnel)\b")
FORMER_FIGURE = re.compile(r"\b(?:rather\s+than|instead\s+of|down\s+from|up\s+from)\s+"
                           r"(?:up\s+to\s+|around\s+|about\s+)?$")
RETURNING = re.compile(r"\b(?:arriv\w*\s+back|back\s+(?:in|to)\s+New Zealand|came\s+home|come\s+home|returned)\b")
CONTRIBUTING_VERB = re.compile(
    r"\b(?:New Zealand|NZ|NZDF|[Ww]e|Defence Force)\b[^.;]{0,60}\b(?:provid|contribut|deploy|send|sent|second|post"
    r"|commit|offer|supply|supplie)\w*\s+(?:\w+\s+){0,1}$"
)
AID = re.compile(r"\b(?:aid|NZAID|development|humanitarian|relief|assistance|recovery|education)\b")
CUMULATIVE = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:spent|contributed|provided|given|invested)\b"
                        r"|\bsince\s+(?:19|20)\d\d\b|\bto\s+date\b|\bin\s+total\b|\bso\s+far\b")
GIVEN_TO = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:each\s+|in\s+total\s+)?(?:[\w-]+,?\s+){0,4}?(?:each\s+)?"
                      r"(?:to|for|through|via)\s+(?:support\s+|assist\s+|help\s+)?(?P<both>both\s+)?")
QUALIFYING = re.compile(r"\s+(?!(?:for|to|in|and|or|of|with|which|that|who|as|at|on|by|from|under|each|both|is"
                        r"|are|was|were|will|would|has|have|had|through|via|towards?|so|but|during|since|until"
                        r"|over|across|around|its|their)\b)[a-z]")
THE_SAME_PEOPLE = re.compile(r"(?:The|These|Those|All)\s+(?:\w+\s+)?(?:personnel|officers|troops|soldiers|team"
                             r"|contingent|staff|group|police)\b|They\b")
JOINING = re.compile(r"\b(?:part\s+of|join(?:s|ed|ing)?|with|assist(?:s|ed|ing)?|seconded\s+to|secondment\s+to"
                     r"|deployed\s+to|serv(?:e|es|ed|ing)\s+(?:with|in)|attached\s+to|support(?:s|ed|ing)?)\s+(?:the\s+)?$")
GIVEN_BEFORE = re.compile(r"\b(?:to|for|through|via)\s+(?:the\s+)?$")
UN_MANDATE = re.compile(r"Security Council|\bResolution\b|\b(?:UN|United Nations|[A-Z]{3,}(?:'s)?)\s+mandate\b")
GENERIC_ANAPHOR = re.compile(r"\b(?:the|this|that|our|its)\s+(?:(?:\w+[- ])?(?:mission|deployment|operation|Mission"
                             r"|Deployment|Operation|contribution|commitment))\b")
HEAD_ANAPHOR = re.compile(r"\b(?:the\s+|this\s+|that\s+)?(?P<head>Coalition|Task Force|Taskforce|Force|Mission"
                          r"|Command)\b")
SMALLEST_SUM = 1000
UNNAMED_OPERATION = re.compile(r"\b(?:mission|peacekeeping|operation|forces?|coalition|task\s?force|project"
                               r"|programme)\b", re.I)
ENDING = re.compile(r"\b(?:withdrawal|closing|closure|conclusion|end|drawdown|draw-down|departure)\s+of\s+(?:the\s+)?"
                    r"(?:[\w-]+\s+){0,2}$", re.I)
THAT_YEAR = re.compile(r"\b(?:that|the same|the following|the next|the previous)\s+year\b")
PAST_TENSE = re.compile(r"\b(?:was|were|had)\b")
PRESENT = re.compile(r"\b(?:is|are|am|has|have|will|shall|currently|now|today|remain|remains)\b")
STATUS = [
    ("withdrawn", re.compile(r"\b(?:withdr[ae]wn?|withdrawing|returned|returning|arrived back|brought home)\b", re.I)),
    ("concluded", re.compile(r"\b(?:conclud\w*|ended|draw\w* to a close|close down|closure|completed)\b", re.I)),
    ("extended", re.compile(r"\b(?:extend\w*|extension|continu\w*)\b", re.I)),
    ("increased", re.compile(r"\b(?:increas\w*|additional|boost\w*)\b", re.I)),
    ("announced", re.compile(r"\b(?:will|to deploy|agreed|announc\w*|approv\w*|decided|decision)\b", re.I)),
    ("deployed", re.compile(r"\b(?:deploy\w*|serving|has had|have had|currently|provided|based)\b", re.I)),
]


@dataclass
class Sentence:
    start: int
    text: str
    mentions: list[Mention]
    past: bool = False
    refs: list[tuple[int, Thing]] = field(default_factory=list)  # operations named or referred to
    named: set[Thing] = field(default_factory=set)  # those named, or referred to by their head word
    generic: set[int] = field(default_factory=set)  # positions of "the mission", "this deployment"

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.thing.kind == kind]

    def local(self, mention: Mention) -> int:
        return mention.start - self.start


@dataclass
class Quantity:
    position: int
    end: int
    personnel: int | None = None
    money: Money | None = None
    role: str | None = None
    contributor: Thing | None = None
    whole: bool = False  # "a 250-strong company": the size of a whole unit or force


def find_contributions(release: Release, mentions: list[Mention], vocab: Vocabulary) -> list[Contribution]:
    return ContributionReader(release, mentions, vocab).read()


class ContributionReader:
    """Reads one release; holds the discourse state a reader keeps: the operation in focus, end dates
    waiting for the personnel they belong to, and the contributions found so far."""

    def __init__(self, release: Release, mentions: list[Mention], vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.today = release.date
        self.sentences = split_sentences(release, mentions)
        self.reference_year = release.date.year if release.date else latest_year(self.sentences)
        earlier_year = None
        for sentence in self.sentences:
            sentence.past = self.is_past(sentence, earlier_year)
            earlier_year = max([*map(int, re.findall(r"\b(?:19|20)\d\d\b", sentence.text)), 0]) or earlier_year
        self.operations = first_mentions(self.sentences)
        self.current = {m.thing for s in self.sentences if not s.past for m in s.mentions_of("operation")}
        self.ending = {m.thing for s in self.sentences for m in s.mentions_of("operation")
                       if ENDING.search(s.text[max(0, s.local(m) - 40):s.local(m)])}
        self.locations = {op: self.operation_places(op, sentence) for op, sentence in self.operations.items()}
        self.focus: Thing | None = None
        self.pending: dict[Thing | None, Pending] = {}  # ends waiting for personnel, by operation
        self.found: list[tuple[int, Contribution]] = []

    # ---- the reading loop ---------------------------------------------------------------------------

    def read(self) -> list[Contribution]:
        for index, sentence in enumerate(self.sentences):
            sentence.refs = self.operation_refs(sentence)
            quantities = self.personnel(sentence, index) + self.amounts(sentence)
            made = []
            for quantity in quantities:
                made += self.contributions_of(quantity, sentence, index)
            self.date_sentence(sentence, bare=not quantities)
            for contribution in made:
                self.found.append((index, contribution))
            if made:
                self.focus = made[-1].operation or self.focus
            elif sentence.refs:
                self.focus = sentence.refs[-1][1]
        return merge([c for _, c in self.found] + self.unclaimed_ends())

    def unclaimed_ends(self) -> list[Contribution]:
        """An operation's end that no figure took up is a contribution of its own ("the Combined Maritime
        Forces … will continue for a further two years until June 2026")."""
        unclaimed = {op: pending for op, pending in self.pending.items() if not pending.taken}
        if None in unclaimed and len(self.operations) == 1:  # an end said of the release's one operation
            only = next(iter(self.operations))
            unclaimed.setdefault(only, unclaimed[None])
        return [Contribution(operation=operation, end=pending.end, status=status_of(pending.sentence),
                             evidence=[pending.sentence])
                for operation, pending in unclaimed.items() if operation is not None]

    def contributions_of(self, quantity: Quantity, sentence: Sentence, index: int) -> list[Contribution]:
        text = sentence.text
        if quantity.money is not None:
            recipients = self.recipients(quantity, sentence)
            if recipients is None:
                return []
            if recipients:
                return [self.contribution(quantity, sentence, None, r) for r in recipients]
            operation = self.money_operation(quantity, sentence, index)
        else:
            operation = self.target(quantity, sentence, index)
            if self.is_part_returning(quantity, text):
                return []
            if operation is None and (body := self.joined(quantity, sentence) or self.joined_next(index)):
                return [self.contribution(quantity, sentence, None, body)]
        if operation is None:
            return []
        return [self.contribution(quantity, sentence, operation, None)]

    def contribution(self, quantity: Quantity, sentence: Sentence, operation: Thing | None,
                     recipient: Thing | None) -> Contribution:
        contribution = Contribution(
            operation=operation,
            recipient=recipient,
            contributor=quantity.contributor or self.contributor(sentence),
            personnel=quantity.personnel,
            role=quantity.role,
            amount=quantity.money.amount if quantity.money else None,
            currency=quantity.money.currency if quantity.money else None,
            status="funded" if quantity.money else status_of(sentence.text),
            locations=self.places_near(quantity, sentence),
            evidence=[sentence.text],
        )
        when = dates(sentence.text, self.today)
        starts = [w for w in when if w.role == "start"]
        if starts and quantity.personnel is not None:
            contribution.start = starts[0].date
        if quantity.personnel is not None:
            contribution.end = end_of(when)
            if contribution.end is None and (pending := self.pending.get(operation) or self.pending.get(None)):
                pending.taken = True
                contribution.end = pending.end
                contribution.status = contribution.status or status_of(pending.sentence)
        return contribution

    # ---- personnel and money --------------------------------------------------------------------------

    def personnel(self, sentence: Sentence, index: int) -> list[Quantity]:
        """Numbers of New Zealand personnel the sentence states."""
        text = sentence.text
        if not self.speaks_of_new_zealand(index):
            return []
        found: list[Quantity] = []
        for count in counts(text):
            quantity = personnel_phrase(count, text, bool(found))
            if quantity is None or self.foreign(text[count.end:quantity.end], sentence, count.end):
                continue
            if quantity.whole and self.someone_elses(sentence, count.end, quantity.end):
                continue
            quantity.contributor = self.home_organisation(sentence, count.end, quantity.end)
            found.append(quantity)
        for match in re.finditer(rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<gap>(?:[\w-]+\s+){{0,3}}?){SINGLE_PERSON}\b", text):
            before, after = text[:match.start()], text[match.end():]
            posted = CONTRIBUTING_VERB.search(before) or POSTING.search(before) or WILL_SERVE.match(after)
            if posted and gap_is_modifier(match.group("gap")) and not any(q.position <= match.start() < q.end
                                                                          for q in found):
                phrase = text[match.start():match.end()].split(None, 1)[1]
                found.append(Quantity(match.start(), match.end(), personnel=1, role=phrase))
        return sorted(found, key=lambda q: q.position)

    def speaks_of_new_zealand(self, index: int) -> bool:
        """New Zealand is the subject of this sentence or of one of the two before it (a dateline or a
        heading may stand between)."""
        return any(self.has_nz_cue(s) for s in self.sentences[max(0, index - 2):index + 1])

    def has_nz_cue(self, sentence: Sentence) -> bool:
        return bool(NZ_CUE.search(sentence.text)) or any(
            m.thing.iri in self.vocab.home_organisations for m in sentence.mentions
        )

    def foreign(self, phrase: str, sentence: Sentence, offset: int) -> bool:
        """The number is someone else's: 'ISF personnel', 'Australian troops', '… from 27 countries',
        '… from New Zealand, Australia, Fiji and Tonga'."""
        after = offset + len(phrase)
        if FOREIGN_AFTER.search(sentence.text[after:]):
            return True
        origin = re.match(r"[^.;\d]{0,60}?\bfrom\s+", sentence.text[after:])
        if origin:
            start = after + origin.end()
            if any(start <= sentence.local(m) < start + 100 and not self.is_home(m.thing)
                   for m in sentence.mentions_of("place")):
                return True
        if any(word in self.vocab.demonyms for word in re.findall(r"[\w-]+", phrase)):
            return True
        for mention in sentence.mentions:
            inside = offset <= sentence.local(mention) < offset + len(phrase)
            if inside and mention.thing.kind != "operation" and not self.is_ours(mention.thing):
                return True
        return False

    def someone_elses(self, sentence: Sentence, start: int, end: int) -> bool:
        """'The 470-strong ISF': the size of a whole force another nation leads is not New Zealand's; 'a
        120-strong New Zealand-led Provincial Reconstruction Team' is."""
        if NZ_CUE.search(sentence.text[start:end]):
            return False
        for mention in sentence.mentions_of("operation"):
            entity = self.vocab.entities.get(mention.thing.iri or "")
            if start <= sentence.local(mention) < end and entity is not None and entity.led_by:
                return not set(entity.led_by) & self.vocab.home_organisations
        return False

    def is_ours(self, thing: Thing) -> bool:
        return thing.iri == HOME_COUNTRY or thing.iri in self.vocab.home_organisations

    def home_organisation(self, sentence: Sentence, start: int, end: int) -> Thing | None:
        for mention in sentence.mentions:
            if start <= sentence.local(mention) < end and mention.thing.iri in self.vocab.home_organisations:
                return mention.thing
        return None

    def contributor(self, sentence: Sentence) -> Thing | None:
        home = [m.thing for m in sentence.mentions if m.thing.iri in self.vocab.home_organisations]
        return home[0] if home else None

    def amounts(self, sentence: Sentence) -> list[Quantity]:
        """Sums of money, without conversions ("NZ$5 million (US$3 million)") or sums too small to be a
        government's contribution (a "$3" that lost its "million")."""
        found = []
        for amount in money(sentence.text):
            conversion = found and re.fullmatch(r"\s*\(", sentence.text[found[-1].end:amount.start])
            if not conversion and amount.amount >= SMALLEST_SUM:
                found.append(Quantity(amount.start, amount.end, money=amount))
        return found

    def recipients(self, quantity: Quantity, sentence: Sentence) -> list[Thing] | None:
        """'$1 million to the World Food Programme'; 'half a million dollars each to the Red Cross, UNHCR and
        UNICEF' gives each the sum. A name that only qualifies the next ('the UN's children's agency,
        UNICEF', 'the UN consolidated appeal') is not a recipient; None when the sum goes to something
        that has no name here."""
        text = sentence.text
        segment_end = self.segment_end(quantity, sentence)
        given = GIVEN_TO.match(text[quantity.end:segment_end])
        if given is None:
            return self.recipient_before(quantity, sentence)
        each = bool(given.group("both")) or "each" in given.group()
        first = quantity.end + given.end()
        first += len(re.match(r"(?:the\s+|selected\s+|a\s+)*", text[first:]).group())
        organisations = [m for m in sentence.mentions_of("organisation") if first <= sentence.local(m) < segment_end]
        if not organisations or sentence.local(organisations[0]) != first:
            return self.recipient_before(quantity, sentence)
        organisations = [
            m for i, m in enumerate(organisations) if not qualifies_next(m, organisations[i + 1:], sentence)
        ]
        organisations = [m for m in organisations if not QUALIFYING.match(text[sentence.local(m) + len(m.text):])]
        things = list(dict.fromkeys(m.thing for m in organisations))
        if not things:
            return None
        return things if each else things[:1]

    def recipient_before(self, quantity: Quantity, sentence: Sentence) -> list[Thing]:
        """'its support to the World Food Programme, with a further $2.5 million': a recipient named before
        the only sum of a clause that names no operation."""
        clause = clause_bounds(sentence.text, quantity.position)
        if len(self.amounts(sentence)) > 1 or any(clause[0] <= p < clause[1] for p, _ in sentence.refs):
            return []
        before = [m for m in sentence.mentions_of("organisation") if clause[0] <= sentence.local(m) < quantity.position
                  and GIVEN_BEFORE.search(sentence.text[:sentence.local(m)]) and not self.is_ours(m.thing)]
        return [before[-1].thing] if before else []

    def segment_end(self, quantity: Quantity, sentence: Sentence) -> int:
        later = [q.position for q in self.amounts(sentence) if q.position > quantity.position]
        clause_end = clause_bounds(sentence.text, quantity.position)[1]
        return min([*later, clause_end])

    def money_operation(self, quantity: Quantity, sentence: Sentence, index: int) -> Thing | None:
        text = sentence.text
        segment_end = self.segment_end(quantity, sentence)
        after = [t for p, t in sentence.refs if quantity.end <= p < segment_end]
        if after:
            return after[0]
        places_after = [m for m in sentence.mentions_of("place") if quantity.end <= sentence.local(m) < segment_end]
        if places_after and re.search(r"\bto\s+(?:the\s+)?$", text[:sentence.local(places_after[0])]):
            return None
        clause = clause_bounds(text, quantity.position)
        if AID.search(text) or CUMULATIVE.search(text[clause[0]:clause[1]]):
            return None
        if sentence.refs:
            if len(self.amounts(sentence)) > 1:
                return None
            return nearest(sentence.refs, quantity.position, clause)[1]
        return self.carried(sentence, index)

    def is_part_returning(self, quantity: Quantity, text: str) -> bool:
        """'28 personnel arrived back' after '45 personnel in Taji': a part of a figure already given."""
        if not RETURNING.search(text):
            return False
        return any((c.personnel or 0) > (quantity.personnel or 0) for _, c in self.found)

    def places_near(self, quantity: Quantity, sentence: Sentence) -> list[Thing]:
        """Where the figure is: the places after it, up to the next figure of its clause ("four personnel to
        … Iraq and Kuwait, and five … in Qatar"), else any place of the clause."""
        clause = clause_bounds(sentence.text, quantity.position)
        following = [c.start for c in counts(sentence.text) if quantity.end <= c.start < clause[1]]
        until = min([*following, clause[1]])
        places = [m for m in sentence.mentions_of("place")
                  if clause[0] <= sentence.local(m) < clause[1] and not self.is_home(m.thing)]
        after = [m for m in places if quantity.end <= sentence.local(m) < until]
        return list(dict.fromkeys(m.thing for m in after or places))

    # ---- which operation ------------------------------------------------------------------------------

    def operation_refs(self, sentence: Sentence) -> list[tuple[int, Thing]]:
        """Operations the sentence names, and those it refers back to ('the mission', 'this Coalition')."""
        refs = [(sentence.local(m), m.thing) for m in sentence.mentions_of("operation")]
        named = [(sentence.local(m), sentence.local(m) + len(m.text)) for m in sentence.mentions]
        sentence.named = {t for _, t in refs}
        for match in HEAD_ANAPHOR.finditer(sentence.text):
            if any(a <= match.start("head") < b for a, b in named):
                continue
            if match.group("head") == "Force" and not match.group().startswith(("the", "this", "that")):
                continue
            thing = self.by_head(match.group("head"), sentence.start + match.start())
            if thing is not None:
                refs.append((match.start("head"), thing))
                sentence.named.add(thing)
        for match in GENERIC_ANAPHOR.finditer(sentence.text):
            if self.focus is not None and not any(a <= match.start() < b for a, b in named):
                refs.append((match.start(), self.focus))
                sentence.generic.add(match.start())
        return sorted(refs, key=lambda r: r[0])

    def by_head(self, head: str, position: int) -> Thing | None:
        """The operation a bare head word ('the Coalition') refers to: the last one named before it whose name
        has that word, else the first named after it."""
        with_head = [(m.start, m.thing) for s in self.sentences for m in s.mentions_of("operation")
                     if head.lower() in " ".join(self.names_of(m.thing)).lower().split()]
        before = [t for p, t in with_head if p < position]
        if before:
            return before[-1]
        after = [t for p, t in with_head if p > position]
        return after[0] if after else None

    def names_of(self, thing: Thing) -> tuple[str, ...]:
        if thing.iri and thing.iri in self.vocab.entities:
            return self.vocab.entities[thing.iri].names
        return (thing.label, *thing.alt_labels)

    def target(self, quantity: Quantity, sentence: Sentence, index: int) -> Thing | None:
        if not sentence.refs:
            return None if self.joined(quantity, sentence) else self.carried(sentence, index)
        clause = clause_bounds(sentence.text, quantity.position)
        later = [c.start for c in counts(sentence.text) if c.start >= quantity.end]
        position, found = nearest(sentence.refs, quantity.position, clause, min([*later, clause[1]]))
        places = [m.thing.iri for m in sentence.mentions_of("place")
                  if clause[0] <= sentence.local(m) < clause[1] and not self.is_home(m.thing)]
        if found is None or (position in sentence.generic and places and self.fit(found, places) == 0):
            # "three NZDF personnel in South Sudan, where the mission is …; eight in UNTSO": the place says which
            fitting = [op for op in self.last_mentions(index + 1) if places and self.fit(op, places) == 2]
            found = fitting[-1] if len(fitting) == 1 else None
        return found

    def joined_next(self, index: int) -> Thing | None:
        """'Up to 15 NZDF personnel will help … The personnel would be part of the United Nations Mine Action
        Service': the next sentence, speaking of the same people, says whom they join."""
        if index + 1 >= len(self.sentences):
            return None
        following = self.sentences[index + 1]
        if not THE_SAME_PEOPLE.match(following.text):
            return None
        return self.joined(Quantity(0, 0), following)

    def joined(self, quantity: Quantity, sentence: Sentence) -> Thing | None:
        """Personnel of no operation who join or serve with an organisation ("part of the United Nations
        Mine Action Service", "assisting the United Nations Mine Action Coordination Centre")."""
        if sentence.refs:
            return None
        clause = clause_bounds(sentence.text, quantity.position)
        for mention in sentence.mentions_of("organisation"):
            position = sentence.local(mention)
            after = sentence.text[position + len(mention.text):]
            national = self.vocab.entities.get(mention.thing.iri or "") is not None and \
                self.vocab.entities[mention.thing.iri].country is not None
            if quantity.end <= position < clause[1] and not self.is_ours(mention.thing) and not national \
                    and JOINING.search(sentence.text[quantity.end:position]) \
                    and not QUALIFYING.match(after) and not re.match(r"\s+[A-Z]", after):
                return mention.thing
        return None

    def carried(self, sentence: Sentence, index: int) -> Thing | None:
        """The operation a sentence that names none is about: of the operations named so far, one whose
        places fit the sentence's (the most specific fit, then the one in focus, then the most recent,
        preferring those the release speaks of in the present and not as ending). A lead sentence that speaks
        of an unnamed mission or force ("a peacekeeping mission in the Sinai", "a multinational task force") is
        about the first one named later that fits its places or is that kind of thing."""
        places = [m.thing.iri for m in sentence.mentions_of("place") if not self.is_home(m.thing)]
        earlier = [(op, s) for op, s in self.last_mentions(index).items()]
        if not earlier:
            unnamed = UNNAMED_OPERATION.search(sentence.text)
            if not unnamed:
                return None
            head = unnamed.group().lower().replace("taskforce", "task force")
            later = [op for op, first in self.operations.items() if first > index]
            fitting = [op for op in later if (places and self.fit(op, places) == 2)
                       or head in " ".join(self.names_of(op)).lower().replace("taskforce", "task force")]
            return fitting[0] if fitting else None
        scored = [(op in self.current, self.fit(op, places), op not in self.ending, op == self.focus, last, op)
                  for op, last in earlier]
        scored = [s for s in scored if s[1] > 0]
        return max(scored, key=lambda s: s[:5])[5] if scored else None

    def last_mentions(self, index: int) -> dict[Thing, int]:
        last: dict[Thing, int] = {}
        for i, sentence in enumerate(self.sentences[:index]):
            for _, thing in sentence.refs:
                last[thing] = i
        return last

    def fit(self, operation: Thing, places: list[str]) -> int:
        """2: the operation is where the sentence's places are (or inside them); 1: the places lie inside
        its area (a country or smaller: the Balkans, where UNMIK is, do not make Bosnia UNMIK's), or
        either side is unknown; 0: they are elsewhere."""
        areas = self.locations.get(operation, [])
        if not places or not areas:
            return 1
        scores = []
        for place in places:
            if any(a == place or self.vocab.within(a, place) for a in areas):
                scores.append(2)
            elif any(self.vocab.within(place, a) and a not in self.vocab.regions_of_countries for a in areas):
                scores.append(1)
            else:
                scores.append(0)
        return min(scores)

    def operation_places(self, operation: Thing, first: int) -> list[str]:
        """Where an operation is: the vocabulary's nzo:location, else the places of the sentence that
        first names it (a new operation)."""
        if operation.iri and self.vocab.entities[operation.iri].locations:
            return list(self.vocab.entities[operation.iri].locations)
        words = operation.label.split()
        named = {iri for size in (3, 2, 1) for i in range(len(words) - size + 1)
                 for iri in self.vocab.by_name(" ".join(words[i:i + size]))
                 if self.vocab.entities[iri].kind == "place"}
        sentence = self.sentences[first]
        return sorted(named) or [m.thing.iri for m in sentence.mentions_of("place")
                                 if m.thing.iri and not self.is_home(m.thing)]

    def is_home(self, place: Thing) -> bool:
        return place.iri is not None and self.vocab.within(place.iri, HOME_COUNTRY)

    def is_past(self, sentence: Sentence, earlier_year: int | None) -> bool:
        """The sentence tells of the past: a year long before the release ("in May 1998", or "that year"
        after one), or past tense without present."""
        years = [w.date.year for w in dates(sentence.text, self.today) if w.role != "end"]
        if earlier_year and THAT_YEAR.search(sentence.text):
            years.append(earlier_year)
        if self.reference_year and any(y <= self.reference_year - 2 for y in years) and "since" not in sentence.text:
            return True
        return bool(PAST_TENSE.search(sentence.text)) and not PRESENT.search(sentence.text)

    # ---- end dates ----------------------------------------------------------------------------------

    def date_sentence(self, sentence: Sentence, bare: bool) -> None:
        """An end date said without any figure. Said of an operation by name, it applies to that
        operation's personnel stated so far, or waits for the next ones. Said of "these roles" or "the
        deployment", it applies to the personnel of the last sentence that gave any, or waits for the
        next ones. An end already past, or a UN mandate's, is not New Zealand's."""
        when = dates(sentence.text, self.today)
        end = end_of(when)
        if end is None or not bare or UN_MANDATE.search(sentence.text):
            return
        if self.reference_year and end.year < self.reference_year:
            return
        if len(sentence.named) > 1:
            self.listed_ends(sentence, when)
            return
        operation = next(iter(sentence.named), None)
        if operation is not None:
            open_ = [c for _, c in self.found if c.operation == operation and c.personnel and c.end is None]
        else:
            last = max((i for i, c in self.found if c.personnel), default=None)
            open_ = [c for i, c in self.found if i == last and c.personnel and c.end is None]
            places = [m.thing.iri for m in sentence.mentions_of("place") if not self.is_home(m.thing)]
            open_ = [c for c in open_ if c.operation and self.fit(c.operation, places) > 0]
        for contribution in open_:
            contribution.end = end
            contribution.evidence.append(sentence.text)
        if not open_ and (self.has_nz_cue(sentence) or GENERIC_ANAPHOR.search(sentence.text)):
            self.pending[operation] = Pending(end, sentence.text)


    def listed_ends(self, sentence: Sentence, when: Sequence[When]) -> None:
        """'… the United Nations Mission in South Sudan to July 2020; the UN Truce Supervision Organisation
        … to September 2020; and the Multinational Force and Observers … to September 2020': each operation
        of a list takes the end that closes its own item, if every item has one."""
        ends = [w for w in when if w.role == "end"]
        named = sorted((p, t) for p, t in sentence.refs if t in sentence.named)
        items = []
        for position, thing in named:
            following = [w for w in ends if w.start > position]
            if not following or (items and items[-1][1] == following[0]):
                return
            items.append((thing, following[0]))
        if not self.has_nz_cue(sentence):
            return
        for thing, end in items:
            self.pending[thing] = Pending(end.date, sentence.text)


@dataclass
class Pending:
    end: PartialDate
    sentence: str
    taken: bool = False


def split_sentences(release: Release, mentions: list[Mention]) -> list[Sentence]:
    sentences = []
    for block in release.blocks:
        if block.boilerplate:
            continue
        for span in block.sentences:
            text = span.text.strip()
            if not text:
                continue
            start = block.start + span.start_char + (len(span.text) - len(span.text.lstrip()))
            inside = [m for m in mentions if start <= m.start < start + len(text)]
            sentences.append(Sentence(start=start, text=text, mentions=inside))
    return sentences


def latest_year(sentences: list[Sentence]) -> int | None:
    years = [int(y) for s in sentences for y in re.findall(r"\b(?:19|20)\d\d\b", s.text)]
    return max(years) if years else None


def first_mentions(sentences: list[Sentence]) -> dict[Thing, int]:
    first: dict[Thing, int] = {}
    for index, sentence in enumerate(sentences):
        for mention in sentence.mentions_of("operation"):
            first.setdefault(mention.thing, index)
    return first


def personnel_phrase(count: Count, text: str, earlier_personnel: bool) -> Quantity | None:
    """The personnel a number counts: '45 personnel', 'four NZDF personnel', 'a 250-strong company',
    'a three-person boat crew', 'a team of six', and in a list after a figure, 'one with the …'."""
    after = text[count.end:]
    if PARTITIVE.match(after) or FORMER_FIGURE.search(text[:count.start]):
        return None
    if strong := re.match(r"^[- ](?:strong|person|member|man|woman)\b(?P<rest>(?:\s+[\w-]+){0,4}?\s+[\w-]+)?", after):
        return Quantity(count.start, count.end + strong.end(), personnel=count.value,
                        role=(strong.group("rest") or "").strip() or None, whole=True)
    phrase = re.match(rf"^(?P<gap>(?:\s+[\w'’&.()-]+){{0,8}}?)\s+(?P<noun>{PERSONNEL})\b", after)
    if phrase and MEMBERS_OF.match(after[phrase.end():]):
        return None  # "Six members of the team": part of a figure given as a whole
    if phrase and gap_is_modifier(phrase.group("gap")):
        role = (phrase.group("gap") + " " + phrase.group("noun")).strip()
        return Quantity(count.start, count.end + phrase.end(), personnel=count.value, role=role)
    if re.search(rf"\b{UNITS}\s+of\s+(?:up\s+to\s+|around\s+|about\s+)?$", text[:count.start]) and re.match(
        r"^\s*(?:[.,;:)]|$|(?:to|will|who|from|and|in|at|is|are|was|were|based|deployed|for)\b)", after
    ):
        return Quantity(count.start, count.end, personnel=count.value)
    if earlier_personnel and re.match(r"^\s+(?:with|at|in|to|on)\s+(?:the\s+)?[A-Z]", after):
        return Quantity(count.start, count.end, personnel=count.value)
    return None


def gap_is_modifier(gap: str) -> bool:
    """Words between a number and 'personnel' that only qualify it: names ('NZDF', 'New Zealand Defence
    Force'), and adjectives such as 'additional', 'deployed', 'military'."""
    words = [w.strip("().") for w in gap.split()]
    return all(w[:1].isupper() or w.lower() in MODIFIERS or "-" in w for w in words if w)


def qualifies_next(mention: Mention, following: list[Mention], sentence: Sentence) -> bool:
    if not following:
        return False
    end = sentence.local(mention) + len(mention.text)
    between = sentence.text[end:sentence.local(following[0])]
    return between.startswith(("'s", "’s")) or (len(between.split()) <= 3 and not re.search(r",|\band\b", between))


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    """The clause around a position: sentences list separate postings with semicolons."""
    start = text.rfind(";", 0, position) + 1
    end = text.find(";", position)
    return start, len(text) if end < 0 else end


def nearest(refs: list[tuple[int, Thing]], position: int, clause: tuple[int, int],
            until: int | None = None) -> tuple[int | None, Thing | None]:
    """The operation the clause names after the figure and before the next figure ('45 personnel to the
    UNC'), else the one it names before the figure, else any it names after; with where it is named."""
    inside = [(p, t) for p, t in refs if clause[0] <= p < clause[1]]
    after = [(p, t) for p, t in inside if position <= p < (until or clause[1])]
    before = [(p, t) for p, t in inside if p < position]
    later = [(p, t) for p, t in inside if p >= position]
    return (after or before[-1:] or later or [(None, None)])[0]


def end_of(when: Sequence[When]) -> PartialDate | None:
    """A stated date beats one counted from the release date ('for a further year, to 31 December 2009')."""
    ends = [w for w in when if w.role == "end"]
    chosen = [w for w in ends if not w.relative] or ends
    return chosen[-1].date if chosen else None


def status_of(text: str) -> str | None:
    for status, pattern in STATUS:
        if pattern.search(text):
            return status
    return None


def merge(contributions: list[Contribution]) -> list[Contribution]:
    """One contribution per target and figure: '45 personnel in Taji' and 'those 45 personnel' are one."""
    merged: dict[tuple, Contribution] = {}
    for contribution in contributions:
        key = (contribution.operation, contribution.recipient, contribution.personnel, contribution.amount)
        known = merged.get(key)
        if known is None:
            merged[key] = contribution
            continue
        known.evidence += [e for e in contribution.evidence if e not in known.evidence]
        known.end = finer(known.end, contribution.end)
        known.start = known.start or contribution.start
        known.locations += [p for p in contribution.locations if p not in known.locations]
        known.contributor = known.contributor or contribution.contributor
        known.role = known.role or contribution.role
    return list(merged.values())


def finer(a: PartialDate | None, b: PartialDate | None) -> PartialDate | None:
    if a is None or b is None:
        return a or b
    return b if b.refines(a) else a
