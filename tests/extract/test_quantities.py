"""Tests of nzkg.extract.quantities: numbers, money and dates as releases write them, and of PartialDate.

Each table row gives the text, the span the finder should report (as the substring it covers) and the value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import pytest

from nzkg.extract.quantities import Count, Money, When, counts, money, parse_number
from nzkg.extract.quantities import dates as dates_with
from nzkg.facts import PartialDate
from nzkg.vocab import load_vocabulary


@cache
def lexicon():
    return load_vocabulary().lexicon


def dates(text: str, today: dt.date | None, earlier_year: int | None = None) -> list[When]:
    """Dates read with the project's own lexicon (ontology/vocab/lexicon.ttl)."""
    return dates_with(text, today, lexicon(), earlier_year)


def table(*rows: tuple) -> list:
    """Parameter rows, each named by its first column (the text under test)."""
    return [pytest.param(*row, id=str(row[0])) for row in rows]


# ---- parse_number ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    table(
        ("45", 45),
        ("47,000", 47000),
        ("1,000,000", 1000000),
        ("nineteen", 19),
        ("forty-one", 41),
        ("Forty-One", 41),
        ("thirty three", 33),
        ("ninety  nine", 99),
        ("two hundred and fifty", 250),
        ("seven hundred fifty", 750),
        ("twelve thousand", 12000),
        ("one hundred thousand", 100000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("a", 1),
        ("an", 1),
        ("one", 1),
        ("half a", Decimal("0.5")),
        ("1.5", Decimal("1.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1.4 million", 1400000),
        ("1.538 million", 1538000),
        ("2 billion", 2000000000),
        ("2 thousand", 2000),
        ("3m", 3000000),
        ("5bn", 5000000000),
        ("250k", 250000),
        ("half a million", 500000),
        ("  45  ", 45),
    ),
)
def test_parse_number(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "banana", "troops", "forty-two-ish", "$45"])
def test_parse_number_not_a_number(text):
    assert parse_number(text) is None


# ---- counts ----------------------------------------------------------------------------------------------


def spans(found, text):
    return [(text[f.start : f.end], f.value) for f in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    table(
        ("45 personnel", [("45", 45)]),
        ("about 47,000 people", [("47,000", 47000)]),
        ("A total of 1,000,000 people", [("1,000,000", 1000000)]),
        ("nineteen soldiers", [("nineteen", 19)]),
        ("Forty-one staff", [("Forty-one", 41)]),
        ("thirty three staff", [("thirty three", 33)]),
        ("two hundred and fifty troops", [("two hundred and fifty", 250)]),
        ("Seven hundred and fifty troops", [("Seven hundred and fifty", 750)]),
        ("one hundred thousand refugees", [("one hundred thousand", 100000)]),
        ("a dozen officers", [("a dozen", 12)]),
        ("1.4 million refugees", [("1.4 million", 1400000)]),
        ("one officer", [("one", 1)]),
        ("a 250-strong company", [("250", 250)]),
        ("CTF 150", [("150", 150)]),
        ("5.5 tonnes and 7 trucks", [("7", 7)]),
        ("3.0 units", [("3.0", 3)]),
        ("four NZDF personnel and 12 police", [("four", 4), ("12", 12)]),
    ),
)
def test_counts(text, expected):
    assert spans(counts(text), text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1.5 tonnes", id="decimal"),
        pytest.param("$216,000", id="money-amount"),
        pytest.param("UN1325", id="digits-inside-a-word"),
        pytest.param("the 1990s", id="decade"),
        pytest.param("1,2", id="comma-not-thousands"),
        pytest.param("v1.5.2", id="version"),
        pytest.param("no number here", id="none"),
    ],
)
def test_no_counts(text):
    assert counts(text) == []


def test_counts_are_count_objects_with_offsets():
    text = "New Zealand is sending five Navy personnel."
    assert counts(text) == [Count(23, 27, 5)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("deployed in 2015", id="in-2015"),
        pytest.param("since 1999 there", id="since-1999"),
        pytest.param("in 2003-04 the", id="year-range-2003-04"),
    ],
)
def test_years_are_not_counts(text):
    assert counts(text) == []


# ---- money -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "amount", "currency"),
    table(
        ("$216,000", "$216,000", "216000", "NZD"),
        ("NZ$4 million", "NZ$4 million", "4000000", "NZD"),
        ("NZ$ 4 million", "NZ$ 4 million", "4000000", "NZD"),
        ("$1.5m", "$1.5m", "1500000", "NZD"),
        ("$1.5 m", "$1.5 m", "1500000", "NZD"),
        ("NZ$1.538 million", "NZ$1.538 million", "1538000", "NZD"),
        ("$27.08 million", "$27.08 million", "27080000", "NZD"),
        ("$3.3 million to assist", "$3.3 million", "3300000", "NZD"),
        ("$250k", "$250k", "250000", "NZD"),
        ("$5bn", "$5bn", "5000000000", "NZD"),
        ("$10 mn", "$10 mn", "10000000", "NZD"),
        ("$1,000.50", "$1,000.50", "1000.5", "NZD"),
        ("NZD 3 million", "NZD 3 million", "3000000", "NZD"),
        ("NZD$3 million", "NZD$3 million", "3000000", "NZD"),
        ("US$5 million", "US$5 million", "5000000", "USD"),
        ("USD 10 million", "USD 10 million", "10000000", "USD"),
        ("A$2 million", "A$2 million", "2000000", "AUD"),
        ("AU$2 million", "AU$2 million", "2000000", "AUD"),
        ("€2 million", "€2 million", "2000000", "EUR"),
        ("£500,000", "£500,000", "500000", "GBP"),
        ("half a million dollars", "half a million dollars", "500000", "NZD"),
        ("more than a million dollars", "a million dollars", "1000000", "NZD"),
        ("5 million dollars", "5 million dollars", "5000000", "NZD"),
        ("3 billion dollars", "3 billion dollars", "3000000000", "NZD"),
        ("forty thousand dollars", "forty thousand dollars", "40000", "NZD"),
        ("one hundred dollars", "one hundred dollars", "100", "NZD"),
        ("two million US dollars", "two million US dollars", "2000000", "USD"),
        ("5 million New Zealand dollars", "5 million New Zealand dollars", "5000000", "NZD"),
        ("5 Australian dollars", "5 Australian dollars", "5", "AUD"),
    ),
)
def test_money(text, span, amount, currency):
    [found] = money(text)
    assert text[found.start : found.end] == span
    assert found.amount == Decimal(amount)
    assert str(found.amount) == amount  # written out plainly: no exponent, no trailing ".0"
    assert found.currency == currency


def test_money_returns_money_objects_in_order():
    text = "$4 million to support the Coalition and US$2.5 million for demining"
    assert money(text) == [Money(0, 10, Decimal(4000000), "NZD"), Money(40, 54, Decimal(2500000), "USD")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("$0", id="zero"),
        pytest.param("US dollars", id="no-amount"),
        pytest.param("millions of dollars", id="vague"),
        pytest.param("45 personnel", id="count"),
    ],
)
def test_no_money(text):
    assert money(text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("paid in Fijian dollars", id="fijian"),
        pytest.param("salaries in Samoan dollars", id="samoan"),
    ],
)
def test_a_word_ending_in_an_is_not_an_amount(text):
    assert money(text) == []


# ---- dates -----------------------------------------------------------------------------------------------

RELEASED = dt.date(2008, 9, 30)


def when(text: str, today: dt.date | None = RELEASED) -> list[tuple[str, str, str, bool]]:
    return [(text[w.start : w.end], w.date.isoformat(), w.role, w.relative) for w in dates(text, today)]


@pytest.mark.parametrize(
    ("text", "span", "date", "role"),
    table(
        ("until 30 June 2023", "30 June 2023", "2023-06-30", "end"),
        ("to August 2009", "August 2009", "2009-08", "end"),
        ("since 1999", "1999", "1999", "start"),
        ("since September 2004", "September 2004", "2004-09", "start"),
        ("until June 2022", "June 2022", "2022-06", "end"),
        ("extended through to mid-2024", "mid-2024", "2024", "end"),
        ("by 31 May 2023", "31 May 2023", "2023-05-31", "end"),
        ("from June this year", "June this year", "2008-06", "start"),
        ("in May 1998", "May 1998", "1998-05", "at"),
        ("Sunday June 29, 2003", "Sunday June 29, 2003", "2003-06-29", "at"),
        ("on Monday, June 30", "June 30", "2008-06-30", "at"),
        ("will return in August", "August", "2009-08", "end"),
        ("in Sept.", "Sept.", "2008-09", "at"),
        ("30 Sept 2008", "30 Sept 2008", "2008-09-30", "at"),
        ("1-2 July 2008", "1-2 July 2008", "2008-07-01", "at"),
        ("September last year", "September last year", "2007-09", "at"),
        ("next March", "next March", "2009-03", "at"),
        ("the end of next year", "the end of next year", "2009-12", "at"),
        ("late 2021", "late 2021", "2021", "at"),
        ("deployed in November 2021", "November 2021", "2021-11", "start"),
        ("until 29 February 2008", "29 February 2008", "2008-02-29", "end"),
        ("Resolution 1830 (2008)", "2008", "2008", "at"),
    ),
)
def test_dates(text, span, date, role):
    assert when(text) == [(span, date, role, False)]


@pytest.mark.parametrize(
    ("text", "span", "date"),
    table(
        ("for a further year", "for a further year", "2009-09-30"),
        ("for a further 12 months", "for a further 12 months", "2009-09-30"),
        ("for another two years", "for another two years", "2010-09-30"),
        ("for a further six months", "for a further six months", "2009-03-30"),
        ("for an additional three months", "for an additional three months", "2008-12-30"),
    ),
)
def test_relative_periods_count_from_the_release_date(text, span, date):
    assert when(text) == [(span, date, "end", True)]


def test_relative_period_clamps_to_the_end_of_the_month():
    assert when("for a further year", dt.date(2020, 2, 29)) == [
        ("for a further year", "2021-02-28", "end", True)
    ]
    assert when("for a further month", dt.date(2020, 1, 31)) == [
        ("for a further month", "2020-02-29", "end", True)
    ]


def test_a_stated_end_and_a_relative_period_both_come_back():
    text = "to be extended for a further year, to 31 December 2009"
    assert when(text) == [
        ("for a further year", "2009-09-30", "end", True),
        ("31 December 2009", "2009-12-31", "end", False),
    ]


def test_start_and_end_in_one_sentence():
    assert when("deployed in 2003 until 2004") == [
        ("2003", "2003", "start", False),
        ("2004", "2004", "end", False),
    ]


def test_dates_returns_when_objects():
    text = "until 30 June 2023"
    assert dates(text, RELEASED) == [When(6, 18, PartialDate(2023, 6, 30), "end")]


@pytest.mark.parametrize(
    ("text", "released", "span", "date", "role"),
    [
        pytest.param(
            "Since December", dt.date(2020, 3, 30), "December", "2019-12", "start", id="start-lies-behind"
        ),
        pytest.param(
            "in December", dt.date(2020, 3, 30), "December", "2019-12", "at", id="event-lies-behind"
        ),
        pytest.param("until March", dt.date(2020, 6, 1), "March", "2021-03", "end", id="end-lies-ahead"),
        pytest.param("until June", dt.date(2020, 6, 1), "June", "2020-06", "end", id="end-in-release-month"),
        pytest.param(
            "since June", dt.date(2020, 6, 1), "June", "2020-06", "start", id="start-in-release-month"
        ),
        pytest.param(
            "next March", dt.date(2020, 6, 1), "next March", "2021-03", "at", id="next-month-passed"
        ),
        pytest.param(
            "this August", dt.date(2020, 6, 1), "this August", "2020-08", "at", id="this-month-ahead"
        ),
    ],
)
def test_a_month_without_a_year_takes_the_nearest_year(text, released, span, date, role):
    assert when(text, released) == [(span, date, role, False)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("31 February 2020", id="31-february"),
        pytest.param("until 29 February 2009", id="29-february-not-leap"),
        pytest.param("on February 30", id="february-30-no-year"),
        pytest.param("the 1990s", id="decade"),
        pytest.param("in 2003-04", id="year-range"),
        pytest.param("$2008 million", id="money"),
        pytest.param("The troops may return", id="may-the-verb"),
        pytest.param("May", id="bare-month-no-preposition"),
    ],
)
def test_no_dates(text):
    assert dates(text, RELEASED) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("for a further year", id="further-year"),
        pytest.param("from June this year", id="this-year"),
        pytest.param("until March", id="bare-month"),
        pytest.param("on Monday, June 30", id="month-day"),
        pytest.param("next March", id="next-month"),
        pytest.param("the end of next year", id="end-of-next-year"),
    ],
)
def test_relative_forms_need_a_release_date(text):
    assert dates(text, None) == []


def test_absolute_dates_need_no_release_date():
    assert when("until 30 June 2023, since 1999", None) == [
        ("30 June 2023", "2023-06-30", "end", False),
        ("1999", "1999", "start", False),
    ]


def test_day_of_month_year():
    assert when("on the 21st of June 2008") == [("21st of June 2008", "2008-06-21", "at", False)]


# ---- PartialDate -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "date"),
    table(
        ("2023", PartialDate(2023)),
        ("2023-06", PartialDate(2023, 6)),
        ("2023-06-03", PartialDate(2023, 6, 3)),
        ("0999-01-01", PartialDate(999, 1, 1)),
    ),
)
def test_partial_date_isoformat(iso, date):
    assert date.isoformat() == iso


@pytest.mark.parametrize(
    ("finer", "coarser", "expected"),
    [
        pytest.param(PartialDate(2023, 6, 30), PartialDate(2023, 6), True, id="day-refines-month"),
        pytest.param(PartialDate(2023, 6, 30), PartialDate(2023), True, id="day-refines-year"),
        pytest.param(PartialDate(2023, 6), PartialDate(2023), True, id="month-refines-year"),
        pytest.param(PartialDate(2023, 6), PartialDate(2023, 6), True, id="same-refines-itself"),
        pytest.param(PartialDate(2023, 6), PartialDate(2023, 6, 30), False, id="month-does-not-refine-day"),
        pytest.param(PartialDate(2023), PartialDate(2023, 6), False, id="year-does-not-refine-month"),
        pytest.param(PartialDate(2023, 10), PartialDate(2023, 1), False, id="october-is-not-january"),
        pytest.param(PartialDate(2023, 6, 30), PartialDate(2024), False, id="other-year"),
    ],
)
def test_partial_date_refines(finer, coarser, expected):
    assert finer.refines(coarser) is expected


def test_partial_dates_of_one_precision_order():
    assert sorted([PartialDate(2023, 7), PartialDate(2022, 12), PartialDate(2023, 6)]) == [
        PartialDate(2022, 12),
        PartialDate(2023, 6),
        PartialDate(2023, 7),
    ]


def test_partial_dates_of_mixed_precision_order():
    assert sorted([PartialDate(2023, 6), PartialDate(2023)]) == [PartialDate(2023), PartialDate(2023, 6)]


@pytest.mark.parametrize(
    ("text", "span", "date", "role"),
    table(
        ("since the mission was first established in 1999", "1999", "1999", "start"),
        ("a member since its establishment in 1982", "1982", "1982", "start"),
        ("personnel were shifted to the newly formed mission in 2012", "2012", "2012", "start"),
        ("the engineers will deploy in early 2017", "early 2017", "2017", "start"),
        ("a task group deploying to the island in May 2006", "May 2006", "2006-05", "start"),
        ("which concluded in April 2020", "April 2020", "2020-04", "end"),
        ("the contingent will return home this week", "this week", "2008-09", "end"),
        ("the flag will be lowered tomorrow", "tomorrow", "2008-10-01", "at"),
        ("the deployment ends today", "today", "2008-09-30", "end"),
        ("a crew will join the ship from early December", "early December", "2008-12", "start"),
        ("a crew has been on the ship since December", "December", "2007-12", "start"),
    ),
)
def test_starts_ends_and_days_said_in_words(text, span, date, role):
    assert when(text) == [(span, date, role, False)]


@pytest.mark.parametrize("text", ["the Minister said today", "will withdraw, the Minister announced today"])
def test_the_day_something_is_said_is_no_date_of_it(text):
    assert dates(text, RELEASED) == []


def test_that_year_is_the_year_named_before():
    text = "The monitors deployed to the island in November that year."
    assert [(w.date.isoformat(), w.role) for w in dates(text, RELEASED, earlier_year=1997)] == [("1997-11", "start")]
    assert dates(text, RELEASED) == []


def test_a_period_between_two_dates_starts_and_ends():
    assert when("deployed to the Sinai between May 2020 and 2023") == [
        ("May 2020", "2020-05", "start", False), ("2023", "2023", "end", False)]


@pytest.mark.parametrize(
    ("text", "span", "date", "role"),
    table(
        ("until the end of 2014", "the end of 2014", "2014-12", "end"),
        ("from the start of 2015", "the start of 2015", "2015-01", "start"),
        ("through to mid-2024", "mid-2024", "2024", "end"),
        ("will be posted from 1 July", "1 July", "2009-07-01", "start"),
        ("returned on 14 March", "14 March", "2008-03-14", "at"),
        ("will stay until the end of June", "the end of June", "2009-06", "end"),
        ("deployed on 2 December last year", "2 December last year", "2007-12-02", "start"),
        ("will return by the end of the year", "the end of the year", "2008-12", "end"),
        ("will arrive in Juba on Thursday", "Thursday", "2008-10-02", "start"),
        ("landed at Ohakea on Tuesday", "Tuesday", "2008-09-30", "at"),
        ("landed at Ohakea on Monday", "Monday", "2008-09-29", "at"),
    ),
)
def test_parts_of_years_and_days_without_a_year(text, span, date, role):
    assert when(text) == [(span, date, role, False)]
