"""Stage 2b: New Zealand's contributions — how many personnel or how much money, for which operation or
recipient, from when and until when, whether they are over, and the sentences that say so.

A careful reader's rules, applied sentence by sentence in text order and then to the release as a whole:
- Only New Zealand's people count: the sentence (or one of the two before) speaks of New Zealand, the NZDF,
  "we" or "our", and the number is not qualified as someone else's ("47,000 ISF personnel", "38 officers
  from 27 countries"). Parts of a figure already given ("six of the additional personnel", "28 personnel
  arrived back" after 45 were there) are not new contributions; an increment joined to the strength it adds
  to ("a further person will join the current four") gives the new strength.
- A figure of people is a strength (serving at one time) or a total (served one after another: "have
  served", "sent since 1999"); a sum is a grant (given) or a cost (what New Zealand's own deployment costs).
- The operation is the one the clause names ("to the United Nations Command", "for UNAMI"), or one it
  refers back to ("the mission", "this Coalition", "the reconstruction team"); a clause that names none
  inherits the operation in focus, provided the places it names fit where that operation is; a lead
  sentence inherits the first operation named after it that fits its places.
- Money goes to the organisations it is given to ("$1 million to the World Food Programme", "half a
  million dollars each to …", "give the ICRC $1 million"), to the one a later sentence names for it ("The
  money will support …"), or else to the operation in focus; aid to a country, development funding and
  running totals are not an operation's money.
- An end date belongs to the personnel of its sentence; said on its own ("The mandate for these roles has
  been extended until June 2022"), it applies to the operation's personnel stated so far, or to those
  stated next. A date in a sentence about a UN mandate or resolution is the UN's, not New Zealand's.
- A start ("since September 2004", "personnel were shifted to the new mission in 2012") belongs to the
  figure of its clause, or, said with no figure, to the operation its clause names.
- A contribution is over where the release says so of its operation, now or in the past ("has drawn to a
  close", "all 45 personnel have now left", "will lower the flag on Monday"): every contribution of that
  operation in the release is marked, and one is made if the release gives it no other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from nzkg.extract.figures import (
    HEDGE,
    Cues,
    Quantity,
    clause_bounds,
    gap_is_modifier,
    is_over_now,
    money_kind,
    one_person_phrases,
    ordinal_totals,
    parts_dropped,
    personnel_kind,
    personnel_phrase,
    strength_after_change,
    trained,
)
from nzkg.extract.quantities import When, counts, dates, money
from nzkg.facts import COST, ENDED, GRANT, STRENGTH, TOTAL, Contribution, Mention, PartialDate, Thing
from nzkg.release import Release
from nzkg.terms import NZO
from nzkg.vocab import HOME_COUNTRY, Vocabulary

POSTING = re.compile(r"\b(?:deployment|secondment|posting|contribution|attachment)\s+of\s+$")
WILL_SERVE = re.compile(r"\s+will\s+(?:also\s+)?(?:join|undertake|serve|deploy|take\s+up|lead|command|head"
                        r"|be\s+deployed|be\s+posted|be\s+seconded)\b"
                        r"|\s+(?:has|had)\s+(?:\w+\s+)?(?:served|been\s+serving|been\s+posted|been\s+deployed)\s+(?:with|in|at)\b"
                        r"|\s+(?:serves|is\s+serving)\s+(?:with|in|at)\b")  # "A New Zealand officer has served with …"
THE_OPERATION_S_OWN = re.compile(r"['’]s\s+(?:\w+\s+)?|\s+(?:currently\s+|now\s+)?(?:has|had|comprises|comprised"
                                 r"|numbers|numbered|employs|includes|is\s+made\s+up\s+of|is\s+authori[sz]ed\s+to"
                                 rf"\s+(?:deploy|have)|will\s+have)\s+{HEDGE}")
A_COUNTRY_S_OWN = re.compile(rf"\s+(?:also\s+|already\s+|currently\s+|now\s+)?(?:has|had|have|maintains|maintained"
                             rf"|keeps|contributes|contributed|provides|provided|deploys|deployed|has\s+deployed|sends"
                             rf"|sent|will\s+(?:send|deploy|contribute|provide|keep|maintain|have))\s+{HEDGE}")
AUTHORISED = re.compile(rf"\bauthori[sz]ed\s+(?:troop\s+|force\s+)?(?:strength|ceiling|size)\s+of\s+{HEDGE}$")
FOREIGN_AFTER = re.compile(r"^\s+(?:(?:come|came|are|were|drawn|who\s+come)\s+)?(?:from|of)\s+(?:\S+\s+){0,2}"
                           r"(?:other\s+)?(?:countries|nations|nationalities)\b")
SPENT = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:spent|contributed|provided|given|invested)\b")
GIVEN_TO = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:each\s+|in\s+total\s+)?(?:[\w-]+,?\s+){0,4}?(?:each\s+)?"
                      r"(?:to|for|through|via)\s+(?:support\s+|assist\s+|help\s+)?(?P<both>both\s+)?")
GIVEN_OBJECT = re.compile(r"\b(?:giv\w*|gave|grant\w*|donat\w*|pay\w*|paid|provid\w*|allocat\w*)\s+(?:the\s+)?$")
LABELLED_SUM = re.compile(r"^\s*(?:\(|:|[–-])\s*$")  # "UNICEF ($2 million)", "World Food Programme: $1 million"
LABEL_TO_SUM = re.compile(r"\s*(?:\(|:|[–-])?\s*")  # "UNTSO $3.2 million", "MFO: $7.1 million"
QUALIFYING = re.compile(r"\s+(?!(?:for|to|in|and|or|of|with|which|that|who|as|at|on|by|from|under|each|both|is"
                        r"|are|was|were|will|would|has|have|had|through|via|towards?|so|but|during|since|until"
                        r"|over|across|around|its|their)\b)[a-z]")
THE_SAME_PEOPLE = re.compile(r"(?:The|These|Those|All)\s+(?:\w+\s+)?(?:personnel|officers|troops|soldiers|team"
                             r"|contingent|staff|group|police)\b|They\b")
JOINING = re.compile(r"\b(?:part\s+of|join(?:s|ed|ing)?|with|assist(?:s|ed|ing)?|seconded\s+to|secondment\s+to"
                     r"|deployed\s+to|serv(?:e|es|ed|ing)\s+(?:with|in)|attached\s+to|support(?:s|ed|ing)?"
                     r"|lead(?:s|ing)?|head(?:s|ing)?|command(?:s|ing)?|work(?:s|ed|ing)?\s+under)\s+(?:the\s+)?$")
GIVEN_BEFORE = re.compile(r"\b(?:to|for|through|via)\s+(?:the\s+)?$")
GENERIC_ANAPHOR = re.compile(r"\b(?:the|this|that|our|its)\s+(?:(?:(?!\w+est\b|first\b)\w+[- ])?(?:mission|deployment"
                             r"|operation|Mission|Deployment|Operation|contribution|commitment))\b")
HEAD_ANAPHOR = re.compile(r"\b(?:the\s+|this\s+|that\s+)?(?P<head>Coalition|Task Force|Taskforce|Force|Mission"
                          r"|Command)\b")
DEFINITE = re.compile(r"\b(?:the|this|that|our|its)\s+(?:[\w-]+\s+){0,2}$", re.I)
LEAD_REACH = 4  # sentences after a lead sentence in which the figures it speaks of may come
SMALLEST_SUM = 1000
THE_CHANGE = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:[\w-]+\s+)?(?:reduction|increase|drawdown|draw-down"
                        r"|build-?up|decrease)\b")  # "The MFO reduction reflects the transfer of two logistics roles"
INCLUDED = re.compile(r"\b(?:including|such\s+as)\s+(?:the\s+)?$")  # "3,500 … in Afghanistan, including the PRT"
NOT_JOINED = re.compile(r"\b(?:does|do|did|will|would|has|have)\s+not\s+(?:\w+\s+)?(?:contribute|contributed"
                        r"|contributing|deploy|deployed|deploying|send|sent|sending|take\s+part|taken\s+part|taking\s+part"
                        r"|participate|participating|join|joined|joining|serve|serving)\b")
NOT_JOINED_THAT = re.compile(rf"{NOT_JOINED.pattern}[^.;]*?\b(?:to|in|with)\s+(?:that|this|the)\s+(?:force|mission"
                             r"|operation|coalition)\b")
MOVED_TO = re.compile(r"\b(?:moved|moving|transferred|shifted|switched)\s+(?:across\s+|over\s+)?to\s+(?:the\s+)?"
                      r"(?:new\s+)?$")
FORMER = re.compile(r"\b(?:replaced|succeeded|superseded|took\s+over\s+from)\s+(?:the\s+)?$")
LIST_ITEM = re.compile(r"\s*(?:[-*•·–]|\d{1,2}[.)])\s")
ASIDE = re.compile(r"\([^()]*\)|,\s+(?:which|who|whose|where|when)\b[^,;]*(?:,|$)"  # "(counter-piracy)", ", which …,"
                   r"|,\s+the\s+[^,;]{0,40}['’]s\s+[a-z]+,")  # ", the PMG's predecessor,"
UNNAMED_TARGET = re.compile(r"\b(?:under|in|with|through|on|as\s+part\s+of)\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}?"
                            r"(?:programme|program|mission|operation|force|project|initiative|arrangement|deployment)\b")
UNNAMED_OPERATION = re.compile(r"\b(?:mission|peacekeeping|operations?|forces?|coalition|task\s?force|project"
                               r"|programme)\b", re.I)
ENDING = re.compile(r"\b(?:withdrawal|closing|closure|conclusion|end|drawdown|draw-down|departure)\s+of\s+(?:the\s+)?"
                    r"(?:[\w-]+\s+){0,2}$", re.I)
THAT_YEAR = re.compile(r"\b(?:that|the same|the following|the next|the previous)\s+year\b")
PAST_TENSE = re.compile(r"\b(?:was|were|had)\b")
PRESENT = re.compile(r"\b(?:is|are|am|has|have|will|shall|currently|now|today|remain|remains)\b")
ONGOING_STATUSES = ("extended", "increased", "announced", "deployed")  # the first whose cue a sentence has
DECIDED = ("extended", "increased", "announced")  # what this release decides, not what goes on
SAID_AGAIN_WITHIN = 5  # sentences: a sum's recipient named later is named within the next few ("The funding will …")
NEAR_BY = 40  # characters: a date this close to an end's cue is when it happened ("in May 1998, the TMG was …")


@dataclass
class Sentence:
    start: int
    text: str
    mentions: list[Mention]
    past: bool = False
    listed: bool = False  # an item of a bulleted list, or a short heading among them
    earlier_year: int | None = None  # the last year named before it, for "in November that year"
    refs: list[tuple[int, Thing]] = field(default_factory=list)  # operations named or referred to
    named: set[Thing] = field(default_factory=set)  # those named, or referred to by their head word
    generic: set[int] = field(default_factory=set)  # positions of "the mission", "this deployment"

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.thing.kind == kind]

    def local(self, mention: Mention) -> int:
        return mention.start - self.start


@dataclass
class Ending:
    """A release saying an operation's contribution is over (or, for a lead sentence that names none, the
    contribution stated next): with the status its cue gives and the date it happened, if said."""

    operation: Thing | None
    status: str
    end: PartialDate | None
    sentence: str
    index: int
    of_new_zealand: bool = True  # said of New Zealand's part; else of the operation itself, which ends
    # New Zealand's contributions to it but gives it none of its own


def find_contributions(release: Release, mentions: list[Mention], vocab: Vocabulary) -> list[Contribution]:
    return ContributionReader(release, mentions, vocab).read()


class ContributionReader:
    """Reads one release; holds the discourse state a reader keeps: the operation in focus, end dates
    waiting for the personnel they belong to, the ends the release tells of, and the contributions found."""

    def __init__(self, release: Release, mentions: list[Mention], vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.cues = Cues.of(vocab.lexicon)
        self.today = release.date
        self.sentences = split_sentences(release, mentions)
        self.reference_year = release.date.year if release.date else latest_year(self.sentences)
        earlier_year = None
        for sentence in self.sentences:
            sentence.earlier_year = earlier_year
            sentence.past = self.is_past(sentence)
            earlier_year = max([*map(int, re.findall(r"\b(?:19|20)\d\d\b", sentence.text)), 0]) or earlier_year
        self.not_joined = self.operations_not_joined()
        self.operations = first_mentions(self.sentences)
        self.current = {m.thing for s in self.sentences if not s.past for m in s.mentions_of("operation")}
        self.ending = {m.thing for s in self.sentences for m in s.mentions_of("operation")
                       if ENDING.search(s.text[max(0, s.local(m) - 40):s.local(m)])}
        self.locations = {op: self.operation_places(op, sentence) for op, sentence in self.operations.items()}
        self.descriptions = self.descriptions_of(self.operations)
        self.focus: Thing | None = None
        self.pending: dict[Thing | None, Pending] = {}  # ends waiting for personnel, by operation
        self.endings: list[Ending] = []
        self.changed: list[int] = []  # strengths the release says a change leads to
        self.counted_ends: set[int] = set()  # contributions whose end is counted from the release's date
        self.found: list[tuple[int, Contribution]] = []

    def operations_not_joined(self) -> set[Thing]:
        """Operations the release says New Zealand takes no part in: 'New Zealand does not contribute troops to
        UNIFIL', and '… a Regional Protection Force of up to 4,000 troops. New Zealand will not be contributing
        troops to that force' (the one named last)."""
        found, last = set(), None
        for sentence in self.sentences:
            operations = sentence.mentions_of("operation")
            found |= {m.thing for m in operations if NOT_JOINED.search(
                sentence.text[clause_bounds(sentence.text, sentence.local(m))[0]:sentence.local(m)])}
            for match in NOT_JOINED_THAT.finditer(sentence.text):
                named_before = [m.thing for m in operations if sentence.local(m) < match.start()]
                if named_before or last:
                    found.add(named_before[-1] if named_before else last)
            last = operations[-1].thing if operations else last
        return found

    # ---- the reading loop ---------------------------------------------------------------------------

    def read(self) -> list[Contribution]:
        for index, sentence in enumerate(self.sentences):
            sentence.refs = self.operation_refs(sentence)
            named = [sentence.local(m) for m in sentence.mentions_of("operation")]
            people = parts_dropped(self.personnel(sentence, index), sentence.text, self.cues, named)
            quantities = strength_after_change(people, sentence.text, self.cues)
            quantities += self.amounts(sentence)
            made = []
            for quantity in quantities:
                made += self.contributions_of(quantity, sentence, index)
            self.changed += [q.personnel for q in quantities if q.resulting and q.personnel]
            self.date_sentence(sentence, bare=not quantities)
            made += self.starts_beside_figures(sentence, index, made) if quantities else self.starts(sentence, index)
            self.over(sentence, index, made)
            for contribution in made:
                self.found.append((index, contribution))
            if made:
                self.focus = made[-1].operation or self.focus
            elif sentence.refs:
                self.focus = self.main_refs(sentence)[-1][1]
        return merge(self.ended([c for _, c in self.found] + self.unclaimed_ends()))

    def unclaimed_ends(self) -> list[Contribution]:
        """An operation's end that no figure took up is a contribution of its own ("the Combined Maritime
        Forces … will continue for a further two years until June 2026"), unless its figures give their own."""
        unclaimed = {op: pending for op, pending in self.pending.items() if pending.taken is None}
        if None in unclaimed and len(self.operations) == 1:  # an end said of the release's one operation
            only = next(iter(self.operations))
            unclaimed.setdefault(only, unclaimed[None])
        dated = {c.operation for _, c in self.found if c.end is not None}
        return [Contribution(operation=operation, end=pending.end, status=self.status_of(pending.sentence),
                             evidence=[pending.sentence])
                for operation, pending in unclaimed.items() if operation is not None and operation not in dated]

    def contributions_of(self, quantity: Quantity, sentence: Sentence, index: int) -> list[Contribution]:
        text = sentence.text
        if quantity.money is not None:
            recipients = self.recipients(quantity, sentence)
            if recipients is None:
                return []
            if recipients:
                return [self.contribution(quantity, sentence, None, r) for r in recipients]
            clause = clause_bounds(text, quantity.position)
            quantity.kind = money_kind(text, clause, self.cues, self.sentences[index - 1].text if index else "")
            if self.cues.cost.search(text[clause[0]:quantity.position]) and any(
                    clause[0] <= p < quantity.position for p, _ in sentence.refs):
                quantity.kind = COST  # "The PRT's operating cost … is budgeted at $32 million"
            if self.is_running_total(text[clause[0]:clause[1]], quantity.kind):
                return []
            if quantity.kind == GRANT and not self.segment_names_a_target(quantity, sentence) and \
                    (later := self.named_later(index)) is not None:
                return [self.contribution(quantity, sentence, None, later) if later.kind == "organisation"
                        else self.contribution(quantity, sentence, later, None)]
            operation = self.money_operation(quantity, sentence, index)
        else:
            operation = self.target(quantity, sentence, index)
            if self.is_part_returning(quantity, text, index) or self.is_part_of_a_change(quantity, text):
                return []
            if operation is None and (body := self.joined(quantity, sentence) or self.joined_next(index)):
                return [self.contribution(quantity, sentence, None, body)]
            if operation is None and (named_next := self.people_named_next(index)):
                operation, quantity.kind = named_next
        if operation is None:
            return []
        return [self.contribution(quantity, sentence, operation, None)]

    def contribution(self, quantity: Quantity, sentence: Sentence, operation: Thing | None,
                     recipient: Thing | None) -> Contribution:
        money_given = quantity.money
        contribution = Contribution(
            operation=operation,
            recipient=recipient,
            contributor=quantity.contributor or self.contributor(sentence),
            personnel=quantity.personnel,
            personnel_kind=quantity.kind if quantity.personnel is not None else Contribution.personnel_kind,
            role=quantity.role,
            amount=money_given.amount if money_given else None,
            amount_kind=quantity.kind if money_given else Contribution.amount_kind,
            currency=money_given.currency if money_given else None,
            status="funded" if money_given and quantity.kind == GRANT else self.status_of(sentence.text),
            locations=self.places_near(quantity, sentence),
            evidence=[sentence.text],
        )
        if quantity.personnel is None:
            return contribution
        part = re.search(r",\s+including\b", sentence.text[quantity.end:])  # "… since then, including a unit of
        part_from = quantity.end + part.start() if part else len(sentence.text)  # 35 that flew between 1982 and 1986"
        when = [w for w in self.when(sentence) if not self.of_a_mandate(sentence.text, w) and w.start < part_from]
        segment = figure_segment(sentence.text, quantity)
        # An elliptical figure is of the people said before it ("… since 2002, and three are serving there"), and
        # "since then" is the start said before it ("… a member since 1982, and 2,500 have served since then").
        said_before = quantity.elliptical or re.search(r"\bsince\s+then\b", sentence.text[quantity.end:segment[1]])
        starts = [w for w in when if w.role == "start" and segment[0] <= w.start < segment[1]] or [
            w for w in when if w.role == "start" and said_before and w.start < quantity.position][-1:]
        if not quantity.resulting:  # "reduce from 121 to 75 from January": when the change is made
            contribution.start = starts[0].date if starts else None
        same_date = re.search(r"\bthe\s+same\s+(?:date|day|time)\b", sentence.text[segment[0]:segment[1]])
        end = end_of([w for w in when if same_date or self.said_of(sentence, w.start) in (None, operation)])
        if end is None and quantity.kind != TOTAL and (pending := self.pending_end(operation, sentence)):
            end = When(0, 0, pending.end, "end", pending.counted)
            contribution.status = contribution.status or self.status_of(pending.sentence)
        if end is not None:
            contribution.end = end.date
            if end.relative:
                self.counted_ends.add(id(contribution))
        return contribution

    @staticmethod
    def said_of(sentence: Sentence, position: int) -> Thing | None:
        """The operation named last before a position: a date there is said of it ('… served with UNMIS from
        2005 until that mission ended in 2011, and three officers serve with UNMISS')."""
        before = [thing for p, thing in sentence.refs if p < position]
        return before[-1] if before else None

    def pending_end(self, operation: Thing | None, sentence: Sentence) -> Pending | None:
        """An end said before the figures it belongs to: said of their operation, or said of no operation
        and then taken by the figures of the next sentence that gives any, and, for an extension's end, of
        later ones that speak of extending ('… would also apply to the missions of two defence force
        personnel …')."""
        pending = self.pending.get(operation)
        extending = self.status_of(sentence.text) == "extended"
        if pending is None and (pending := self.pending.get(None)) and pending.taken not in (None, sentence.start) \
                and not (extending and self.status_of(pending.sentence) == "extended"):
            return None
        if pending is not None:
            pending.taken = sentence.start if pending.taken is None else pending.taken
        return pending

    def when(self, sentence: Sentence) -> list[When]:
        """The sentence's dates, each as a start, an end or a point. Leaving a place in New Zealand is setting
        out ('will leave Auckland in February'), not ending."""
        home = self.home_places(sentence)
        setting_out = re.compile(rf"\b(?:leave|leaves|left|leaving|depart\w*)\s+(?:from\s+)?{home}"
                                 r"\s+(?:\w+\s+)?(?:in|on|at)\s+$") if home else None
        return [replace(w, role="start") if setting_out and w.role == "end" and setting_out.search(
                    sentence.text[:w.start]) else w
                for w in dates(sentence.text, self.today, self.vocab.lexicon, sentence.earlier_year)]

    def of_a_mandate(self, text: str, when: When) -> bool:
        """A date its own clause gives to a UN mandate ('…, whose mandate runs to April 2026'), not to New
        Zealand's part."""
        clause_start = max(text.rfind(",", 0, when.start), text.rfind(";", 0, when.start), when.start - 60)
        return bool(self.cues.un_mandate.search(text[max(0, clause_start):when.start]))

    def status_of(self, text: str) -> str | None:
        """How a sentence leaves a contribution that goes on: extended, increased, announced or deployed."""
        return next((s for s in ONGOING_STATUSES if self.cues.statuses[s].search(text)), None)

    # ---- personnel and money --------------------------------------------------------------------------

    def personnel(self, sentence: Sentence, index: int) -> list[Quantity]:
        """Numbers of New Zealand personnel the sentence states, each a strength or a total."""
        text = sentence.text
        if not self.speaks_of_new_zealand(index):
            return []
        found: list[Quantity] = []
        someone_else_s = None  # the end of the last figure that is not New Zealand's
        for count in counts(text):
            quantity = personnel_phrase(count, text, bool(found), self.cues)
            if quantity is None:
                continue
            between = text[someone_else_s or 0:count.start]  # "15,900 military personnel from 32 countries,
            listed_after_theirs = someone_else_s is not None and len(between) < 60 and not \
                self.cues.new_zealand.search(between) and re.search(  # along with 3,600 civilian police"
                    rf"^(?:[^.;]*,)?\s+(?:and\s+|along\s+with\s+|as\s+well\s+as\s+|plus\s+)?{HEDGE}$", between)
            if self.foreign(text[count.end:quantity.end], sentence, count.end) or trained(text, quantity, self.cues) \
                    or listed_after_theirs:  # "up to 7,000 military personnel and 900 civilian police"
                someone_else_s = quantity.end
                continue
            if (quantity.whole and self.someone_elses(sentence, count.end, quantity.end)) or \
                    self.sized_not_joined(sentence, count.start):
                continue
            if self.cues.casualty.search(text[quantity.end:quantity.end + 30]):
                continue  # "Ten New Zealanders lost their lives": the dead, not a contribution
            clause = clause_bounds(text, count.start)
            if self.cues.summed.search(text[clause[0]:count.start]) and not any(
                    count.end <= sentence.local(m) < clause[1] for m in sentence.mentions_of("operation")):
                continue  # "In all, around 190 NZDF personnel are deployed overseas": the sum of those listed
            quantity.contributor = self.home_organisation(sentence, count.end, quantity.end)
            found.append(quantity)
        for match in one_person_phrases(text, self.cues):
            before, after = text[:match.start()], text[match.end():]
            posted = self.cues.posted_by_new_zealand.search(before) or POSTING.search(before) or WILL_SERVE.match(after)
            if posted and gap_is_modifier(match.group("gap"), self.cues) and \
                    not any(q.position <= match.start() < q.end for q in found):
                phrase = text[match.start():match.end()].split(None, 1)[1]
                found.append(Quantity(match.start(), match.end(), personnel=1, role=phrase))
        found.sort(key=lambda q: q.position)
        came_home = bool(self.returns_home(sentence))
        for i, quantity in enumerate(found):
            clause = clause_bounds(text, quantity.position)
            until = min([q.position for q in found[i + 1:i + 2]] + [clause[1]])
            quantity.kind = personnel_kind(text, quantity, until, clause, self.cues, came_home)
            if quantity.elliptical and i and quantity.kind != TOTAL:  # "1,100 served with the TMG, and a
                quantity.kind = found[i - 1].kind  # further 1,600 with the PMG"
            if quantity.personnel == 1:  # "an officer has served with UNAMI since 2004": one at a time
                quantity.kind = STRENGTH
        found += ordinal_totals(text)
        return [q for q in found if not (q.members and self.part_of_a_whole(q, found))]

    def sized_not_joined(self, sentence: Sentence, position: int) -> bool:
        """'a Regional Protection Force of up to 4,000 troops', where New Zealand does not join that force."""
        return any(sentence.local(m) < position and m.thing in self.not_joined and re.fullmatch(
            rf"\s+of\s+{HEDGE}", sentence.text[sentence.local(m) + len(m.text):position])
            for m in sentence.mentions_of("operation"))

    def part_of_a_whole(self, quantity: Quantity, found: list[Quantity]) -> bool:
        """'Six members of the team …' after the team's strength was given: a part of it."""
        larger = [c.personnel for _, c in self.found if c.personnel_kind == STRENGTH and c.personnel]
        larger += [q.personnel for q in found if q.position < quantity.position and q.kind == STRENGTH and q.personnel]
        return any(n > (quantity.personnel or 0) for n in larger)

    def speaks_of_new_zealand(self, index: int) -> bool:
        """New Zealand is the subject of this sentence or of one of the three before it (a dateline or a
        heading may stand between), or, for an item of a list, of the sentence that leads into the list
        ('Cabinet has agreed the following mandates for New Zealand Defence Force deployments: …')."""
        lead = index
        while lead > 0 and self.sentences[lead].listed:
            lead -= 1
        return any(self.has_nz_cue(s) for s in self.sentences[max(0, index - 3):index + 1]) or (
            lead < index and any(self.has_nz_cue(s) for s in self.sentences[max(0, lead - 2):lead + 1]))

    def has_nz_cue(self, sentence: Sentence) -> bool:
        """New Zealand or one of its organisations is named, or an operation of its own is the subject ('The
        PRT, deployed under Operation Crib, has been in Bamyan since September 2003')."""
        return bool(self.cues.new_zealand.search(sentence.text)) or any(
            m.thing.iri in self.vocab.home_organisations or (
                m.thing.kind == "operation" and self.cues.new_zealand.match(m.thing.label)
                and re.fullmatch(r"\W*(?:The\s+)?", sentence.text[:sentence.local(m)]))
            for m in sentence.mentions)

    def foreign(self, phrase: str, sentence: Sentence, offset: int) -> bool:
        """The number is someone else's: 'ISF personnel', 'Australian troops', '… from 27 countries',
        '… from New Zealand, Australia, Fiji and Tonga', an operation's own: 'UNTSO's 153 observers', 'UNAMA
        has around 1,500 staff', and another country's: 'Australia has about 1,000 troops in Timor-Leste'."""
        after = offset + len(phrase)
        if FOREIGN_AFTER.search(sentence.text[after:]):
            return True
        origin = re.match(r"(?:,?\s+(?:and\s+)?(?![a-z]+ed\b)[a-z-]+){0,4}?\s+(?:(?:who\s+)?(?:come|came|are|were|drawn"
                          r"|hail|hailing)\s+)?from\s+(?:the\s+)?",  # where they are from, not where they flew from
                          sentence.text[after:])
        places = sentence.mentions_of("place")
        if origin and (any(sentence.local(m) == after + origin.end() for m in places)  # "from" names places
                       or self.cues.new_zealand.match(sentence.text, after + origin.end())):
            start = after + origin.end()
            if any(start <= sentence.local(m) < start + 100 and not self.is_home(m.thing) for m in places):
                return True
        if any(word in self.vocab.demonyms for word in re.findall(r"[\w-]+", phrase)):
            return True
        for mention in sentence.mentions:
            inside = offset <= sentence.local(mention) < offset + len(phrase)
            if inside and mention.thing.kind != "operation" and not self.is_ours(mention.thing):
                return True
        figure = sentence.text.rfind(" ", 0, offset - 1) + 1  # where the number starts
        if any(THE_OPERATION_S_OWN.fullmatch(sentence.text[sentence.local(m) + len(m.text):figure])
               for m in sentence.mentions_of("operation")):  # "UNTSO's 153 observers", "UNAMA has 1,500 staff"
            return True
        if AUTHORISED.search(sentence.text[:figure]):
            return True  # "with an authorised strength of up to 7,000 military personnel": the mission's size
        return any(A_COUNTRY_S_OWN.fullmatch(sentence.text[sentence.local(m) + len(m.text):figure])
                   for m in sentence.mentions_of("place") if not self.is_home(m.thing))

    def someone_elses(self, sentence: Sentence, start: int, end: int) -> bool:
        """'The 470-strong ISF': the size of a whole force another nation leads is not New Zealand's; 'a
        120-strong New Zealand-led Provincial Reconstruction Team' is."""
        if self.cues.new_zealand.search(sentence.text[start:end]):
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
                found.append(Quantity(amount.start, amount.end, money=amount, kind=GRANT))
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
            return self.recipient_before(quantity, sentence) or self.channelled(quantity, sentence)
        each = bool(given.group("both")) or "each" in given.group()
        first = quantity.end + given.end()
        first += len(re.match(r"(?:the\s+|selected\s+|a\s+)*(?:(?:[A-Z][\w.’']*\s+)*[A-Z][\w.’']*-[a-z]+\s+)?",
                              text[first:]).group())  # "the United Kingdom-administered International Fund"
        organisations = [m for m in sentence.mentions_of("organisation") if first <= sentence.local(m) < segment_end]
        if not organisations or sentence.local(organisations[0]) != first:
            return self.recipient_before(quantity, sentence) or self.channelled(quantity, sentence)
        organisations = [
            m for i, m in enumerate(organisations) if not qualifies_next(m, organisations[i + 1:], sentence)
        ]
        organisations = [m for m in organisations if not QUALIFYING.match(text[sentence.local(m) + len(m.text):])]
        things = list(dict.fromkeys(m.thing for m in organisations))
        if not things:
            return None
        return things if each else things[:1]

    def channelled(self, quantity: Quantity, sentence: Sentence) -> list[Thing]:
        """'$500,000 in humanitarian aid for the people of Gaza, delivered through the ICRC', '$1.5 million,
        which will be channelled through UNICEF': the organisation a giving verb names later in the sum's
        clause."""
        text, segment_end = sentence.text, self.segment_end(quantity, sentence)
        for mention in sentence.mentions_of("organisation"):
            position = sentence.local(mention)
            if quantity.end <= position < segment_end and not self.is_ours(mention.thing) \
                    and self.cues.giving_verb.search(text[quantity.end:position]) \
                    and not QUALIFYING.match(text[position + len(mention.text):]):
                return [mention.thing]
        return []

    def recipient_before(self, quantity: Quantity, sentence: Sentence) -> list[Thing]:
        """A recipient named before its sum: right before it ('will give the ICRC $1 million', 'UNICEF ($2
        million)', 'World Food Programme: $1 million', 'The ICRC will receive $1 million'), or earlier in a clause
        that names no operation and has no other sum ('its support to the World Food Programme, with a further
        $2.5 million')."""
        text = sentence.text
        for mention in reversed(sentence.mentions_of("organisation")):
            end = sentence.local(mention) + len(mention.text)
            if end > quantity.position or self.is_ours(mention.thing):
                continue
            between = text[end:quantity.position]
            if self.cues.received.fullmatch(between) and re.search(r"\beach\b", between):
                return self.coordinated_before(mention, sentence)
            if LABELLED_SUM.match(between) or self.cues.received.fullmatch(between) or (
                    not between.strip() and GIVEN_OBJECT.search(text[:sentence.local(mention)])):
                return [mention.thing]
            break
        clause = clause_bounds(text, quantity.position)
        if len(self.amounts(sentence)) > 1 or any(clause[0] <= p < clause[1] for p, _ in sentence.refs):
            return []
        before = [m for m in sentence.mentions_of("organisation") if clause[0] <= sentence.local(m) < quantity.position
                  and GIVEN_BEFORE.search(text[:sentence.local(m)]) and not self.is_ours(m.thing)]
        return [before[-1].thing] if before else []

    def coordinated_before(self, last: Mention, sentence: Sentence) -> list[Thing]:
        """'UNRWA, the World Food Programme and UNICEF will each receive $1.5 million': every recipient of the
        list that ends with `last`."""
        listed = [last]
        for mention in reversed([m for m in sentence.mentions_of("organisation") if m.start < last.start]):
            gap = sentence.text[sentence.local(mention) + len(mention.text):sentence.local(listed[-1])]
            if not re.fullmatch(r"\)?(?:\s*\([^()]*\))?(?:,\s*|\s+)(?:and\s+)?(?:the\s+)?|\s*\(", gap):
                break
            listed.append(mention)
        return list(dict.fromkeys(m.thing for m in reversed(listed)))

    def segment_end(self, quantity: Quantity, sentence: Sentence) -> int:
        later = [q.position for q in self.amounts(sentence) if q.position > quantity.position]
        clause_end = clause_bounds(sentence.text, quantity.position)[1]
        return min([*later, clause_end])

    def segment_names_a_target(self, quantity: Quantity, sentence: Sentence) -> bool:
        """Whether the clause of a sum names an operation or someone to give it to."""
        clause = clause_bounds(sentence.text, quantity.position)
        return any(clause[0] <= p < clause[1] for p, _ in sentence.refs) or any(
            clause[0] <= sentence.local(m) < clause[1] and not self.is_ours(m.thing)
            for m in sentence.mentions_of("organisation"))

    def named_later(self, index: int) -> Thing | None:
        """Where a sum its own sentence leaves unplaced goes, as a later sentence says of it ('… will provide
        $3 million in humanitarian assistance.' … 'The money will support the World Food Programme's operations
        in …'): the one organisation or operation named after the giving verb. A new sum ends the search, a
        running total ('This brings New Zealand's total contribution to $10 million') does not."""
        for following in self.sentences[index + 1:index + 1 + SAID_AGAIN_WITHIN]:
            if any(not self.is_running_total(following.text[slice(*clause_bounds(following.text, m.start))])
                   for m in money(following.text)):
                return None
            said = self.cues.money_said_again.search(following.text)
            if said is None or said.start() > 60:
                continue
            organisations = [m for m in following.mentions_of("organisation")
                             if following.local(m) >= said.end() and not self.is_ours(m.thing)
                             and not QUALIFYING.match(following.text[following.local(m) + len(m.text):])]
            operations = [(p, t) for p, t in self.operation_refs(following) if p >= said.end()]
            named = sorted([(following.local(m), m.thing) for m in organisations] + operations, key=lambda n: n[0])
            if named:
                return named[0][1]
        return None

    def money_operation(self, quantity: Quantity, sentence: Sentence, index: int) -> Thing | None:
        """The operation a sum that goes to no organisation is for: the one that labels it ('UNTSO $3.2
        million'), else the first the segment names after it, else the one named before it in a clause with
        no other sum, else the one in focus. Aid to a country and running totals are no operation's."""
        text = sentence.text
        labels = self.sum_labels(sentence)
        if quantity.position in labels:
            return labels[quantity.position][1]
        labelling = set(labels.values())
        segment_end = self.segment_end(quantity, sentence)
        after = [t for p, t in sentence.refs if quantity.end <= p < segment_end and (p, t) not in labelling]
        if after:
            return after[0]
        places_after = [m for m in sentence.mentions_of("place") if quantity.end <= sentence.local(m) < segment_end]
        if quantity.kind == GRANT and places_after and re.search(r"\b(?:to|for)\s+(?:the\s+)?$",
                                                                 text[:sentence.local(places_after[0])]):
            return None  # aid to a country
        clause = clause_bounds(text, quantity.position)
        if quantity.kind == GRANT and (self.cues.aid.search(text) or self.is_running_total(text[clause[0]:clause[1]])):
            return None
        if sentence.refs:
            unlabelled = [q for q in self.amounts(sentence) if q.position not in labels]
            if len(unlabelled) > 1:  # "the cost of the BPC deployment is $29.6 million, and of the roles $4.9 million"
                previous = max([q.end for q in unlabelled if q.end <= quantity.position], default=0)
                between = {t for p, t in sentence.refs if previous <= p < quantity.position
                           and not re.fullmatch(r"\s+(?:for|to)\s+(?:the\s+)?", text[previous:p])}  # the previous's
                return between.pop() if len(between) == 1 else None
            return nearest([r for r in sentence.refs if r not in labelling], quantity.position, clause)[1]
        deployed = [(c.status in DECIDED, i, c.operation) for i, c in self.found if c.personnel and c.operation]
        if quantity.kind == COST and deployed and self.cues.the_same_deployment.match(text):
            return max(deployed, key=lambda d: d[:2])[2]  # "The extension will cost …": the one decided last
        return self.carried(sentence, index)

    def sum_labels(self, sentence: Sentence) -> dict[int, tuple[int, Thing]]:
        """'… is expected to cost $7.1 million, UNTSO $3.2 million and UNMISS $1.4 million': sums each right
        after the name of its operation, by where they stand, with where the name stands. The name is the
        sum's alone."""
        labels = {}
        for quantity in self.amounts(sentence):
            for mention in sentence.mentions_of("operation"):
                end = sentence.local(mention) + len(mention.text)
                if end <= quantity.position and LABEL_TO_SUM.fullmatch(sentence.text[end:quantity.position]):
                    labels[quantity.position] = (sentence.local(mention), mention.thing)
        return labels

    def is_running_total(self, clause: str, kind: str = GRANT) -> bool:
        """'NZ$39 million … since 2002', 'has spent $130 million': money given, summed over a period; or sums
        added up ('the combined cost of both deployments'). What one deployment has cost to date is its cost."""
        if self.cues.summed.search(clause):
            return True
        return kind == GRANT and bool(SPENT.search(clause) or self.cues.period.search(clause))

    def is_part_returning(self, quantity: Quantity, text: str, index: int) -> bool:
        """'28 personnel arrived back' just after '45 personnel in Taji': a part of a figure given in the
        passage. A unit of its own ('a 20-strong medical team … returned last week') is not a part."""
        if quantity.whole or not self.cues.statuses["withdrawn"].search(text):
            return False
        return any((c.personnel or 0) > (quantity.personnel or 0) for i, c in self.found
                   if c.personnel_kind == STRENGTH and i >= index - 2)

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
        """Operations the sentence names, and those it refers back to ('the mission', 'this Coalition', 'the
        reconstruction team'), except those the release says New Zealand takes no part in ('New Zealand does not
        contribute troops to UNIFIL')."""
        refs = [(sentence.local(m), m.thing) for m in sentence.mentions_of("operation")
                if m.thing not in self.not_joined]
        named = [(sentence.local(m), sentence.local(m) + len(m.text)) for m in sentence.mentions]
        sentence.named = {t for _, t in refs}
        sentence.generic = set()
        for pattern, thing in self.descriptions:
            for match in pattern.finditer(sentence.text):
                if not any(a <= match.start("head") < b for a, b in named):
                    refs.append((match.start("head"), thing))
                    sentence.named.add(thing)
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
                refs.append((match.start(), self.placed(sentence, match) or self.focus))
                sentence.generic.add(match.start())
        return sorted(refs, key=lambda r: r[0])

    def placed(self, sentence: Sentence, match: re.Match[str]) -> Thing | None:
        """'the Angola deployment': the one operation of the release where the place that qualifies it is."""
        places = [m.thing.iri for m in sentence.mentions_of("place")
                  if match.start() <= sentence.local(m) < match.end() and not self.is_home(m.thing)]
        fitting = [op for op in self.operations if places and self.fit(op, places) == 2]
        return fitting[0] if len(fitting) == 1 else None

    def descriptions_of(self, operations: dict[Thing, int]) -> list[tuple[re.Pattern[str], Thing]]:
        """'the reconstruction team' for the Provincial Reconstruction Team: an operation of the release
        referred to, in lower case, by the head its name ends with, where that head has two words or more."""
        found = []
        for operation in operations:
            heads = {head for name in self.names_of(operation) if (found_head := self.vocab.head(name))
                     for head in [found_head[0]] if len(head.split()) > 1}
            for head in heads:
                words = r"\s+".join(map(re.escape, head.lower().split()))
                found.append((re.compile(rf"\b(?:the|this|that|our|its)\s+(?P<head>{words})\b"), operation))
        return found

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
        """The operation of a figure of people: the one its clause names or refers to ('45 personnel to the
        UNC'), else the one in focus, unless the clause gives them an unnamed one ('under a bilateral
        policing programme') or names only its parts; a lead sentence's figure goes to the one named next (see
        `carried`)."""
        clause = clause_bounds(sentence.text, quantity.position)
        places = [m.thing.iri for m in sentence.mentions_of("place")
                  if clause[0] <= sentence.local(m) < clause[1] and not self.is_home(m.thing)]
        if not sentence.refs:
            unnamed = UNNAMED_TARGET.search(sentence.text, quantity.end) and self.last_mentions(index)
            if self.joined(quantity, sentence) or self.joined_next(index) or unnamed or \
                    self.spans_operations(quantity, places, index):
                return None
            return self.carried(sentence, index)
        later = [c.start for c in counts(sentence.text) if c.start >= quantity.end]
        parts = [r for r in sentence.refs if r[0] > quantity.position and INCLUDED.search(sentence.text[:r[0]])]
        possessive = {sentence.local(m) for m in sentence.mentions_of("operation")  # "RAMSI's military component,
                      if sentence.text.startswith(("'s", "’s"), sentence.local(m) + len(m.text))}  # CTF 635"
        refs = [r for r in self.main_refs(sentence) if r[0] not in self.possessors(sentence) and r not in parts
                and not (r[0] in possessive and any(r[0] < p < clause[1] for p, _ in sentence.refs))]
        moved_to = [r for r in refs if r[0] > quantity.end and MOVED_TO.search(sentence.text[:r[0]])]
        if moved_to:
            return moved_to[-1][1]  # "The three officers who were serving with UNMIS have moved across to UNMISS"
        named_after = {t for p, t in refs if quantity.end <= p < min([*later, clause[1]])}
        position, found = nearest(refs, quantity.position, clause, min([*later, clause[1]]))
        if (found is None and parts) or (quantity.kind == TOTAL and len(named_after) > 1):
            return None  # "3,500 … served in Afghanistan, including the PRT", "… first with INTERFET, then UNTAET"
        if found is None and self.spans_operations(quantity, places, index):
            return None
        own_places = [m.thing.iri for m in sentence.mentions_of("place") if not self.is_home(m.thing)
                      and quantity.end <= sentence.local(m) < min([*later, clause[1]])]
        if position in sentence.generic and own_places and self.fit(found, own_places) == 1 and \
                len(fitting := self.operations_in(own_places, index + 1)) == 1:
            return fitting[0]  # "1,000 personnel have deployed to Taji over the life of the mission"
        if found is None or (position in sentence.generic and places and self.fit(found, places) == 0):
            # "three NZDF personnel in South Sudan, where the mission is …; eight in UNTSO": the place says which
            fitting = self.operations_in(places, index + 1)
            found = fitting[-1] if len(fitting) == 1 else None
        return found

    def spans_operations(self, quantity: Quantity, places: list[str], index: int) -> bool:
        """'More than 1,600 … have served on Bougainville since 1997', where the release named the TMG and then
        the PMG: a total over a place where several operations were is no one operation's."""
        return quantity.kind == TOTAL and len(self.operations_in(places, index)) > 1

    def operations_in(self, places: list[str], index: int) -> list[Thing]:
        """The operations named before sentence `index` that are where all these places are."""
        return [op for op in self.last_mentions(index) if places and self.fit(op, places) == 2]

    def main_refs(self, sentence: Sentence) -> list[tuple[int, Thing]]:
        """The operations a sentence is about: those it names or refers to outside its asides ('Combined Task
        Force 151 (counter-piracy, under Combined Maritime Forces): the two officers …' is about CTF 151). With
        none outside, a sentence whose subject refers back ('The team, which deploys under the name Operation
        Crib and forms part of ISAF, has been in place since 2003') is about the one in focus; else its asides
        say it ('The contingent, which was part of the ISF, is due back'). What another replaced is no longer
        spoken of ('… Resolute Support since it replaced ISAF in January 2015')."""
        asides = [m.span() for m in ASIDE.finditer(sentence.text)]
        outside = [r for r in sentence.refs if not any(a <= r[0] < b for a, b in asides)
                   and not FORMER.search(sentence.text[:r[0]])]
        if outside or not sentence.refs:
            return outside
        if self.focus is not None and re.match(r"\W*(?:The|This|These|Our|Its|It)\b", sentence.text):
            return [(0, self.focus)]
        return sentence.refs

    def possessors(self, sentence: Sentence) -> set[int]:
        """Where operations stand that only say whose the next one is: 'RAMSI's Participating Police Force'."""
        operations = sentence.mentions_of("operation")
        return {sentence.local(m) for m in operations for n in operations
                if re.fullmatch(r"['’]s\s+", sentence.text[sentence.local(m) + len(m.text):sentence.local(n)])}

    def people_named_next(self, index: int) -> tuple[Thing, str] | None:
        """'… a further 350 personnel will be recognised.' 'Personnel who have served as part of Operation
        Whio … since 2018 are now eligible': a figure of no operation whose people, or whose deployment ('The
        deployment, known as Operation Whio, …'), the next sentence speaks of goes to the operation it names, and
        is a total if that sentence says they served one after another. A sentence between that names no
        operation ('The aircraft will operate from Kadena …') does not break the thread."""
        for following in self.sentences[index + 1:index + 3]:
            operations = [m for m in following.mentions_of("operation") if m.thing not in self.not_joined]
            if self.cues.the_same_people.match(following.text) or self.cues.the_same_deployment.match(following.text):
                if operations:
                    return operations[0].thing, TOTAL if self.cues.total.search(following.text) else STRENGTH
            elif operations:
                return None
        return None

    def is_part_of_a_change(self, quantity: Quantity, text: str) -> bool:
        """'The three new personnel will arrive …' after the release gave the strength the change leads to
        ('from six to nine personnel'): a part of that figure."""
        added = self.cues.increment.search(text[max(0, quantity.position - 25):quantity.end]) or THE_CHANGE.search(text)
        return bool(added) and not quantity.resulting and any(n > (quantity.personnel or 0) for n in self.changed)

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
            later = [op for op, first in self.operations.items() if first > index and op not in self.not_joined]
            fitting = [op for op in later if (places and self.fit(op, places) == 2)
                       or head in " ".join(self.names_of(op)).lower().replace("taskforce", "task force")]
            return fitting[0] if fitting else None
        scored = [(op in self.current, self.fit(op, places), op not in self.ending, op == self.focus, last, op)
                  for op, last in earlier]
        if len(scored) == 1 and scored[0][5] == self.focus and not any(
                NZO + "Country" in self.vocab.entities[p].types for p in places):
            return self.focus  # the release's one operation, at sea or in a region it names ("the Gulf region")
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
        either side is unknown, or the sentence names its country among others; 0: they are elsewhere."""
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
        all_countries = all(NZO + "Country" in self.vocab.entities[p].types for p in places)
        if 0 in scores and 2 in scores and all_countries:
            return 1  # "headquarters roles in Iraq, Kuwait and Qatar": the coalition in Iraq, run from its neighbours
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

    def is_past(self, sentence: Sentence) -> bool:
        """The sentence tells of the past: a year long before the release ("in May 1998", or "that year"
        after one), or past tense without present."""
        years = [w.date.year for w in self.when(sentence) if w.role != "end"]
        if sentence.earlier_year and THAT_YEAR.search(sentence.text):
            years.append(sentence.earlier_year)
        if self.reference_year and any(y <= self.reference_year - 2 for y in years) and "since" not in sentence.text:
            return True
        return bool(PAST_TENSE.search(sentence.text)) and not PRESENT.search(sentence.text)

    # ---- end dates ----------------------------------------------------------------------------------

    def date_sentence(self, sentence: Sentence, bare: bool) -> None:
        """An end date said without any figure. Said of an operation by name, it applies to that
        operation's personnel stated so far, or waits for the next ones. Said of "these roles" or "the
        deployment", it applies to the personnel of the last sentence that gave any, or waits for the
        next ones. An end already past, or a UN mandate's, is not New Zealand's."""
        when = self.when(sentence)
        said = end_of(when)
        if said is None or not bare or self.cues.un_mandate.search(sentence.text):
            return
        end = said.date
        if self.reference_year and end.year < self.reference_year:
            return
        if len(sentence.named) > 1:
            self.listed_ends(sentence, when)
            return
        operation = next(iter(sentence.named), None)

        def without_a_stated_end(c: Contribution) -> bool:  # a stated end replaces one counted from the release
            return c.personnel is not None and c.personnel_kind != TOTAL and (
                c.end is None or (id(c) in self.counted_ends and not said.relative))

        if operation is not None:
            open_ = [c for _, c in self.found if c.operation == operation and without_a_stated_end(c)]
        else:
            last = max((i for i, c in self.found if c.personnel), default=None)
            open_ = [c for i, c in self.found if i == last and without_a_stated_end(c)]
            places = [m.thing.iri for m in sentence.mentions_of("place") if not self.is_home(m.thing)]
            open_ = [c for c in open_ if c.operation and self.fit(c.operation, places) > 0]
        for contribution in open_:
            contribution.end = end
            self.counted_ends.discard(id(contribution))
            contribution.evidence.append(sentence.text)
        if not open_ and (self.has_nz_cue(sentence) or GENERIC_ANAPHOR.search(sentence.text)):
            self.pending[operation] = Pending(end, sentence.text, said.relative)

    def listed_ends(self, sentence: Sentence, when: Sequence[When]) -> None:
        """'… the United Nations Mission in South Sudan to July 2020; the UN Truce Supervision Organisation
        … to September 2020; and the Multinational Force and Observers … to September 2020': each operation
        of a list takes the end that closes its own item, if every item has one; '… to the MFO and to UNTSO
        until 30 September 2028': all take the one end that closes the list."""
        ends = [w for w in when if w.role == "end"]
        named = sorted((p, t) for p, t in sentence.refs if t in sentence.named)
        items = []
        for position, thing in named:
            following = [w for w in ends if w.start > position]
            if not following:
                return
            items.append((thing, following[0]))
        closing = {end for _, end in items}
        if len(closing) != len(items) and not (len(closing) == 1 and len(ends) == 1):
            return
        if not self.has_nz_cue(sentence):
            return
        for thing, end in items:
            self.pending[thing] = Pending(end.date, sentence.text, end.relative)

    # ---- starts -------------------------------------------------------------------------------------

    def starts(self, sentence: Sentence, index: int) -> list[Contribution]:
        """When New Zealand's part began, said with no figure ('New Zealand has been a member of the MFO since
        its establishment in 1982'): a contribution of its own for the operation the clause is about. Each
        operation the sentence names takes at most one start ('in Kosovo since 1999 and in the Balkans since
        1992' gives Kosovo's mission 1999 only). Its subject is New Zealand or, in a passage about New Zealand,
        its people ('personnel will deploy in early 2017'); not a plan or a mission on its own."""
        people = re.search(rf"\b(?:{self.cues.personnel_noun}|{self.cues.unit})\b", sentence.text)
        trainees = people and re.search(rf"\b(?:{self.cues.training})\s+(?:[\w,-]+\s+){{0,5}}$",
                                        sentence.text[:people.start()])
        speaks = self.has_nz_cue(sentence) or (self.speaks_of_new_zealand(index) and people and not trainees)
        if not speaks or self.cues.un_mandate.search(sentence.text):
            return []
        made, taken = [], set()
        when = self.when(sentence)
        for start in when:
            if start.role != "start":
                continue
            operation = self.started(sentence, start.start, taken, index)
            if operation is None and self.cues.the_same_people.match(sentence.text):
                self.start_of_the_same_people(start.date, sentence, index)
            if operation is not None:
                taken.add(operation)
                phrase_end = start.end + re.search(r",|;|$", sentence.text[start.end:]).start()
                until = next((w.date for w in when if w.role == "end" and start.end <= w.start < phrase_end), None)
                made.append(Contribution(operation=operation, start=start.date, end=until,  # "from 1997 until 1998"
                                         contributor=self.contributor(sentence), status=self.status_of(sentence.text),
                                         evidence=[sentence.text]))
        return made

    def starts_beside_figures(self, sentence: Sentence, index: int, made: list[Contribution]) -> list[Contribution]:
        """In a sentence with figures, the starts of the other operations it names: '… served with UNMIS from
        2005 until that mission ended in 2011, and three officers serve with UNMISS'."""
        with_figures = {c.operation for c in made}
        named = {m.thing for m in sentence.mentions_of("operation")}
        return [c for c in self.starts(sentence, index) if c.operation in named - with_figures]

    def start_of_the_same_people(self, start: PartialDate, sentence: Sentence, index: int) -> None:
        """'The contingent of 71 personnel … will return tomorrow.' 'The New Zealand contingent deployed on
        November 18': a start said of the people the sentence before counted is theirs."""
        last = max((i for i, c in self.found if c.personnel and i >= index - 2), default=None)
        for i, contribution in self.found:
            if i == last and contribution.personnel and contribution.start is None:
                contribution.start = start
                contribution.evidence.append(sentence.text)

    def started(self, sentence: Sentence, position: int, taken: set[Thing], index: int) -> Thing | None:
        """The operation a start in a sentence belongs to: the last one the clause names before it, else the
        first it names after it (before a comma or 'and' closes the phrase), else one it refers back to in
        the same way ('since the mission was established'), else, where the phrase of the start speaks of no
        unnamed operation and of no place wider than where the operation in focus is, that one ('New Zealand
        has trained Iraqi forces at Taji since May 2015, in a joint mission that forms part of …')."""
        clause = clause_bounds(sentence.text, position)
        phrase_end = re.search(r",|;|\band\b|$", sentence.text[position:]).start() + position
        since = sentence.text.rfind(" since ", clause[0], position)
        if since > 0 and any(clause[0] <= p < since for p, _ in sentence.refs):
            position = since  # "… Resolute Support since the mission replaced ISAF in January 2015"
        for refs in ([r for r in self.main_refs(sentence) if r[0] not in sentence.generic],
                     [r for r in self.main_refs(sentence) if r[0] in sentence.generic]):
            before = [t for p, t in refs if clause[0] <= p < position]
            if before:
                return before[-1] if before[-1] not in taken else None
            after = [t for p, t in refs if position <= p < phrase_end and t not in taken]
            if after:
                return after[0]
        phrase_start = sentence.text.rfind(",", clause[0], position) + 1
        if UNNAMED_OPERATION.search(self.unnamed_words(sentence, (max(clause[0], phrase_start), phrase_end))):
            return None
        places = [(sentence.local(m), m.thing.iri) for m in sentence.mentions_of("place") if not self.is_home(m.thing)]
        near = [iri for p, iri in places if phrase_start <= p < phrase_end]
        areas = self.locations.get(self.focus, []) if self.focus else []
        if self.focus is None or any(not any(self.vocab.within(p, a) for a in areas) for p in near or
                                     [iri for _, iri in places]):
            return None
        if sentence.refs and not near:  # other operations named elsewhere in it: only a place says it is this one
            return None
        return self.focus

    def unnamed_words(self, sentence: Sentence, clause: tuple[int, int]) -> str:
        """The clause's words outside the names it holds ('Force' in 'Defence Force' names no operation)."""
        text = sentence.text[:clause[1]]
        for mention in sentence.mentions:
            start = sentence.local(mention)
            text = text[:start] + " " * len(mention.text) + text[start + len(mention.text):]
        return text[clause[0]:]

    # ---- what is over -------------------------------------------------------------------------------

    def over(self, sentence: Sentence, index: int, made: list[Contribution]) -> None:
        """Notes where the sentence says a contribution is over, now or before the release, and whose it is:
        in a passage about New Zealand, whoever the cue speaks of; elsewhere, an operation the cue's clause
        names ('The Peace Monitoring Group's mission has come to an end')."""
        ours = self.speaks_of_new_zealand(index)
        for status in ENDED:
            said = [*self.cues.statuses[status].finditer(sentence.text),
                    *(self.returns_home(sentence) if status == "withdrawn" else [])]
            cue = next((c for c in sorted(said, key=lambda c: c.start())
                        if is_over_now(sentence.text, c, self.cues)), None)
            if cue is None:
                continue
            ended, whole = self.ended_operations(sentence, cue, made, index)
            if not ours:
                clause = clause_bounds(sentence.text, cue.start())
                named = {m.thing for m in sentence.mentions_of("operation")
                         if clause[0] <= sentence.local(m) < clause[1]}
                ended = [op for op in ended if op in named]
            end = self.end_said(sentence, cue) if whole else None
            for operation in ended:
                self.endings.append(Ending(operation, status, end, sentence.text, index, of_new_zealand=ours))
            return

    def returns_home(self, sentence: Sentence) -> list[re.Match[str]]:
        """'… returned to Whenuapai today': coming back to a place in New Zealand is coming home."""
        home = self.home_places(sentence)
        return list(re.finditer(rf"\b(?:returned|arrived\s+back|flew\s+back|came\s+back)\s+(?:to|at|in)\s+{home}\b",
                                sentence.text)) if home else []

    def home_places(self, sentence: Sentence) -> str | None:
        """The places in New Zealand the sentence names, as one pattern ('(?:Auckland|Ohakea)'), if any."""
        home = sorted({re.escape(m.text) for m in sentence.mentions_of("place") if self.is_home(m.thing)})
        return f"(?:{'|'.join(home)})" if home else None

    def ended_operations(self, sentence: Sentence, cue: re.Match[str], made: list[Contribution],
                         index: int) -> tuple[list[Thing | None], bool]:
        """Whose contribution an end's cue speaks of: the operation its clause names (the last before the
        cue, 'UNMIK has drawn to a close', else the first after it, 'the conclusion of the BPC mission'), else
        the operations of the sentence's own figures ('All of those 45 personnel have now left'), else, in a
        lead sentence, the figures stated next (None), else the operation in focus where the clause speaks of
        a deployment of New Zealand's and its places fit ('28 personnel arrived back in New Zealand'). And
        whether the cue speaks of the whole contribution, so that when it happened is when that ended: not so
        for the one in focus, which may be a part of it going home."""
        clause = clause_bounds(sentence.text, cue.start())
        named = [(sentence.local(m), m.thing) for m in sentence.mentions_of("operation")
                 if clause[0] <= sentence.local(m) < clause[1]]
        refs = [(p, t) for p, t in sentence.refs if clause[0] <= p < clause[1]]
        for candidates in (named, refs):
            before = [t for p, t in candidates if p < cue.start()]
            after = [t for p, t in candidates if p >= cue.start()]
            if before or after:
                return [before[-1] if before else after[0]], True
        figures = list(dict.fromkeys(c.operation for c in made if c.operation is not None))
        if figures:
            return figures, True
        if self.focus is not None and re.match(r"\W*It\b", sentence.text[clause[0]:]):
            return [self.focus], True  # "The PRT … was first deployed in 2003. It was withdrawn in 2013"
        if not self.last_mentions(index):
            return [None], True
        places = [m.thing.iri for m in sentence.mentions_of("place") if not self.is_home(m.thing)]
        if self.cues.deployment_noun.search(sentence.text[clause[0]:clause[1]]) and self.has_nz_cue(sentence) \
                and self.focus is not None and self.fit(self.focus, places) > 0:
            return [self.focus], False
        return [], False

    def end_said(self, sentence: Sentence, cue: re.Match[str]) -> PartialDate | None:
        """When an end happened, as the sentence says: a date it gives as an end after the cue ('concluded in
        April 2020'), else one said right beside the cue ('in May 1998, the TMG was replaced') or beside another
        cue of an end ('… has concluded, with the last personnel returning home this week')."""
        when = [w for w in self.when(sentence) if w.role != "start"]
        ends = [w for w in when if w.role == "end" and w.start >= cue.start()]
        cues = [cue, *(c for status in ENDED for c in self.cues.statuses[status].finditer(sentence.text))]
        beside = [w for w in when if any(abs(w.start - c.end()) <= NEAR_BY or abs(c.start() - w.end) <= NEAR_BY
                                         for c in cues)
                  and (not re.search(r"\d", sentence.text[w.start:w.end])  # "last week"
                       or re.search(r"\b(?:in|on|at|during)\s+$", sentence.text[:w.start], re.I))]
        chosen = ends or beside
        return chosen[0].date if chosen else None

    def ended(self, contributions: list[Contribution]) -> list[Contribution]:
        """Marks over every contribution of an operation the release says is over (and, for a lead sentence,
        those stated next), taking the end it happened at where they have none, except those their own
        sentence says go on ('five personnel continuing to mentor' stay when the contingent leaves); an
        operation New Zealand's part in which is over and has no contribution that says so gets one. A
        contribution whose stated end is already past is over too."""
        pairs = []
        for ending in self.endings:
            if ending.operation is None:
                following = [c for i, c in self.found if ending.index < i <= ending.index + LEAD_REACH and c.personnel]
                first = min((i for i, c in self.found if c in following), default=None)
                affected = [c for i, c in self.found if i == first and c in following]
            else:
                affected = [c for c in contributions if c.operation == ending.operation and not (
                    c.status in ("extended", "announced") and ending.sentence not in c.evidence)]
                if not affected and ending.of_new_zealand:
                    affected = [Contribution(operation=ending.operation, evidence=[ending.sentence])]
                    contributions.append(affected[0])
            pairs += [(ending, contribution) for contribution in affected]
        # An end said in a contribution's own sentence comes first: "… a medical team … returned last week"
        for ending, contribution in sorted(pairs, key=lambda pair: pair[0].sentence not in pair[1].evidence):
            contribution.status = ending.status
            contribution.end = contribution.end or ending.end
            if ending.sentence not in contribution.evidence:
                contribution.evidence.append(ending.sentence)
        for contribution in contributions:  # "led the Truce Monitoring Group from December 1997 until April 1998"
            if contribution.status not in ENDED and contribution.end and self.before_the_release(contribution.end):
                contribution.status = "concluded"
        return contributions

    def before_the_release(self, day: PartialDate) -> bool:
        """A stated end the release tells of as past: before the release's date (at the precision given), or,
        for an undated release, two years or more before the latest year it names."""
        if self.today is not None:
            return day.isoformat() < self.today.isoformat()[:len(day.isoformat())]
        return self.reference_year is not None and day.year <= self.reference_year - 2


@dataclass
class Pending:
    end: PartialDate
    sentence: str
    counted: bool  # from the release's date ("for a further year"), not stated
    taken: int | None = None  # where the sentence that took it starts


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
            listed = bool(LIST_ITEM.match(block.text)) or (len(text.split()) < 5 and not text.endswith("."))
            sentences.append(Sentence(start=start, text=text, mentions=inside, listed=listed))
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


def qualifies_next(mention: Mention, following: list[Mention], sentence: Sentence) -> bool:
    if not following:
        return False
    end = sentence.local(mention) + len(mention.text)
    between = sentence.text[end:sentence.local(following[0])]
    return between.startswith(("'s", "’s")) or (len(between.split()) <= 3 and not re.search(r",|\band\b", between))


def figure_segment(text: str, quantity: Quantity) -> tuple[int, int]:
    """The words that speak of one figure: its clause, cut where ' and ' joins another clause before it
    ('a presence in South Sudan since 2005 and currently has three personnel': the start is not theirs)."""
    clause = clause_bounds(text, quantity.position)
    joined = [m.end() for m in re.finditer(r"\s+and\s+", text[clause[0]:quantity.position])]
    return clause[0] + (joined[-1] if joined else 0), clause[1]


def nearest(refs: list[tuple[int, Thing]], position: int, clause: tuple[int, int],
            until: int | None = None) -> tuple[int | None, Thing | None]:
    """The operation the clause names after the figure and before the next figure ('45 personnel to the
    UNC'), else the one it names before the figure, else any it names after; with where it is named."""
    inside = [(p, t) for p, t in refs if clause[0] <= p < clause[1]]
    after = [(p, t) for p, t in inside if position <= p < (until or clause[1])]
    before = [(p, t) for p, t in inside if p < position]
    later = [(p, t) for p, t in inside if p >= position]
    return (after or before[-1:] or later or [(None, None)])[0]


def end_of(when: Sequence[When]) -> When | None:
    """A stated date beats one counted from the release date ('for a further year, to 31 December 2009')."""
    ends = [w for w in when if w.role == "end"]
    chosen = [w for w in ends if not w.relative] or ends
    return chosen[-1] if chosen else None


def merge(contributions: list[Contribution]) -> list[Contribution]:
    """One contribution per target and figure: '45 personnel in Taji' and 'those 45 personnel' are one, and a
    start said on its own joins the figure that gives the same start ('since 1999' twice). Two that give
    different starts or ends stay two ('a member since 1982' and 'will deploy in early 2017'). When a
    deployment just announced will start ('The first personnel will arrive on Thursday') is its first figure's
    start."""
    merged: dict[tuple, list[Contribution]] = {}
    for contribution in contributions:
        key = (contribution.operation, contribution.recipient, contribution.personnel, contribution.personnel_kind,
               contribution.amount, contribution.amount_kind)
        known = next((k for k in merged.get(key, []) if agree(k.start, contribution.start)
                      and agree(k.end, contribution.end)), None)
        if known is None:
            merged.setdefault(key, []).append(contribution)
        else:
            absorb(known, contribution)
    kept = [c for group in merged.values() for c in group]
    for start_only in [c for c in kept if c.personnel is None and c.amount is None and c.start is not None]:
        figure = next((c for c in kept if c is not start_only and (c.personnel is not None or c.amount is not None)
                       and (c.operation, c.recipient) == (start_only.operation, start_only.recipient)
                       and (c.start is not None or (c.status == start_only.status == "announced"
                                                    and c.personnel_kind == STRENGTH))
                       and agree(c.start, start_only.start) and agree(c.end, start_only.end)), None)
        if figure is not None:
            absorb(figure, start_only)
            kept.remove(start_only)
    return kept


def absorb(known: Contribution, contribution: Contribution) -> None:
    """What a second statement of one contribution adds to the first: its evidence, finer dates, places."""
    known.evidence += [e for e in contribution.evidence if e not in known.evidence]
    known.end = finer(known.end, contribution.end)
    known.start = finer(known.start, contribution.start)
    known.locations += [p for p in contribution.locations if p not in known.locations]
    known.contributor = known.contributor or contribution.contributor
    known.role = known.role or contribution.role
    if contribution.status in ENDED or known.status is None:
        known.status = contribution.status


def agree(a: PartialDate | None, b: PartialDate | None) -> bool:
    return a is None or b is None or a.refines(b) or b.refines(a)


def finer(a: PartialDate | None, b: PartialDate | None) -> PartialDate | None:
    if a is None or b is None:
        return a or b
    return b if b.refines(a) else a
