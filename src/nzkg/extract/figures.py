"""The figures of one sentence, read as a careful reader reads them: which numbers count New Zealand's people
and what kind of figure each is, which sums of money are given and which are what a deployment costs.

Every word these rules look for comes from the lexicon (ontology/vocab/lexicon.ttl), compiled once per
lexicon into `Cues`; the rules themselves (a number, a gap of modifiers, a personnel noun; a total marker in
the figure's own clause) stay here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from nzkg.extract.quantities import Count, Money
from nzkg.facts import COST, GRANT, STRENGTH, TOTAL, Thing
from nzkg.vocab import Lexicon

PARTITIVE = re.compile(r"^\s+of\s+(?:the|those|these|its|our|their|them|whom)\b")
FORMER_FIGURE = re.compile(r"\b(?:rather\s+than|instead\s+of|down\s+from|up\s+from)\s+"
                           r"(?:up\s+to\s+|around\s+|about\s+)?$")
HEDGE = r"(?:up\s+to\s+|as\s+many\s+as\s+|around\s+|about\s+|some\s+|more\s+than\s+|over\s+|nearly\s+|almost\s+)?"
FUTURE = re.compile(r"\b(?:will|would|shall|may|might|could|should)\s+(?:\w+\s+){0,2}$"
                    r"|\b(?:is|are|intends?|intended|plans?|planned|expected|expects|set|going|due|about|agreed"
                    r"|decided)\s+to\s+(?:\w+\s+)?$|\bto\s+$")  # "the decision to withdraw"
NEGATED = re.compile(r"\b(?:not|never|no)\s+(?:\w+\s+)?$")
RESULTING = re.compile(rf"(?:\bfrom\s+{HEDGE}(?!up\b|to\b)[\w,]+\s+(?:(?!to\b)[a-z]+\s+){{0,5}}?to"
                       rf"|\b(?:bring|increas|tak(?:e|es|ing)\b|rais|boost|grow|reduc|decreas|cut|trim|scal|ris|fall|fell"
                       rf"|drop)\w*"
                       rf"\s+(?:(?!from\b)[\w'’-]+\s+){{0,6}}?(?:to|at))\s+{HEDGE}$")
ORDINAL_TOTAL = re.compile(r"\bthe\s+(?P<n>\d[\d,]*)(?:st|nd|rd|th)\s+(?:[\w-]+\s+){0,4}?(?:New\s+Zealander|member"
                           r"|officer|soldier|sailor|person|peacekeeper|observer)\s+to\s+(?:deploy|serve|join|wear)")
PART_OF = re.compile(r"(?:\b(?:including|includes|of\s+whom|among\s+them|comprising|made\s+up\s+of|consisting\s+of)"
                     r"|:|\s[-–—])\s+(?:up\s+to\s+)?(?:an?\s+|the\s+)?$")
LIST_GOES_ON = re.compile(r"^\s*(?:,|,?\s+and)\s+(?:up\s+to\s+)?(?:an?\s+|the\s+)?$")
PAST_CUE = re.compile(r"\w+ed\b|\b(?:drew|came|brought|left|withdrew|stood|wound)\b")  # "after it concluded"
CONDITIONAL = re.compile(r"\b(?:when|once|after|until|before|if|unless)\s+(?:[\w'’-]+\s+){0,4}$"
                         r"|\b(?:on|upon)\s+(?:their|its|his|her)\s+$")  # "isolation on their return"


@dataclass(frozen=True)
class Cues:
    """The lexicon's word lists as the patterns the reader's rules use."""

    new_zealand: re.Pattern[str]
    posted_by_new_zealand: re.Pattern[str]
    training: str
    personnel_noun: str
    the_same_people: re.Pattern[str]
    the_same_deployment: re.Pattern[str]
    one_person: str
    modifiers: frozenset[str]
    unit: str
    increment: re.Pattern[str]
    existing: re.Pattern[str]
    total: re.Pattern[str]
    dispatch: re.Pattern[str]
    period: re.Pattern[str]
    summed: re.Pattern[str]
    since_a_date: re.Pattern[str]
    long_period: re.Pattern[str]
    at_one_time: re.Pattern[str]
    cost: re.Pattern[str]
    aid: re.Pattern[str]
    money_said_again: re.Pattern[str]
    giving_verb: re.Pattern[str]
    received: re.Pattern[str]
    un_mandate: re.Pattern[str]
    imminent: re.Pattern[str]
    casualty: re.Pattern[str]
    said_when: re.Pattern[str]
    deployment_noun: re.Pattern[str]
    statuses: dict[str, re.Pattern[str]]

    @classmethod
    @lru_cache(maxsize=4)  # compiled once per lexicon
    def of(cls, lexicon: Lexicon) -> Cues:
        nouns, verbs = lexicon.alternation("money-nouns"), lexicon.alternation("giving-verbs")
        determiner = r"\b(?:[Tt]he|[Tt]his|[Tt]hese|[Oo]ur|New Zealand['’]s)\s+(?:[\w-]+\s+){0,2}?"
        anaphor = rf"(?:{determiner}(?:{nouns})|^\W*It)"
        said_again = rf"{anaphor}\b[^.;]{{0,80}}?\b(?:{verbs})\b"
        return cls(
            new_zealand=lexicon.pattern("new-zealand"),
            training=lexicon.alternation("training-verbs"),
            posted_by_new_zealand=re.compile(  # "New Zealand has provided a military officer": one person posted
                rf"{lexicon.pattern('new-zealand').pattern}[^.;]{{0,60}}\b(?:{lexicon.alternation('posting-verbs')})"
                r"\s+(?:\w+\s+){0,1}$"),
            personnel_noun=lexicon.alternation("personnel-nouns"),
            the_same_people=re.compile(  # "The New Zealand contingent deployed …", "Personnel who have served …"
                rf"^\W*(?:(?:The|These|Those|All|Our)\s+(?:[\w-]+\s+){{0,3}}?)?(?:{lexicon.alternation('personnel-nouns')}"
                rf"|{lexicon.alternation('unit-nouns')})\b|^\W*They\b", re.I),
            the_same_deployment=re.compile(  # "The deployment, known as Operation Whio, …"
                r"^\W*(?:(?:The|This)\s+(?:[\w-]+\s+)?|(?:This|It)\s+(?:is|was|will\s+be)\s+(?:the|an?)\s+(?:[\w-]+\s+){0,3})"
                r"(?:deployment|mission|operation|contingent|commitment|extension)\b"),
            one_person=lexicon.alternation("one-person-nouns"),
            modifiers=frozenset(w.lower() for w in lexicon.words("personnel-modifiers")),
            unit=lexicon.alternation("unit-nouns"),
            increment=re.compile(lexicon.pattern("increment-words").pattern + r"(?!\s+Zealand)"),  # not "New Zealand"
            existing=lexicon.pattern("existing-words"),
            total=lexicon.pattern("total-markers"),
            dispatch=lexicon.pattern("dispatch-verbs"),
            period=re.compile(rf"{lexicon.pattern('period-markers').pattern}|\bbetween\s+(?:\w+\s+)?(?:19|20)\d\d"),
            summed=lexicon.pattern("sum-markers"),
            since_a_date=re.compile(r"\b[Ss]ince\s+(?:the\s+)?(?:early\s+|mid-?\s*|late\s+)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d"),
            long_period=re.compile(rf"\bsince\s+(?:the\s+)?(?:early\s+|mid-?\s*|late\s+)?(?:19|20)\d\d"
                                   rf"|(?:{lexicon.alternation('period-markers')})\s+(?:\w+\s+)?(?:decades?|years)\b"),
            at_one_time=lexicon.pattern("strength-markers"),
            cost=lexicon.pattern("cost-cues"),
            aid=lexicon.pattern("aid-words"),
            money_said_again=re.compile(said_again),
            giving_verb=re.compile(rf"\b(?:{verbs})\s+(?:the\s+)?$"),
            received=re.compile(rf"\s+(?:{lexicon.alternation('receiving-verbs')})\s+(?:a\s+further\s+|an\s+additional\s+"
                                r"|another\s+)?"),
            un_mandate=re.compile(rf"{lexicon.pattern('un-mandate').pattern}|\b[A-Z]{{3,}}(?:['’]s)?\s+mandate\b"),
            imminent=lexicon.pattern("imminent-words"),
            casualty=lexicon.pattern("casualty-words"),
            said_when=re.compile(rf"\b(?:{lexicon.alternation('speech-verbs')})\s+(?:today|tonight|yesterday|this\s+week)\b"),
            deployment_noun=lexicon.pattern("deployment-nouns"),
            statuses={status: lexicon.status_pattern(status) for status in lexicon.status_cues},
        )


@dataclass
class Quantity:
    """A figure of a sentence: personnel or money, where it stands, and what kind of figure it is."""

    position: int
    end: int
    personnel: int | None = None
    money: Money | None = None
    role: str | None = None
    contributor: Thing | None = None
    whole: bool = False  # "a 250-strong company": the size of a whole unit or force
    kind: str = STRENGTH  # personnel: STRENGTH or TOTAL; money: GRANT or COST
    resulting: bool = False  # "from 12 to 53 personnel", "bringing the total to 11": the strength after a change
    elliptical: bool = False  # "…, and a further 1,600 with the PMG": its noun and verb are the figure's before
    members: bool = False  # "12 members of the group": perhaps part of a figure given as a whole


def personnel_phrase(count: Count, text: str, earlier_personnel: bool, cues: Cues) -> Quantity | None:
    """The personnel a number counts: '45 personnel', 'four NZDF personnel', 'a 250-strong company',
    'a three-person boat crew', 'a team of six', and in a list after a figure, 'one with the …', 'three
    deployed to the …', '150 from New Zealand', 'bringing the total to 11'. A figure said as the outcome of
    a change ('from 12 to up to 53 personnel') is marked as such."""
    before, after = text[:count.start], text[count.end:]
    if own := re.match(rf"^\s+of\s+(?:its|our)\s+(?:own\s+)?(?P<noun>{cues.personnel_noun})\b", after):
        return Quantity(count.start, count.end + own.end(), personnel=count.value, role=own.group("noun"))
    if PARTITIVE.match(after) or FORMER_FIGURE.search(before):  # "two of the officers": of a group said before
        return None
    quantity = counted_people(count, text, earlier_personnel, cues)
    resulting = RESULTING.search(before)
    clause_before = before[text.rfind(";", 0, count.start) + 1:]
    people_before = re.search(rf"\b(?:{cues.personnel_noun}|{cues.unit}|strength|numbers)\b", clause_before)
    if quantity is None and resulting and (earlier_personnel or people_before) and re.match(
            r"^\s*(?:[.,;:)]|$|(?:from|by|in|at|on|as|when|while|with|and|over|under|until|to|for|after|before|today"
            r"|now|this|next|later)\b)",
            after):
        quantity = Quantity(count.start, count.end, personnel=count.value)  # "the number of personnel … to 75"
    if quantity is not None:
        quantity.resulting = bool(resulting)
    return quantity


def counted_people(count: Count, text: str, earlier_personnel: bool, cues: Cues) -> Quantity | None:
    after = text[count.end:]
    if strong := re.match(r"^[- ](?:strong|person|member|man|woman)\b(?P<rest>(?:\s+[\w-]+){0,4}?\s+[\w-]+)?", after):
        return Quantity(count.start, count.end + strong.end(), personnel=count.value,
                        role=(strong.group("rest") or "").strip() or None, whole=True)
    phrase = re.match(rf"^(?P<gap>(?:\s+[\w'’&.()-]+){{0,8}}?)\s+(?P<noun>{cues.personnel_noun})\b", after)
    members_of = rf"^\s+of\s+(?:the|this|that|our|its)\s+(?:[\w-]+\s+){{0,2}}?(?:{cues.unit}|personnel)\b"
    members = bool(phrase and re.match(members_of, after[phrase.end():]))  # "Six members of the team"
    sized_unit = re.search(rf"\b(?:{cues.unit})\s+of\s+{HEDGE}$", text[:count.start])  # "a company group of 250"
    if phrase and (gap_is_modifier(phrase.group("gap"), cues) or (sized_unit and not re.search(r"\d", phrase.group(
            "gap")))):  # "a team of 16 New Zealand Defence Force explosive ordnance disposal (EOD) specialists"
        role = (phrase.group("gap") + " " + phrase.group("noun")).strip()
        return Quantity(count.start, count.end + phrase.end(), personnel=count.value, role=role, members=members,
                        whole=bool(sized_unit))
    if sized_unit and re.match(
        r"^\s*(?:[.,;:)]|$|(?:to|will|who|from|and|in|at|is|are|was|were|based|deployed|for|with|on|under|serving)\b)",
        after):
        return Quantity(count.start, count.end, personnel=count.value)
    if earlier_personnel and re.match(  # "… one with the UNC", "… and more than 3,500 served with it"
            r"^\s+(?:or\s+so\s+)?(?:(?:are|is|were|will\s+be)\s+)?(?:(?:deployed|serving|based|posted|seconded|working"
            r"|stationed)\s+(?:with|at|in|to|on|from)|served\s+with|with|at|in|to|on|from)\s+(?:(?:the\s+)?[A-Z]|it\b)",
            after):
        return Quantity(count.start, count.end, personnel=count.value, elliptical=True)
    if earlier_personnel and re.match(rf"^\s+(?:(?:deployed|serving|based|there)\s+)?(?:{cues.at_one_time.pattern})",
                                      after):  # "… 292 officers have served, with up to 25 deployed at any one time"
        return Quantity(count.start, count.end, personnel=count.value)
    if re.search(rf"\b(?:{cues.personnel_noun})\b[^.;]*,\s+and\s+$", text[:count.start]) and re.match(
            r"^\s+(?:of\s+them\s+)?(?:are|were|will\s+be)\s+(?:currently\s+|now\s+|still\s+)?(?:serving|deployed|based"
            r"|posted|working|stationed)\b", after):  # "… staff officers to CMF since 2002, and three are there"
        return Quantity(count.start, count.end, personnel=count.value, elliptical=True)
    return None


def trained(text: str, quantity: Quantity, cues: Cues) -> bool:
    """The people a figure counts are those New Zealand trains, not its own: 'the team trains and tests over
    1800 personnel per year', '47,000 ISF personnel have been trained'."""
    before = text[max(0, quantity.position - 40):quantity.position]
    after = text[quantity.end:quantity.end + 40]
    passive = rf"\s+(?:have|has|had|were|was|will\s+be|are|is)\s+(?:been\s+)?(?:{cues.training})\b"
    return bool(re.search(rf"\b(?:{cues.training})\s+(?:and\s+\w+\s+)?{HEDGE}$", before) or re.match(passive, after))


def ordinal_totals(text: str) -> list[Quantity]:
    """'the 300th New Zealand Defence Force member to deploy with UNTSO': three hundred over the years."""
    return [Quantity(m.start("n"), m.end(), personnel=int(m.group("n").replace(",", "")), kind=TOTAL)
            for m in ORDINAL_TOTAL.finditer(text)]


def one_person_phrases(text: str, cues: Cues) -> list[re.Match[str]]:
    """'a military liaison officer', 'the New Zealand Brigadier': one person, if the sentence posts them."""
    # Not "the … Officer Training Academy" nor "an engineer squadron": a name or a unit goes on.
    return list(re.finditer(rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<gap>(?:[\w-]+\s+){{0,4}}?)(?:{cues.one_person})\b"
                            rf"(?!\s+[A-Z]|\s+(?:{cues.unit})\b)", text))


def gap_is_modifier(gap: str, cues: Cues) -> bool:
    """Words between a number and 'personnel' that only qualify it: names ('NZDF', 'New Zealand Defence
    Force'), and adjectives such as 'additional', 'deployed', 'military'."""
    words = [w.strip("().") for w in gap.split()]
    return all(w[:1].isupper() or w.lower() in cues.modifiers or "-" in w for w in words if w)


def personnel_kind(text: str, quantity: Quantity, until: int, clause: tuple[int, int], cues: Cues,
                   came_home: bool = False) -> str:
    """A total of people who served one after another, or a strength serving at one time. A total says so
    after the figure ('2,000 personnel have served', 'nineteen officers sent to the mission since 1999') or
    right before it ('the last of nineteen', 'a total of 90'), or sends them over years ('has deployed more
    than 3,500 personnel since 2001'); 'at its peak' or 'at a time' keeps a strength, and so do the size of
    a unit and those who come home together."""
    after = re.split(r",\s+(?:where|which|whose)\b", text[quantity.end:until])[0]  # not "…, where NZ has served
    before = text[max(clause[0], quantity.position - 30):quantity.position]  # since 1982"
    if cues.at_one_time.search(before + " " + after) or quantity.whole:
        return STRENGTH  # a unit's size is its strength: "the company group of around 250 personnel which served"
    if re.search(r"(?:^|\W)(?:The|the|These|these|Those|those|All|all)\s+$", before) and \
            (came_home or cues.statuses["withdrawn"].search(after)):
        return STRENGTH  # "The six personnel who had served there since January returned home": those there now
    if cues.total.search(after) or re.search(rf"(?:{cues.total.pattern})\s+{HEDGE}$", before):
        return TOTAL
    dispatched = cues.dispatch.search(after[:40])  # the figure's own verb: "nineteen officers sent … since 1999"
    if dispatched and (cues.period.search(after[dispatched.start():])
                       or cues.since_a_date.search(text[clause[0]:quantity.position])):  # "Since July 2003, 1,800 …"
        return TOTAL
    if (quantity.personnel or 0) > 1 and cues.dispatch.search(text[clause[0]:quantity.position]) \
            and cues.long_period.search(after):
        return TOTAL  # "has deployed more than 3,500 personnel since 2001 / over the past decade"
    return STRENGTH


def money_kind(text: str, clause: tuple[int, int], cues: Cues, said_before: str = "") -> str:
    """What New Zealand's own deployment costs ('will cost an estimated $216,000', 'the estimated costs of the
    engineer deployment are …', 'defence spending of $27.08 million for the PRT'), or money it gives. A cost
    is said of a deployment, here or in the sentence before ('… three staff officers, in Juba. Cost: $0.9m.'),
    not of aid."""
    words = text[clause[0]:clause[1]]
    deployment = cues.deployment_noun.search(words) or cues.deployment_noun.search(said_before)
    if cues.cost.search(words) and deployment and not cues.aid.search(words):
        return COST
    if re.search(rf"{cues.deployment_noun.pattern}\s+(?:\w+\s+)?{cues.cost.pattern}", words):
        return COST  # "The police contribution costs about $9 million a year and is funded from the aid budget"
    return GRANT


def parts_dropped(quantities: list[Quantity], text: str, cues: Cues, named: list[int]) -> list[Quantity]:
    """'12 NZDF personnel, including a seven-person medical team', '12 personnel to UNMISS: eight engineers
    and four medics': figures the sentence gives as parts of one before them are not figures of their own.
    But where each part names an operation the whole does not ('six personnel - three deployed to the
    Academy, and three to the Resolute Support Mission'), or a part is what New Zealand gives of a larger
    whole ('250 personnel, including 150 from New Zealand'), the parts are the figures and the whole is not.
    `named`: where the sentence names operations."""
    dropped: set[int] = set()
    for whole, parts in part_lists(quantities, text):
        ends = [q.position for q in quantities[quantities.index(parts[-1]) + 1:]] + [len(text)]
        bounds = [(part.position, following) for part, following in zip(parts, [*(p.position for p in parts[1:]),
                                                                                  ends[0]], strict=True)]
        parts_name = all(any(start <= n < end for n in named) for start, end in bounds)
        whole_names = any(whole.end <= n < parts[0].position for n in named)
        ours = any(re.match(rf"\s+(?:are\s+|were\s+)?(?:from\s+)?(?:{cues.new_zealand.pattern})", text[part.end:])
                   for part in parts)
        dropped |= {id(whole)} if ours or (parts_name and not whole_names) else {id(part) for part in parts}
    return [q for q in quantities if id(q) not in dropped]


def part_lists(quantities: list[Quantity], text: str) -> list[tuple[Quantity, list[Quantity]]]:
    """Each figure of people followed by parts of it ('…, including …', '…: …, … and …', '… - …')."""
    found: list[tuple[Quantity, list[Quantity]]] = []
    for previous, quantity in pairwise(quantities):
        between = text[previous.end:quantity.position]
        if quantity.personnel is None:
            continue
        if PART_OF.search(between):
            found.append((previous, [quantity]))
        elif found and found[-1][1][-1] is previous and LIST_GOES_ON.match(between):
            found[-1][1].append(quantity)
    return found


def strength_after_change(quantities: list[Quantity], text: str, cues: Cues) -> list[Quantity]:
    """A sentence that changes a strength states the strength after it, and only that is a figure of its own:
    'a further person will join New Zealand's current contribution of four personnel' gives five, as does
    'the captain joins the four other NZDF officers'; 'up to 41 additional personnel, increasing the
    contribution from 12 to up to 53' gives 53 (the increment and the old strength are what it is made of)."""
    people = [q for q in quantities if q.personnel is not None and q.kind == STRENGTH]
    for q in people:  # "the captain joins the seven other NZDF officers serving with UNTSO": eight
        if re.search(r"\bjoins\s+(?:the\s+)?$", text[:q.position]) and re.match(r"\S+\s+other\b", text[q.position:]):
            q.personnel, q.resulting = (q.personnel or 0) + 1, True
    added = [q for q in people if cues.increment.search(text[max(0, q.position - 25):q.end])]
    if any(q.resulting for q in people):
        return [q for q in quantities if q not in added or q.resulting]
    there = [q for q in people if cues.existing.search(text[max(0, q.position - 40):q.position])]
    if len(added) != 1 or len(there) != 1 or added[0] is there[0]:
        return quantities
    first, second = sorted((added[0], there[0]), key=lambda q: q.position)
    joined = Quantity(first.position, second.end, personnel=added[0].personnel + there[0].personnel,
                      role=there[0].role, contributor=there[0].contributor or added[0].contributor, resulting=True)
    return sorted([q for q in quantities if q not in (first, second)] + [joined], key=lambda q: q.position)


def is_over_now(text: str, cue: re.Match[str], cues: Cues) -> bool:
    """A cue of a contribution's end says it is over: said in the past or perfect ('has drawn to a close',
    'have now left'), or said of now ('will return this week', 'will lower the flag on Monday'). An end
    announced for later ('will be withdrawn by June', 'when the deployment concludes') or denied ('has not
    ended') is not."""
    before = text[max(0, cue.start() - 40):cue.start()]
    told_as_past = PAST_CUE.search(cue.group()) and not re.search(r"\b(?:if|unless|until|before)\s+(?:\S+\s+){0,4}$",
                                                                      before)
    if NEGATED.search(before) or (CONDITIONAL.search(before) and not told_as_past) or re.match(r"\s+that\b",
                                                                                               text[cue.end():]):
        return False  # "has not ended", "when the deployment concludes", "Cabinet concluded that …"
    if FUTURE.search(before) or cue.group().endswith("ing"):
        near = text[max(0, cue.start() - 40):]  # "are now able …, and the time is right to bring it to an end"
        return bool(cues.imminent.search(cues.said_when.sub("", near)))  # "… announced today" is when it was said
    return True


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    """The clause around a position: sentences list separate postings with semicolons."""
    start = text.rfind(";", 0, position) + 1
    end = text.find(";", position)
    return start, len(text) if end < 0 else end
