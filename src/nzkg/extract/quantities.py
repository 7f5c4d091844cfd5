"""Numbers, money and dates as releases write them.

Numbers come in digits and words ("45", "47,000", "nineteen", "two hundred and fifty", "1.4 million");
money as "$216,000", "NZ$4 million", "$1.5m", "half a million dollars"; dates as "30 June 2023",
"June 2022", "mid-2024", "September this year", and relative periods ("for a further year") that count
from the release's date. Each finder returns spans with character offsets into the text it was given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import text2num

from nzkg.facts import PartialDate
from nzkg.vocab import Lexicon

UNITS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SMALL = rf"(?:(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(UNITS)}))?|{'|'.join(UNITS)})"
WORDS = rf"{SMALL}(?:\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{SMALL})?)*"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
DOZENS = {"a": 12, "half a": 6, "a half": 6, "two": 24, "three": 36}
SCALE = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}
NUMBER = re.compile(
    rf"(?<![\w$.,])(?<!\d[-–])(?:(?P<dozen>(?:a|half\s+a|a\s+half|two|three)[- ]dozen)|(?P<digits>{DIGITS})"
    rf"|(?P<words>{WORDS}))"
    rf"(?:\s+(?P<scale>million|billion))?(?![\w])(?!,\d)(?![-–]\d)",
    re.I,
)
YEAR_CONTEXT = re.compile(r"\b(?:in|since|from|until|till|to|by|of|during|before|after|between|and|early|late|mid"
                          r"|January|February|March|April|May|June|July|August|September|October|November|December)"
                          r"[\s-]+$", re.I)
CURRENCY = {"NZ$": "NZD", "NZD": "NZD", "$": "NZD", "$NZ": "NZD", "US$": "USD", "USD": "USD", "$US": "USD",
            "A$": "AUD", "AU$": "AUD", "$A": "AUD", "$AU": "AUD", "AUD": "AUD", "€": "EUR", "£": "GBP"}
MONEY = re.compile(
    r"(?P<currency>NZ\$|US\$|AU?\$|\$(?:NZ|US|AU?)(?![a-z])|(?:NZD|USD|AUD)\s?\$?|\$|€|£)\s?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\s\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand|mn|bn|m|k)\b)?"
    r"|\b(?P<words>half an?|an?|\d+(?:\.\d+)?|" + WORDS + r")\s+(?P<wscale>million|billion|thousand)?\s*"
    r"(?P<kind>(?:New Zealand |NZ |US |American |Australian |[A-Z][a-z]+ )?dollars)",
    re.I,
)
DOLLARS = {"": "NZD", "new zealand": "NZD", "nz": "NZD", "us": "USD", "american": "USD", "australian": "AUD",
           "canadian": "CAD", "fijian": "FJD", "singapore": "SGD", "hong kong": "HKD"}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
# The lookahead lets the long alternation be tried only where a month name can start: it was most of the time.
MONTH = r"\b(?=[JFMASOND])(?:January|February|March|April|May|June|July|August|September|October|November|December" \
        r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
YEAR = r"(?:19|20)\d\d"
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DATE = re.compile(
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?(?:\s+of)?\s+(?P<m1>{MONTH}),?\s+(?P<y1>{YEAR})"
    rf"|(?:\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,\s*(?P<y2>{YEAR})"
    rf"|(?:(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+)?(?P<m3>{MONTH})(?:,|\s+of)?\s+"
    rf"(?P<y3>{YEAR}|this year|next year|last year|that year|the same year"
    rf"|the following year|the next year|the previous year)"
    rf"|(?P<this>this|next)\s+(?P<m4>{MONTH})"
    rf"|(?P<m7>{MONTH})\s+(?P<d7>\d{{1,2}})(?:st|nd|rd|th)?(?![\d,]|\s+{YEAR})"
    rf"|\b(?P<d9>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m9>{MONTH})(?![\w-]|,?\s+(?:\d|of\b|this\b|next\b|last\b"
    rf"|that\b))"
    rf"|(?P<prep>\b(?:in|by|until|till|from|to|since|through|before|after|at)\s+)"
    rf"(?:the\s+(?:end|beginning|start|middle)\s+of\s+|(?:early|mid|late)[- ])?"
    rf"(?P<m8>{MONTH})(?![\w-]|,?\s+(?:\d|of\b|this\b|next\b|last\b|that\b|the\s+(?:same|following|next|previous)\b))"
    rf"|(?:(?:the\s+)?(?P<part5>early|mid|late|end of|middle of|beginning of|start of|first half of|second half of)"
    rf"[- ]?(?:the\s+)?)(?P<y5>{YEAR})"
    rf"|(?:(?:the\s+)?(?P<part>end|middle|beginning|start)\s+of\s+|\b(?:early|mid|late|later)[- ])?"
    rf"\b(?P<relyear>this|next|last)\s+year\b(?!['’])"
    rf"|\b(?:the\s+)?(?P<part_of_year>end|middle|beginning|start)\s+of\s+the\s+year\b"
    rf"|(?<![\w$-])(?P<y6>{YEAR})(?![\w-]|,\d)"
    rf"|\b(?P<near>today|tomorrow|yesterday|(?:this|next|last)\s+(?:week|month))\b"
    rf"|(?P<wprep>\b(?:on|from|until|by)\s+)(?:(?P<wrel>last|this|next)\s+)?(?P<weekday>{WEEKDAY})"
    rf"(?![\w-]|,?\s+(?:the\s+)?\d|,?\s+{MONTH})",
    re.I,
)
WILL = re.compile(r"\b(?:will|shall)\b")
ENDED_IN = re.compile(r"\b(?:ended|concluded|finished|returned|withdrew|left|closed|completed|wound\s+up|came\s+to\s+an"
                      r"\s+end)\s+(?:[\w-]+\s+){0,3}?(?:in|on|at)\s+$")  # "ended in January": the last January
NEAR = {"today": 0, "tomorrow": 1, "yesterday": -1, "this week": 0, "next week": 7, "last week": -7, "this month": 0,
        "next month": 31, "last month": -31}
RELATIVE_YEAR = {"this": 0, "next": 1, "last": -1}
MONTH_OF_PART = {"end of": 12, "end": 12, "beginning of": 1, "beginning": 1, "start of": 1, "start": 1}
EARLIER_YEAR = {"that year": 0, "the same year": 0, "the following year": 1, "the next year": 1,
                "the previous year": -1}
PERIOD = re.compile(
    rf"\bfor\s+(?P<further>a\s+further\s+(?:period\s+of\s+)?|another\s+|an\s+additional\s+|an\s+initial\s+)?"
    rf"(?:up\s+to\s+|about\s+|around\s+|approximately\s+)?(?:an?\s+(?:initial\s+)?period\s+of\s+)?"
    rf"(?P<n>(?:{DIGITS})|{SMALL}|an?|one)?\s*(?P<unit>days?|weeks?|months?|years?)\b(?!-)",
    re.I,
)
LASTED = re.compile(r"\b(?:has|have|had|was|were|been|past|last)\s+(?:[\w-]+\s+){0,3}$")  # "has been running for"
EACH_TIME = re.compile(r"\s+(?:at\s+a\s+time|each|apiece|per\s+rotation)\b")  # "posted for twelve months at a time"
DAYS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Count:
    start: int
    end: int
    value: int


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class When:
    start: int
    end: int
    date: PartialDate
    role: str  # "end", "start" or "at"
    relative: bool = False  # counted from the release date ("for a further year")


def parse_number(text: str) -> Decimal | None:
    """'47,000' → 47000; 'nineteen' → 19; 'two hundred and fifty' → 250; '1.4 million' → 1400000."""
    text = text.strip().lower()
    scale = 1
    if match := re.fullmatch(r"(.+?)\s*(million|billion|thousand|mn|bn|m|k)", text):
        text, scale = match.group(1), SCALE[match.group(2)]
    if text in ("a", "an", "one"):
        value = Decimal(1)
    elif text in ("half a", "half an"):
        value = Decimal("0.5")
    elif text.endswith("dozen"):
        value = Decimal(DOZENS[re.sub(r"\s+", " ", re.sub(r"[-\s]+dozen$", "", text))])
    elif re.fullmatch(DIGITS, text):
        value = Decimal(text.replace(",", ""))
    else:
        try:
            value = Decimal(text2num(re.sub(r"\s+", " ", text.replace("-", " ")), "en"))
        except (ValueError, InvalidOperation):
            return None
    return value * scale


def plain_decimal(value: Decimal) -> Decimal:
    """216000, not 2.16E+5: amounts are written out in the graph."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def counts(text: str) -> list[Count]:
    return list(_counts(text))


@lru_cache(maxsize=4096)  # a reader asks the same sentence several questions
def _counts(text: str) -> tuple[Count, ...]:
    """Whole numbers of things; years ('in 2015') and decimals are not counts."""
    found = []
    for match in NUMBER.finditer(text):
        value = parse_number(match.group())
        if value is None or value != value.to_integral_value():
            continue
        if match.group("digits") and re.fullmatch(YEAR, match.group()) and YEAR_CONTEXT.search(text[:match.start()]):
            continue
        found.append(Count(match.start(), match.end(), int(value)))
    return tuple(found)


def money(text: str) -> list[Money]:
    return list(_money(text))


@lru_cache(maxsize=4096)  # a reader asks the same sentence several questions
def _money(text: str) -> tuple[Money, ...]:
    found = []
    for match in MONEY.finditer(text):
        if match.group("currency"):
            scale = " " + match.group("scale") if match.group("scale") else ""
            number = re.sub(r"\s", "", match.group("number")) + scale
            symbol = re.sub(r"\s", "", match.group("currency")).upper()
            currency = CURRENCY.get(symbol) or CURRENCY.get(symbol.rstrip("$"), "NZD")
        else:
            words, scale = match.group("words"), match.group("wscale")
            if words.lower() in ("a", "an", "half a", "half an") and not scale:
                continue
            number = words + (" " + scale if scale else "")
            currency = DOLLARS.get(match.group("kind")[: -len("dollars")].strip().lower())
            if currency is None:
                continue
        amount = parse_number(number)
        if amount is not None and amount > 0:
            found.append(Money(match.start(), match.end(), plain_decimal(amount), currency))
    return tuple(found)


@dataclass(frozen=True)
class DateCues:
    """The lexicon's cues for the role of a date, compiled: what stands right before a date that ends or starts
    something, and the verbs whose clause makes a plain date ("in 2012") an end or a start."""

    end: re.Pattern[str]
    start: re.Pattern[str]
    ending_verb: re.Pattern[str]
    arrival: re.Pattern[str]
    arrival_near: re.Pattern[str]  # before a day said from the release: "will leave for Honiara tomorrow"
    founded: re.Pattern[str]
    spoken: re.Pattern[str]

    @classmethod
    @lru_cache(maxsize=4)  # compiled once per lexicon
    def of(cls, lexicon: Lexicon) -> DateCues:
        hedge = r"(?:\s+at\s+least|\s+around|\s+about)?"
        verbs = lexicon.words("ending-verbs")
        present = "|".join(re.escape(v) + "e?s" for v in verbs if " " not in v)
        # "arrived back at Ohakea last week" is a return, not an arrival
        arriving = rf"(?<![\w'’])(?:{lexicon.alternation('arrival-verbs')})\b(?!\s+(?:back|home)\b)"
        return cls(
            end=re.compile(rf"(?<![\w'’])(?:{lexicon.alternation('end-cues')}){hedge}\s+(?:the\s+)?(?:end\s+of\s+)?$"),
            start=re.compile(rf"(?<![\w'’])(?:{lexicon.alternation('start-cues')})\s+(?:the\s+)?$"),
            ending_verb=re.compile(rf"\b(?:will|to|would|shall)\s+(?:\w+\s+)?(?:{lexicon.alternation('ending-verbs')})\b(?!\s+for\b)"
                                   rf"|\b(?:{present})\b"),
            arrival=re.compile(rf"{arriving}[^.;:,]{{0,80}}\b(?:in|on)\s+$"),
            arrival_near=re.compile(rf"{arriving}[^.;:,]{{0,80}}\s$"),
            spoken=re.compile(rf"(?<![\w'’])(?:{lexicon.alternation('speech-verbs')})\s+$"),
            founded=re.compile(rf"\bsince\s+(?:[\w'’-]+\s+){{0,8}}?(?:{lexicon.alternation('founding-words')})\b"
                               r"(?:\s+[\w'’-]+){0,6}?\s+in\s+$", re.I),
        )


def dates(text: str, today: dt.date | None, lexicon: Lexicon, earlier_year: int | None = None) -> list[When]:
    """Dates with the role the words before them give: 'until June 2022' ends, 'since 1999' starts. A year
    the text only refers to ('in November that year') is read against `earlier_year`, the last one named.
    The day something is said on ('the Minister said today') is no date of what is said."""
    return list(_dates(text, today, DateCues.of(lexicon), earlier_year))


@lru_cache(maxsize=4096)  # a reader asks the same sentence several questions
def _dates(text: str, today: dt.date | None, cues: DateCues, earlier_year: int | None) -> tuple[When, ...]:
    found = []
    for match in DATE.finditer(text):
        date = to_partial_date(match, today, earlier_year)
        if date is None:
            continue
        preposition = next((g for g in ("prep", "wprep") if match.group(g)), None)
        start = match.end(preposition) if preposition else match.start()
        if match.group("near") and cues.spoken.search(text[max(0, start - 40):start]):
            continue  # "the Minister said today": when it was said, not a date of what was said
        found.append(When(start, match.end(), date, date_role(text, start, match, cues)))
        if today is not None and (match.group("m7") or match.group("m8") or match.group("m9")):
            role = found[-1].role
            before = text[max(0, text.rfind(";", 0, start)):start]
            ahead = (role == "end" and not ENDED_IN.search(before)) or bool(WILL.search(before))
            found[-1] = When(start, match.end(), nearest_year(date, today, ahead), role)
    for match in PERIOD.finditer(text):
        if end := period_end(text, match, today, found):
            found.append(When(match.start(), match.end(), end, "end", relative=True))
    return tuple(sorted(found, key=lambda w: w.start))


def period_end(text: str, match: re.Match[str], today: dt.date | None, found: list[When]) -> PartialDate | None:
    """Where a stated duration ends: 'for a further year' from the release's date, 'for 12 months from
    February 2017' or 'from 1 July, for two years' from the start it gives, 'for up to 180 days from June' in
    whole months. A duration that has already run ('has been running for ten years') or that each person
    serves ('posted for twelve months at a time') ends nothing."""
    clause = text[max(0, text.rfind(";", 0, match.start())):match.start()]
    if (not match.group("further") and LASTED.search(clause)) or EACH_TIME.match(text, match.end()):
        return None
    amount = parse_number(match.group("n") or "one")
    if amount is None:
        return None
    unit = match.group("unit").lower().rstrip("s")
    start = next((w.date for w in found if w.role == "start" and (0 <= w.start - match.end() <= 12
                                                                 or 0 <= match.start() - w.end <= 12)), None)
    if start is None and today is None:
        return None
    if unit in DAYS and start is None:
        day = today + dt.timedelta(days=int(amount) * DAYS[unit])
        return PartialDate(day.year, day.month, day.day)
    months = round(int(amount) * DAYS[unit] / 30.44) if unit in DAYS else int(amount) * (12 if unit == "year" else 1)
    if start is None:
        return add_months(today, months)
    year, month = divmod((start.month or 1) - 1 + months, 12)
    return PartialDate(start.year + year, month + 1) if start.month else PartialDate(start.year + year)


def date_role(text: str, start: int, match: re.Match[str], cues: DateCues) -> str:
    """'end' after an end cue or in the clause of an ending verb ('will lower the flag … on June 30'); 'start'
    after a start cue, or for 'in DATE' after a verb of arrival ('shifted to the new mission in 2012') or after
    'since' and a founding ('since the mission was first established in 1999'); else 'at'."""
    before = text[max(0, start - 40):start]
    clause = text[max(0, text.rfind(";", 0, start)):start]
    if re.search(r"\bbetween\s+(?:\S+\s+){1,3}and\s+$", before):
        return "end"  # "between May 2025 and June 2026"
    if re.search(r"\bbetween\s+$", before):
        return "start"
    if cues.end.search(before):
        if re.fullmatch(r"\s*[\W]*By\s+", before) and text[match.end():].startswith(","):
            return "at"  # "By March 2020, the number will have decreased": when a change is done, not an end
        return "end"
    if cues.start.search(before) or cues.founded.search(clause[-160:]) or cues.arrival.search(clause[-120:]) or (
            match.group("near") and not match.group("near").lower().startswith("this")
            and cues.arrival_near.search(clause[-120:]) and not cues.ending_verb.search(clause)):
        return "start"
    if cues.ending_verb.search(clause):
        return "end"
    return "at"


def to_partial_date(match: re.Match[str], today: dt.date | None, earlier_year: int | None) -> PartialDate | None:
    groups = match.groupdict()
    year_now = today.year if today else None
    if groups["near"]:
        if today is None:
            return None
        near = re.sub(r"\s+", " ", groups["near"].lower())
        day = today + dt.timedelta(days=NEAR[near])
        return PartialDate(day.year, day.month, None if " " in near else day.day)
    if groups["weekday"]:
        return on_weekday(groups["weekday"], groups["wrel"], match, today)
    if groups["d1"] or groups["d2"]:
        day = int(groups["d1"] or groups["d2"])
        month = MONTHS[(groups["m1"] or groups["m2"]).lower().rstrip(".")]
        year = int(groups["y1"] or groups["y2"])
        if day > calendar.monthrange(year, month)[1]:
            return None
        return PartialDate(year, month, day)
    if groups["m3"]:
        month = MONTHS[groups["m3"].lower().rstrip(".")]
        word = re.sub(r"\s+", " ", groups["y3"].lower())
        day = int(groups["d3"]) if groups["d3"] else None
        if word.isdigit():
            year = int(word)
        elif word in EARLIER_YEAR:
            year = earlier_year + EARLIER_YEAR[word] if earlier_year else None
        else:
            year = year_now + {"this year": 0, "next year": 1, "last year": -1}[word] if year_now else None
        if year is None or (day and day > calendar.monthrange(year, month)[1]):
            return None
        return PartialDate(year, month, day)
    if groups["m4"]:
        if year_now is None:
            return None
        month = MONTHS[groups["m4"].lower().rstrip(".")]
        return PartialDate(year_now + (1 if groups["this"].lower() == "next" and month <= today.month else 0), month)
    if groups["m7"] or groups["m8"] or groups["m9"]:
        if today is None:
            return None
        month = MONTHS[(groups["m7"] or groups["m8"] or groups["m9"]).lower().rstrip(".")]
        day = int(groups["d7"] or groups["d9"]) if groups["d7"] or groups["d9"] else None
        if day is not None and day > calendar.monthrange(today.year, month)[1]:
            return None
        return PartialDate(today.year, month, day)
    if groups["part_of_year"]:  # "by the end of the year": the year of the release
        month = MONTH_OF_PART.get(groups["part_of_year"].lower())
        return PartialDate(year_now, month) if year_now else None
    if groups["relyear"]:
        month = MONTH_OF_PART.get((groups["part"] or "").lower())
        return PartialDate(year_now + RELATIVE_YEAR[groups["relyear"].lower()], month) if year_now else None
    if groups["y5"]:  # "the end of 2014" is December 2014; "mid-2024" no month in particular
        return PartialDate(int(groups["y5"]), MONTH_OF_PART.get(re.sub(r"\s+", " ", groups["part5"].lower())))
    return PartialDate(int(groups["y6"])) if groups["y6"] else None


def on_weekday(weekday: str, relative: str | None, match: re.Match[str], today: dt.date | None) -> PartialDate | None:
    """'on Thursday': the next such day after the release when what is said will happen, or 'next'; else the
    last one up to it ('landed at Ohakea on Tuesday')."""
    if today is None:
        return None
    wanted = [calendar.day_name[i].lower() for i in range(7)].index(weekday.lower())
    clause = match.string[max(0, match.string.rfind(";", 0, match.start())):match.start()]
    if relative == "next" or (relative != "last" and WILL.search(clause)):
        day = today + dt.timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)
    else:
        day = today - dt.timedelta(days=(today.weekday() - wanted) % 7)
    return PartialDate(day.year, day.month, day.day)


def nearest_year(date: PartialDate, today: dt.date, ahead: bool) -> PartialDate:
    """A month without a year: an end or what will happen lies ahead of the release ("until March", "will
    join him from early December"), a start or event behind it ("since December")."""
    if ahead and (date.month or 0) < today.month:
        return PartialDate(date.year + 1, date.month, date.day)
    if not ahead and (date.month or 0) > today.month:
        return PartialDate(date.year - 1, date.month, date.day)
    return date


def add_months(day: dt.date, months: int) -> PartialDate:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return PartialDate(year, month, min(day.day, calendar.monthrange(year, month)[1]))
