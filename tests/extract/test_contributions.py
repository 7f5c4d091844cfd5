"""Contributions: a careful reader's rules, each on a short release written for the rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from nzkg.extract import extract
from nzkg.facts import ENDED
from nzkg.release import read_release
from nzkg.vocab import Vocabulary

FRONT = "---\ntitle: Test release\ndate: 2008-09-30\n---\n\n"


@dataclass(frozen=True)
class Read:
    """What a reader takes from one contribution: its target and figures, each with its kind, and its life."""

    target: str
    personnel: int | None = None
    personnel_kind: str | None = None
    amount: str | None = None
    amount_kind: str | None = None
    start: str | None = None
    end: str | None = None
    over: bool = False


@pytest.fixture
def readings(vocab: Vocabulary, tmp_path: Path):
    """Every contribution a release states, as a `Read`."""
    def read(body: str, front: str = FRONT) -> list[Read]:
        path = tmp_path / "release.md"
        path.write_text(front + body)
        return [Read(target=(c.operation or c.recipient).label,
                     personnel=c.personnel, personnel_kind=c.personnel_kind if c.personnel is not None else None,
                     amount=str(c.amount) if c.amount is not None else None,
                     amount_kind=c.amount_kind if c.amount is not None else None,
                     start=c.start.isoformat() if c.start else None, end=c.end.isoformat() if c.end else None,
                     over=c.status in ENDED)
                for c in extract(read_release(path), vocab).contributions]
    return read


@pytest.fixture
def contributions(readings):
    """(target label, personnel, amount, end) for each contribution a release states."""
    def read(body: str, front: str = FRONT) -> list[tuple[str, int | None, str | None, str | None]]:
        return [(r.target, r.personnel, r.amount, r.end) for r in readings(body, front)]
    return read


UNMISS = "United Nations Mission in the Republic of South Sudan"
MFO = "Multinational Force and Observers"


def test_personnel_for_the_operation_the_clause_names(contributions) -> None:
    found = contributions("New Zealand will deploy three NZDF personnel to the United Nations Mission in South "
                          "Sudan (UNMISS) until March 2010.")
    assert found == [(UNMISS, 3, None, "2010-03")]


@pytest.mark.parametrize("body", [
    "The 38 officers from 27 countries provided advice to UNMISS, New Zealand said.",
    "Over 47,000 Iraqi Security Forces personnel have been trained at Taji by New Zealand.",
    "New Zealand has 12 personnel in UNMISS. Up to six of the additional personnel will join UNMISS.",
], ids=["from-27-countries", "their-forces", "part-of-a-figure"])
def test_figures_that_are_not_new_zealand_s_own(contributions, body: str) -> None:
    assert all(personnel not in (38, 47000, 6) for _, personnel, _, _ in contributions(body))


def test_no_new_zealand_in_sight_no_contribution(contributions) -> None:
    assert contributions("UNMISS has 17,000 troops. It patrols Juba.") == []


def test_strong_person_and_unit_of_figures(contributions) -> None:
    found = contributions("New Zealand sent a 250-strong infantry company to UNPROFOR. "
                          "New Zealand added a three-person boat crew to UNPROFOR. "
                          "New Zealand also sent a team of six to UNPROFOR.")
    assert [personnel for _, personnel, _, _ in found] == [250, 3, 6]


def test_a_single_officer_counts_when_new_zealand_provides_one(contributions) -> None:
    assert contributions("New Zealand has provided a military officer to UNMISS since 2011.") == [
        (UNMISS, 1, None, None)]
    assert contributions("Earlier this year a New Zealand officer commanded UNMISS.") == []


def test_a_lead_sentence_takes_the_next_operation_that_fits_its_places(readings) -> None:
    found = readings("New Zealand will deploy 25 NZDF personnel to a peacekeeping mission in the Sinai "
                     "Peninsula.\n\nNew Zealand has been a member of the Multinational Force and Observers "
                     "since 1982.")
    assert found == [Read(MFO, 25, "strength"), Read(MFO, start="1982")]


def test_a_lead_sentence_elsewhere_takes_nothing(contributions) -> None:
    found = contributions("New Zealand will send 50 NZSAS personnel to Afghanistan.\n\n"
                          "New Zealand also leads the Provincial Reconstruction Team in Bamyan.")
    assert found == []


def test_the_operation_in_focus_carries_to_sentences_whose_places_fit(contributions) -> None:
    found = contributions("New Zealand is extending its UNMISS deployment. We have 4 personnel in Juba. "
                          "At its peak we had a 250-strong company in Bosnia.")
    assert found == [(UNMISS, 4, None, None)]


def test_an_end_said_on_its_own_applies_to_the_figures_before_it(contributions) -> None:
    found = contributions("New Zealand currently deploys four NZDF personnel to UNMISS. "
                          "The mandate for these roles has been extended until June 2010.")
    assert found == [(UNMISS, 4, None, "2010-06")]


def test_an_end_said_first_waits_for_the_figures(contributions) -> None:
    found = contributions("New Zealand's presence in South Sudan is to be extended until September 2010. "
                          "The deployment of three personnel with UNMISS continues.")
    assert found == [(UNMISS, 3, None, "2010-09")]


def test_a_un_mandate_date_is_not_new_zealand_s(contributions) -> None:
    found = contributions("New Zealand has one officer with UNMISS. The UN Security Council extended the "
                          "UNMISS mandate to August 2009.")
    assert found == [(UNMISS, 1, None, None)]


def test_a_further_year_counts_from_the_release_date(contributions) -> None:
    found = contributions("New Zealand's two officers in UNMISS will stay for a further year.")
    assert found == [(UNMISS, 2, None, "2009-09-30")]
    undated = contributions("New Zealand's two officers in UNMISS will stay for a further year.", front="")
    assert undated == [(UNMISS, 2, None, None)]


def test_a_stated_date_beats_a_counted_one(contributions) -> None:
    found = contributions("New Zealand's two officers in UNMISS are extended for a further year, to 31 December "
                          "2009.")
    assert found == [(UNMISS, 2, None, "2009-12-31")]


def test_money_to_each_named_recipient(contributions) -> None:
    found = contributions("New Zealand is providing $1 million to the World Food Programme, and half a million "
                          "dollars each to the Red Cross and the UN's children's agency, UNICEF. Further sums of "
                          "$300,000 will go to both the UN's Office for the Coordination of Humanitarian Affairs "
                          "(OCHA) and to the UN demining agency UNMAS.")
    amounts = {(target, amount) for target, _, amount, _ in found}
    assert amounts == {
        ("World Food Programme", "1000000"),
        ("International Committee of the Red Cross", "500000"),
        ("United Nations Children's Fund", "500000"),
        ("United Nations Office for the Coordination of Humanitarian Affairs", "300000"),
        ("United Nations Mine Action Service", "300000"),
    }


def test_money_for_the_operation_in_focus(contributions) -> None:
    found = contributions("New Zealand has one officer with UNMISS. The deployment will cost an estimated "
                          "$216,000.")
    assert (UNMISS, None, "216000", None) in found


@pytest.mark.parametrize("body", [
    "New Zealand has one officer with UNMISS. We have also contributed aid worth $17 million to South Sudan.",
    "New Zealand has one officer with UNMISS. New Zealand had spent $130 million on development in South Sudan.",
    "New Zealand has one officer with UNMISS. NZAID is contributing $16 million, largely for education.",
], ids=["to-a-country", "running-total", "aid"])
def test_money_that_is_not_an_operation_s_cost(contributions, body: str) -> None:
    assert all(amount is None for _, _, amount, _ in contributions(body))


def test_several_sums_each_go_to_their_own_target(contributions) -> None:
    found = contributions("New Zealand has one officer with UNMISS. Spending will be $27.08 million for UNMISS "
                          "and $3.91 million to cover other costs.")
    assert [amount for _, _, amount, _ in found if amount] == ["27080000"]


def test_part_of_a_figure_returning_home_is_not_a_new_contribution(contributions) -> None:
    found = contributions("Since December we have had 45 personnel with UNMISS in Juba. 28 personnel arrived "
                          "back in New Zealand last week.")
    assert found == [(UNMISS, 45, None, None)]


def test_a_list_of_postings_gives_one_contribution_each(contributions) -> None:
    found = contributions("New Zealand's deployments will continue: three personnel with the International "
                          "Security Assistance Force; one with UNAMA; and one with the Combined Forces Command – "
                          "Afghanistan in Kabul.")
    assert [personnel for _, personnel, _, _ in found] == [3, 1, 1]
    assert found[0][0] == "International Security Assistance Force"


def test_the_same_figure_said_twice_is_one_contribution_with_the_finer_end(contributions) -> None:
    found = contributions("- Military contribution to UNMISS to end in June 2010\n\n"
                          "New Zealand will continue the deployment of two NZDF personnel to UNMISS until 30 June "
                          "2010. This is the extension of a deployment of two personnel to UNMISS.")
    assert found == [(UNMISS, 2, None, "2010-06-30")]


def test_evidence_is_the_exact_sentence(vocab: Vocabulary, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    sentence = "New Zealand will deploy three NZDF personnel to UNMISS."
    path.write_text(FRONT + "Intro line here.\n\n" + sentence + " Another sentence.")
    [contribution] = extract(read_release(path), vocab).contributions
    assert contribution.evidence == [sentence]
    assert contribution.status == "announced"


def test_an_operation_s_end_that_no_figure_takes_is_a_contribution_of_its_own(contributions) -> None:
    found = contributions("New Zealand's commitments to maritime security, including the Combined Maritime "
                          "Forces in Bahrain, will continue for a further two years until June 2026.")
    assert found == [("Combined Maritime Forces", None, None, "2026-06")]


def test_an_end_said_of_these_figures_reaches_every_one_of_them(contributions) -> None:
    found = contributions("New Zealand's contributions include the three-person commitment to UNMISS and the "
                          "eight-person contribution to UNTSO. These are now extended until September 2010.")
    assert [(personnel, end) for _, personnel, _, end in found] == [(3, "2010-09"), (8, "2010-09")]


def test_an_end_already_past_is_history(contributions) -> None:
    found = contributions("New Zealand has four personnel in UNMISS. The Defence Force had personnel deployed "
                          "to Sudan from 2005 to 2007.")
    assert found == [(UNMISS, 4, None, None)]


def test_by_a_date_a_change_is_done_is_not_an_end(contributions) -> None:
    found = contributions("By March 2009, the number of NZDF personnel will have decreased. This will comprise "
                          "two personnel within UNMISS headquarters.")
    assert found == [(UNMISS, 2, None, None)]


def test_a_former_figure_is_not_a_contribution(contributions) -> None:
    found = contributions("The NZDF contribution to UNMISS will now consist of up to 75 personnel, rather than "
                          "up to 140 personnel.")
    assert found == [(UNMISS, 75, None, None)]


def test_personnel_from_several_countries_are_not_new_zealand_s(contributions) -> None:
    found = contributions("New Zealand has 12 personnel in UNMISS. Over 2000 police, military and civilian "
                          "personnel from New Zealand, Australia and Fiji have served with UNMISS.")
    assert found == [(UNMISS, 12, None, None)]


def test_one_person_who_will_join(contributions) -> None:
    found = contributions("A further person will join New Zealand's contribution of four personnel to UNMISS.")
    assert sorted(personnel for _, personnel, _, _ in found) == [1, 4]


def test_a_recipient_named_before_the_sum_and_conversions_ignored(contributions) -> None:
    found = contributions("New Zealand will increase its support to the World Food Programme, with a further "
                          "2.5 million NZ dollars (1.5 million U.S. dollars) contribution.")
    assert found == [("World Food Programme", None, "2500000", None)]


def test_a_sum_that_lost_its_million_is_not_a_contribution(contributions) -> None:
    found = contributions("New Zealand says $3 million will be provided through the World Food Programme and $3 "
                          "to the Food and Agriculture Organisation.")
    assert found == [("World Food Programme", None, "3000000", None)]


def test_a_dateline_between_new_zealand_and_the_figure_keeps_the_context(contributions) -> None:
    found = contributions("New Zealand Defence Force deployments were extended.\n\n27 May, 2008\n\n"
                          "The announcement includes the three-person commitment to UNMISS.")
    assert found == [(UNMISS, 3, None, None)]


def test_each_operation_of_a_list_takes_its_own_end(contributions) -> None:
    found = contributions("New Zealand renewed its contribution to three missions: UNMISS to July 2010; UNTSO to "
                          "September 2010; and the Multinational Force and Observers to March 2011. New Zealand "
                          "has three NZDF personnel in South Sudan, where the mission is led by a New Zealander; "
                          "it has up to eight unarmed personnel in UNTSO.")
    assert (UNMISS, 3, None, "2010-07") in found
    assert ("United Nations Truce Supervision Organization", 8, None, "2010-09") in found
    assert (MFO, None, None, "2011-03") in found


def test_personnel_who_join_an_organisation_go_to_it(contributions) -> None:
    found = contributions("Up to 15 New Zealand Defence Force (NZDF) personnel will help with mine clearance in "
                          "Iraq. The personnel would be part of the United Nations Mine Action Service (UNMAS).")
    assert found == [("United Nations Mine Action Service", 15, None, None)]


def test_a_described_un_mission_is_the_one_in_that_place_at_that_time(contributions) -> None:
    found = contributions("New Zealand will contribute two military observers to the United Nations peacekeeping "
                          "mission in Sudan.", front="---\ntitle: t\ndate: 2005-05-16\n---\n\n")
    assert found == [("United Nations Mission in Sudan", 2, None, None)]


def test_a_sum_for_something_unnamed_goes_nowhere(contributions) -> None:
    found = contributions("New Zealand contributed $2 million to the UN consolidated appeal and $500,000 to the "
                          "World Food Programme.")
    assert found == [("World Food Programme", None, "500000", None)]


def test_an_end_said_of_the_release_s_one_operation(contributions) -> None:
    found = contributions("New Zealand military personnel are to keep training the army until at least the end "
                          "of next year. The academy is part of the Resolute Support Mission.",
                          front="---\ntitle: t\ndate: 2015-04-20\n---\n\n")
    assert found == [("Resolute Support Mission", None, None, "2016-12")]


# ---- what kind of figure: strengths and totals, grants and costs ------------------------------------------


@pytest.mark.parametrize(("body", "personnel", "kind"), [
    ("More than 4,000 New Zealand personnel have served with UNMISS.", 4000, "total"),
    ("Major Smith is the last of twelve New Zealand officers posted to UNMISS since 2011.", 12, "total"),
    ("A total of 300 NZDF personnel rotated through UNMISS between 2011 and 2015.", 300, "total"),
    ("New Zealand has deployed more than 3,500 personnel to UNMISS since 2001.", 3500, "total"),
    ("New Zealand has deployed more than 1,000 personnel to UNMISS over the past decade.", 1000, "total"),
    ("At its peak, New Zealand had 1,000 troops with UNMISS.", 1000, "strength"),
    ("Since 2011 we have had three officers in UNMISS.", 3, "strength"),
    ("New Zealand has 12 personnel serving with UNMISS in Juba.", 12, "strength"),
], ids=["have-served", "last-of-sent-since", "a-total-of", "deployed-since-years", "over-the-past-decade",
        "at-its-peak", "have-had-since", "serving"])
def test_a_figure_of_people_is_a_strength_or_a_total(readings, body: str, personnel: int, kind: str) -> None:
    [found] = [r for r in readings(body) if r.personnel is not None]
    assert (found.personnel, found.personnel_kind) == (personnel, kind)


@pytest.mark.parametrize(("body", "kind"), [
    ("New Zealand has one officer with UNMISS. The two-year extension is expected to cost NZ$4.5 million.", "cost"),
    ("New Zealand has eight personnel with UNMISS. The deployment has been budgeted at $2 million.", "cost"),
    ("New Zealand has eight personnel with UNMISS. Defence spending of $3 million for UNMISS is approved.", "cost"),
    ("New Zealand will give $2 million to UNICEF to cover the costs of vaccines in South Sudan.", "grant"),
    ("New Zealand has one officer with UNMISS. It will also give $500,000 to UNMISS's trust fund for "
     "peacebuilding.", "grant"),
], ids=["extension-will-cost", "budgeted", "defence-spending", "costs-of-a-recipient", "given-to-a-fund"])
def test_a_sum_is_a_grant_or_what_the_deployment_costs(readings, body: str, kind: str) -> None:
    [found] = [r for r in readings(body) if r.amount is not None]
    assert found.amount_kind == kind


# ---- changes of strength ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "strength"), [
    ("Two more NZDF officers will join the existing New Zealand team of three at UNMISS.", 5),
    ("New Zealand will deploy an additional three personnel to UNMISS, bringing the total to 11.", 11),
    ("New Zealand will deploy up to 20 additional personnel to UNMISS, increasing its contribution from 10 to "
     "up to 30 personnel.", 30),
    ("New Zealand will reduce its contingent in UNMISS from 40 to 25 personnel.", 25),
], ids=["more-join-the-existing", "bringing-the-total-to", "from-to", "reduced"])
def test_a_change_of_strength_gives_the_strength_after_it(readings, body: str, strength: int) -> None:
    assert [r.personnel for r in readings(body)] == [strength]


@pytest.mark.parametrize(("body", "personnel"), [
    ("New Zealand will send 12 NZDF personnel to UNMISS, including a seven-person medical team.", [12]),
    ("New Zealand will send 12 personnel to UNMISS: eight engineers, two medics and two drivers.", [12]),
    ("The UNMISS engineering company deployed in 2009 with 250 personnel, including 150 from New Zealand.", [150]),
], ids=["including", "colon-list", "part-that-is-new-zealand-s"])
def test_parts_of_a_figure_are_not_figures_of_their_own(readings, body: str, personnel: list[int]) -> None:
    assert [r.personnel for r in readings(body) if r.personnel] == personnel


# ---- when: starts, durations, ends said as events, and what is over --------------------------------------


@pytest.mark.parametrize(("body", "start"), [
    ("New Zealand has supported UNTSO since it was set up in 1954.", "1954"),
    ("New Zealand first deployed to the Multinational Force and Observers in 1982.", "1982"),
    ("New Zealand's involvement in UNTSO began in 1954.", "1954"),
    ("Since March we have had eight personnel in UNTSO.", "2008-03"),
    ("New Zealand will contribute up to 10 NZDF personnel to UNMISS from February 2009.", "2009-02"),
    ("Defence Force personnel moved to the newly formed United Nations Mission in South Sudan in 2011.", "2011"),
], ids=["since-set-up-in", "first-deployed-in", "began-in", "since-a-month", "from", "moved-to-in"])
def test_when_new_zealand_s_part_began(readings, body: str, start: str) -> None:
    assert [r.start for r in readings(body)] == [start]


def test_each_operation_takes_its_own_start(readings) -> None:
    found = readings("New Zealand personnel have served in UNMISS since 2011 and in UNTSO since 1954.")
    assert {(r.target, r.start) for r in found} == {(UNMISS, "2011"), ("United Nations Truce Supervision "
                                                                       "Organization", "1954")}


@pytest.mark.parametrize("body", [
    "New Zealand has had a presence in South Sudan since 2005 and currently has three personnel with UNMISS.",
    "A weapons plan for South Sudan commenced in May 2001. New Zealand has three personnel with UNMISS.",
    "New Zealand has taken part in operations in Sudan since 2005 and now supports UNMISS.",
], ids=["another-clause-s-start", "not-new-zealand-s", "an-unnamed-operation-s"])
def test_a_start_that_is_not_the_operation_s(readings, body: str) -> None:
    assert [r.start for r in readings(body)] == [None] * len(readings(body))


@pytest.mark.parametrize(("body", "start", "end"), [
    ("New Zealand will contribute up to 10 NZDF personnel to UNMISS for a period of 12 months from February "
     "2009.", "2009-02", "2010-02"),
    ("New Zealand will deploy eight personnel to UNTSO for six months.", None, "2009-03-30"),
    ("New Zealand will deploy eight personnel to UNTSO for up to 180 days from June this year.", "2008-06",
     "2008-12"),
], ids=["months-from-a-start", "months-from-the-release", "days-from-a-month"])
def test_a_duration_is_counted_into_the_end(readings, body: str, start: str | None, end: str) -> None:
    [found] = readings(body)
    assert (found.start, found.end) == (start, end)


def test_a_duration_that_has_already_run_ends_nothing(readings) -> None:
    assert [r.end for r in readings("The mission has been running for ten years and New Zealand has four "
                                    "officers in UNTSO.")] == [None]


@pytest.mark.parametrize(("body", "end"), [
    ("New Zealand's contribution to UNMISS has concluded.", None),
    ("The last New Zealand personnel left Juba on Friday, bringing our UNMISS deployment to an end.", "2008-09-26"),
    ("New Zealand's deployment to UNMISS concluded in 2007, Defence Minister Phil Goff said.", "2007"),
    ("New Zealand's UNMISS contingent returned home last week.", "2008-09"),
    ("The last contingent of New Zealand troops will return from South Sudan this week, ending New Zealand's "
     "presence there. The NZDF contingent of 80 personnel was part of UNMISS.", "2008-09"),
    ("New Zealand will lower the flag on UNMISS on Monday, October 6.", "2008-10-06"),
    ("In May 1998 UNMISS was replaced by UNTSO, and the number of NZDF personnel was reduced.", "1998-05"),
], ids=["has-concluded", "brought-to-an-end", "concluded-in", "returned-home-last-week", "lead-sentence-this-week",
        "lower-the-flag-on-monday", "was-replaced-by"])
def test_a_contribution_the_release_says_is_over(readings, body: str, end: str | None) -> None:
    found = [r for r in readings(body) if r.target == UNMISS]
    assert found and all(r.over for r in found)
    assert [r.end for r in found] == [end] * len(found)


@pytest.mark.parametrize("body", [
    "New Zealand will withdraw its personnel from UNMISS by June 2011.",
    "New Zealand has four personnel in UNMISS. They will return home in December.",
    "The NZDF personnel serving with UNMISS will return home next year when the deployment concludes.",
    "New Zealand's contribution to UNMISS has not ended.",
    "The Prime Minister completed her visit to the troops of UNMISS today.",
    "Cabinet concluded that New Zealand should keep four personnel in UNMISS.",
], ids=["withdraw-by-a-later-date", "return-home-later", "when-it-concludes", "not-ended", "a-visit-completed",
        "concluded-that"])
def test_an_end_announced_for_later_or_denied_is_not_over(readings, body: str) -> None:
    assert not any(r.over for r in readings(body))


def test_those_who_stay_are_not_over_when_the_contingent_leaves(readings) -> None:
    found = readings("The UNMISS contingent of New Zealand troops returned home last week. New Zealand will keep "
                     "five personnel in UNMISS, continuing to mentor the local army.")
    assert sorted((r.personnel or 0, r.over, r.end) for r in found) == [(0, True, "2008-09"), (5, False, None)]


# ---- money placed by the release as a whole --------------------------------------------------------------


@pytest.mark.parametrize(("body", "recipient"), [
    ("New Zealand will give another $4 million to help people displaced by the conflict. The money will support "
     "the World Food Programme's operations in Jordan.", "World Food Programme"),
    ("New Zealand will provide $2 million in humanitarian assistance to Myanmar. Mr Goff said New Zealand's "
     "contribution would go to the Office of the United Nations High Commissioner for Refugees (UNHCR).",
     "Office of the United Nations High Commissioner for Refugees"),
    ("New Zealand will provide an additional $3 million in humanitarian support. This brings New Zealand's total "
     "contribution to $10 million. The new funding will go to the World Food Programme.", "World Food Programme"),
    ("New Zealand will give UNICEF $500,000 for its work in Gaza.", "United Nations Children's Fund"),
    ("The funding is split as follows: UNICEF ($2 million) and the World Food Programme ($1 million), New Zealand "
     "said.", "United Nations Children's Fund"),
    ("New Zealand is providing NZ$500,000 in aid for the people of Gaza, delivered through the International "
     "Committee of the Red Cross.", "International Committee of the Red Cross"),
    ("New Zealand will contribute $1.5 million, which will be channelled through UNICEF, to help children in "
     "Syria.", "United Nations Children's Fund"),
], ids=["the-money-will-support", "contribution-would-go-to", "past-a-running-total", "give-someone-a-sum",
        "labelled-sums", "delivered-through", "channelled-through"])
def test_a_sum_goes_to_the_recipient_the_release_names_for_it(readings, body: str, recipient: str) -> None:
    found = readings(body)
    assert found[0].target == recipient and found[0].amount_kind == "grant"
    assert all(r.amount != "10000000" for r in found)


def test_a_sum_said_again_with_no_recipient_goes_nowhere(readings) -> None:
    assert readings("New Zealand is committing $3 million in emergency relief. The money will be distributed to "
                    "a number of United Nations agencies.") == []


def test_a_team_referred_to_by_its_head_in_lower_case(readings) -> None:
    found = readings("New Zealand leads the Provincial Reconstruction Team in Bamyan. The reconstruction team of "
                     "120 personnel will stay until September 2009.")
    assert found == [Read("New Zealand Provincial Reconstruction Team", 120, "strength", end="2009-09")]


# ---- readings found by probing with invented releases ----------------------------------------------------


def test_sums_labelled_by_their_operation(readings) -> None:
    found = readings("New Zealand has eight personnel with UNTSO and 26 with the Multinational Force and Observers. "
                     "Extending the MFO deployment is expected to cost $7.1 million over two years, UNTSO $3.2 "
                     "million and UNMISS $1.4 million.")
    costs = {(r.target, r.amount, r.amount_kind) for r in found if r.amount}
    assert costs == {(MFO, "7100000", "cost"), ("United Nations Truce Supervision Organization", "3200000", "cost"),
                     (UNMISS, "1400000", "cost")}


@pytest.mark.parametrize(("body", "strength"), [
    ("The number of NZDF personnel with UNMISS will reduce from up to 20 to up to 12 as the mission changes.", 12),
    ("The captain joins the four other NZDF officers serving with UNMISS.", 5),
], ids=["number-of-personnel-from-to", "joins-the-n-other"])
def test_strengths_said_without_their_noun(readings, body: str, strength: int) -> None:
    assert [r.personnel for r in readings(body)] == [strength]


@pytest.mark.parametrize(("body", "personnel", "kind"), [
    ("Since July 2003, more than 1,800 NZDF personnel have deployed to UNMISS.", 1800, "total"),
    ("More than 950 NZDF personnel had deployed to UNMISS across eight rotations.", 950, "total"),
    ("Nine New Zealand officers have held the post with UNMISS, one after another.", 9, "total"),
    ("Three hundred New Zealanders have now worn the blue beret with UNTSO.", 300, "total"),
    ("A New Zealand captain has become the 300th New Zealand Defence Force member to deploy with UNTSO.", 300,
     "total"),
    ("New Zealand has contributed a military liaison officer to UNMISS since September 2004.", 1, "strength"),
], ids=["since-a-date-first", "across-rotations", "one-after-another", "worn-the-blue-beret", "the-300th",
        "one-officer-since"])
def test_more_ways_of_saying_a_total(readings, body: str, personnel: int, kind: str) -> None:
    assert (personnel, kind) in {(r.personnel, r.personnel_kind) for r in readings(body)}


@pytest.mark.parametrize("body", [
    "New Zealand has three officers with UNMISS. UNMISS has around 1,500 staff, most of them South Sudanese.",
    "New Zealand has three officers with UNMISS. UNMISS's 7,000 troops come from 60 countries.",
    "New Zealand has three officers with UNMISS. UNMISS is authorised to deploy up to 7,000 military personnel "
    "and 900 civilian police.",
    "New Zealand has three officers with UNMISS. The New Zealand team trains and tests over 1800 personnel a year.",
], ids=["the-mission-has", "the-mission-s", "authorised-to-deploy-and-a-list", "trainees"])
def test_figures_of_the_mission_itself_or_its_trainees(readings, body: str) -> None:
    assert [r.personnel for r in readings(body) if r.personnel] == [3]


def test_where_people_flew_from_is_not_where_they_are_from(readings) -> None:
    found = readings("The last New Zealand soldiers serving with UNMISS arrived home last night. The final group of "
                     "30 personnel landed at Ohakea on a chartered flight from Juba.")
    assert [r.personnel for r in found if r.personnel] == [30]


def test_a_figure_under_an_unnamed_programme_is_no_operation_s(readings) -> None:
    found = readings("New Zealand has three officers with UNMISS. Around 25 New Zealand Police officers will stay "
                     "on under a bilateral community policing programme.")
    assert [r.personnel for r in found if r.personnel] == [3]


def test_an_operation_named_as_another_s_part(readings) -> None:
    found = readings("New Zealand will keep around 25 police officers in RAMSI's Participating Police Force for a "
                     "further four years.")
    assert [r.target for r in found] == ["Participating Police Force"]


def test_the_deployment_named_in_the_next_sentence(readings) -> None:
    found = readings("An RNZAF P-8A Poseidon and around 45 personnel will deploy to Japan from early September "
                     "until mid-October. The deployment, known as Operation Whio, will be based at Kadena.")
    assert [(r.target, r.personnel, r.start, r.end) for r in found] == [("Operation Whio", 45, "2008-09", "2008-10")]


def test_an_operation_s_end_said_without_new_zealand_ends_only_new_zealand_s_stated_part(readings) -> None:
    found = readings("The Multinational Force and Observers has come to an end.\n\nThe weather was fine.\n\n"
                     "New Zealand has 26 personnel with the Multinational Force and Observers.")
    assert [(r.personnel, r.over) for r in found] == [(26, True)]
    assert readings("The Multinational Force and Observers has come to an end.") == []


def test_a_period_stated_in_the_past_is_over(readings) -> None:
    found = readings("New Zealand led the Truce Monitoring Group from December 1997 until April 1998.")
    assert [(r.start, r.end, r.over) for r in found] == [("1997-12", "1998-04", True)]


def test_what_is_said_today_is_not_an_end_today(readings) -> None:
    found = readings("New Zealand's six personnel with UNMISS will return home by May, the Minister announced "
                     "today.")
    assert [(r.end, r.over) for r in found] == [("2009-05", False)]


def test_a_sum_a_recipient_receives(readings) -> None:
    found = readings("New Zealand is giving $3.5 million to Yemen. The World Food Programme will receive $1.5 "
                     "million, and the rest was provided to UNICEF.")
    assert ("World Food Programme", "1500000") in {(r.target, r.amount) for r in found}


def test_its_cost_is_the_deployment_s(readings) -> None:
    found = readings("The New Zealand deployment to UNMISS is planned for six months. The Government has set aside "
                     "$60 million to cover its cost.")
    assert [(r.amount, r.amount_kind) for r in found if r.amount] == [("60000000", "cost")]


def test_items_of_a_list_speak_of_what_leads_into_it(readings) -> None:
    found = readings("Cabinet has agreed the following mandates for New Zealand Defence Force deployments:\n\n"
                     "- UNMISS: up to four personnel until March 2025\n- UNTSO: up to eight personnel until March 2025")
    assert [(r.target, r.personnel, r.end) for r in found] == [
        (UNMISS, 4, "2025-03"), ("United Nations Truce Supervision Organization", 8, "2025-03")]


def test_an_operation_named_in_an_aside_is_not_what_the_sentence_is_about(readings) -> None:
    found = readings("Combined Task Force 151 (counter-piracy, under Combined Maritime Forces): the two New Zealand "
                     "officers will serve until June.")
    assert [(r.target, r.personnel) for r in found] == [("Combined Task Force 151", 2)]


@pytest.mark.parametrize(("body", "costs"), [
    ("The New Zealand deployment to UNMISS has cost $3 million to date.", [("3000000", "cost")]),
    ("New Zealand has four personnel with UNMISS and eight with UNTSO. The combined cost of the UNMISS and UNTSO "
     "deployments is $5 million.", []),
    ("New Zealand has four personnel with UNMISS. The bill for the UNMISS deployment is estimated at $2 million.",
     [("2000000", "cost")]),
], ids=["cost-to-date", "combined-cost", "bill"])
def test_what_a_deployment_has_cost_is_its_cost_but_a_sum_of_costs_is_none(readings, body: str, costs) -> None:
    assert [(r.amount, r.amount_kind) for r in readings(body) if r.amount] == costs


@pytest.mark.parametrize(("body", "personnel"), [
    ("The number of NZDF personnel in UNMISS will increase from six currently deployed to nine.", 9),
    ("As many as 30 NZDF personnel will deploy to UNMISS.", 30),
    ("Two dozen NZDF personnel will deploy to UNMISS.", 24),
], ids=["from-n-currently-deployed-to-m", "as-many-as", "two-dozen"])
def test_more_ways_of_saying_a_strength(readings, body: str, personnel: int) -> None:
    assert [(r.personnel, r.personnel_kind) for r in readings(body)] == [(personnel, "strength")]


def test_an_end_the_sentence_gives_a_un_mandate_is_not_new_zealand_s(readings) -> None:
    found = readings("New Zealand will keep three officers with UNMISS, whose mandate runs until 30 April 2025.")
    assert [(r.personnel, r.end) for r in found] == [(3, None)]


@pytest.mark.parametrize(("body", "end"), [
    ("After New Zealand's deployment to UNMISS concluded in 2007, the personnel returned home.", "2007"),
    ("New Zealand's deployment to UNMISS was stood down in August.", "2008-08"),
], ids=["after-it-concluded", "stood-down"])
def test_an_end_told_in_the_past_is_over(readings, body: str, end: str) -> None:
    assert [(r.end, r.over) for r in readings(body)] == [(end, True)]


@pytest.mark.parametrize("body", [
    "Cabinet has made the decision to withdraw New Zealand's personnel from UNMISS.",
    "New Zealand's UNMISS deployment will wrap up in March.",
], ids=["decision-to-withdraw", "will-wrap-up"])
def test_an_end_decided_or_to_come_is_not_over(readings, body: str) -> None:
    assert not any(r.over for r in readings(body))


@pytest.mark.parametrize("body", [
    "New Zealand has three officers with UNMISS. Ten New Zealanders lost their lives in South Sudan.",
    "New Zealand has three officers with UNMISS. Australia has about 1,000 troops in South Sudan.",
], ids=["the-dead", "another-country-s"])
def test_figures_of_the_dead_or_of_another_country_are_not_contributions(readings, body: str) -> None:
    assert [r.personnel for r in readings(body) if r.personnel] == [3]


@pytest.mark.parametrize("body", [
    "Since 1999, more than 3,500 NZDF personnel have served in East Timor, first with INTERFET and then with UNMIT.",
    "More than 3,500 NZDF personnel have served in Afghanistan since 2001, including the Provincial Reconstruction "
    "Team in Bamyan province.",
    "New Zealand led the Truce Monitoring Group until the Peace Monitoring Group took over. More than 1,600 NZDF "
    "personnel have served on Bougainville since 1997.",
], ids=["first-with-then-with", "including-a-part", "several-in-one-place"])
def test_a_total_over_several_operations_is_none_of_theirs(readings, body: str) -> None:
    assert not [r for r in readings(body) if r.personnel]


def test_an_operation_goes_by_its_name_without_the_word_operation(readings) -> None:
    found = readings("New Zealand will deploy up to 95 personnel to Operation Tieke and Operation Interflex. The "
                     "Interflex extension is budgeted at $21.4 million.")
    assert [(r.target, r.amount_kind) for r in found if r.amount] == [("Operation Interflex", "cost")]


def test_the_deployment_named_two_sentences_on(readings) -> None:
    found = readings("Around 40 NZDF personnel will deploy to Japan next month. The aircraft will operate from "
                     "Kadena Air Base. This is the fifth deployment under Operation Whio.")
    assert [(r.target, r.personnel, r.start) for r in found] == [("Operation Whio", 40, "2008-10")]


def test_the_extension_s_cost_is_the_deployment_extended(readings) -> None:
    found = readings("New Zealand has contributed three officers to UNMISS since it replaced UNMIS in 2011. The "
                     "extension will cost an estimated $14.2 million.")
    assert [(r.target, r.amount_kind) for r in found if r.amount] == [(UNMISS, "cost")]


def test_a_change_s_parts_are_not_figures_of_their_own(readings) -> None:
    found = readings("The MFO contingent will be reduced from 28 to 25 New Zealand personnel. The MFO reduction "
                     "reflects the transfer of two logistics roles to contractors.")
    assert [r.personnel for r in found] == [25]


def test_the_operation_in_one_of_the_countries_named(readings) -> None:
    found = readings("New Zealand will remain a member of the Global Coalition to Defeat ISIS. Up to 13 NZDF "
                     "personnel will continue in headquarters roles in Iraq, Kuwait and Qatar.")
    assert [(r.target, r.personnel) for r in found] == [
        ("Global Coalition to Defeat the Islamic State of Iraq and Syria", 13)]


def test_when_it_ended_said_beside_another_cue_of_the_end(readings) -> None:
    found = readings("New Zealand's contribution to UNMISS has concluded, with the last of the six NZDF personnel "
                     "returning home this week.")
    assert [(r.end, r.over) for r in found] == [("2008-09", True)]


def test_a_return_spoken_of_as_a_noun_is_no_end(readings) -> None:
    found = readings("New Zealand's six personnel with UNMISS will complete managed isolation on their return to "
                     "New Zealand.")
    assert [(r.personnel, r.over) for r in found] == [(6, False)]


def test_leaving_for_a_mission_tomorrow_starts_it(readings) -> None:
    found = readings("An initial team of 15 NZDF personnel will leave for Juba tomorrow to join UNMISS.")
    assert [(r.personnel, r.start, r.end) for r in found] == [(15, "2008-10-01", None)]


def test_the_day_the_first_personnel_arrive_starts_the_deployment_announced(readings) -> None:
    found = readings("New Zealand will contribute around 230 personnel to UNMISS.\n\nThe first New Zealand personnel "
                     "will arrive in Juba on Thursday.")
    assert [(r.personnel, r.start) for r in found] == [(230, "2008-10-02")]  # the release is of Tuesday 30 September


def test_a_number_that_stands_for_the_people_just_named(readings) -> None:
    found = readings("New Zealand has contributed staff officers to UNMISS headquarters since 2002, and three are "
                     "currently serving there.")
    assert [(r.personnel, r.start) for r in found] == [(3, "2002")]


def test_the_deployment_s_cost_is_the_one_the_release_decides(readings) -> None:
    found = readings("About 45 NZDF personnel will deploy to UNMISS and eight to UNTSO. New Zealand has contributed "
                     "staff officers to UNTSO since 2002, and three are currently serving there. The deployment is "
                     "expected to cost around $6.8 million.")
    assert [(r.target, r.amount_kind) for r in found if r.amount] == [(UNMISS, "cost")]


def test_one_officer_serving_since_a_date_is_a_strength(readings) -> None:
    found = readings("A New Zealand Defence Force officer has served with UNMISS continuously since March 2004.")
    assert [(r.personnel, r.personnel_kind, r.start) for r in found] == [(1, "strength", "2004-03")]


def test_those_who_come_home_together_are_a_strength(readings) -> None:
    found = readings("New Zealand's contribution to UNMISS has concluded. The six NZDF personnel who had served in its "
                     "headquarters since January 2008 returned to New Zealand this week.")
    assert [(r.personnel, r.personnel_kind, r.over) for r in found] == [(6, "strength", True)]


def test_an_operation_named_in_a_when_clause_after_the_figure_is_not_its_own(readings) -> None:
    found = readings("Under Operation Tieke, NZDF personnel are deployed in the United Kingdom. The deployment "
                     "currently numbers 57 and will reduce to up to 41 from July, when the training team completes its "
                     "work with the UK-led Operation Interflex.")
    assert [(r.target, r.personnel) for r in found] == [("Operation Tieke", 41)]


def test_civilians_a_mission_protects_are_not_personnel(readings) -> None:
    found = readings("New Zealand has three officers with UNMISS. UNMISS is protecting civilians, including nearly "
                     "190,000 people sheltering at its sites.")
    assert [r.personnel for r in found] == [3]


@pytest.mark.parametrize("body", [
    "New Zealand has 35 police officers with UNMISS. The police contribution costs about $9 million a year and is "
    "funded from New Zealand's aid budget.",
    "New Zealand has 35 police officers with UNMISS. UNMISS's operating cost this year is budgeted at $9 million.",
], ids=["paid-from-the-aid-budget", "the-operation-s-cost"])
def test_a_cost_of_a_deployment_or_of_an_operation(readings, body: str) -> None:
    assert [(r.target, r.amount_kind) for r in readings(body) if r.amount] == [(UNMISS, "cost")]


def test_several_sums_each_take_the_operation_named_before_them(readings) -> None:
    found = readings("New Zealand's contribution to UNMISS will be reduced to 95 personnel.\n\nCabinet has agreed "
                     "that:\n\n- the cost of the UNMISS deployment is estimated at $29.6 million, and of the "
                     "headquarters roles at $4.9 million.")
    assert [(r.target, r.amount) for r in found if r.amount] == [(UNMISS, "29600000")]


def test_the_operation_whose_predecessor_the_aside_names(readings) -> None:
    found = readings("New Zealand led the Truce Monitoring Group (TMG), the PMG's predecessor, from its deployment "
                     "in December 1997 until it handed over in April 1998.")
    assert [(r.target, r.start, r.end, r.over) for r in found] == [("Truce Monitoring Group", "1997-12", "1998-04",
                                                                    True)]


def test_an_initial_period_counts_from_the_start(readings) -> None:
    found = readings("Cabinet has agreed to deploy up to three New Zealand officers to UNMISS from next month, for an "
                     "initial period of one year.")
    assert [(r.personnel, r.start, r.end) for r in found] == [(3, "2008-10", "2009-10")]


def test_each_recipient_of_a_list_receives_the_sum(readings) -> None:
    found = readings("New Zealand is giving $4.5 million to Gaza. UNRWA, the World Food Programme and UNICEF will "
                     "each receive $1.5 million. The package also provides $2 million to the International Fund for "
                     "Agricultural Development (IFAD).")
    assert {(r.target, r.amount) for r in found} == {
        ("United Nations Relief and Works Agency for Palestine Refugees in the Near East", "1500000"),
        ("World Food Programme", "1500000"), ("United Nations Children's Fund", "1500000"),
        ("International Fund for Agricultural Development", "2000000")}


def test_new_zealand_s_own_operation_as_the_subject_speaks_of_new_zealand(readings) -> None:
    found = readings("The New Zealand Provincial Reconstruction Team will withdraw in April 2013. The PRT, deployed "
                     "under Operation Crib, has been in Bamyan since September 2003.")
    assert [(r.start, r.end) for r in found] == [("2003-09", "2013-04")]


def test_the_dates_of_a_part_are_not_the_whole_s(readings) -> None:
    found = readings("More than 1,000 NZDF personnel have served with the MFO since 1982, including a helicopter "
                     "unit of about 35 that flew with the force between 1982 and 1986.")
    assert [(r.personnel, r.start, r.end, r.over) for r in found] == [(1000, "1982", None, False)]


def test_people_who_moved_to_a_new_mission_are_its_own(readings) -> None:
    found = readings("The three New Zealand officers who were serving with UNMIS when it closed have moved across to "
                     "the new UNMISS.")
    assert [(r.target, r.personnel) for r in found] == [(UNMISS, 3)]


def test_a_mission_s_authorised_strength_is_not_new_zealand_s(readings) -> None:
    found = readings("New Zealand has three officers with UNMISS. The Security Council established UNMISS with an "
                     "authorised strength of up to 7,000 military personnel and 900 civilian police.")
    assert [r.personnel for r in found] == [3]


def test_the_part_a_possessive_leads_to(readings) -> None:
    found = readings("Since July 2003, around 1,800 NZDF personnel have served with RAMSI's military component, "
                     "Combined Task Force 635.")
    assert [(r.target, r.personnel, r.personnel_kind) for r in found] == [("Combined Task Force 635", 1800, "total")]


def test_each_rotation_s_strength_and_the_total_over_the_rotations(readings) -> None:
    found = readings("Around 140 NZDF personnel served in each rotation of the PRT, and more than 3,500 served with "
                     "it over 21 rotations.")
    assert [(r.personnel, r.personnel_kind) for r in found] == [(140, "strength"), (3500, "total")]


@pytest.mark.parametrize(("body", "end"), [
    ("The New Zealand PRT was first deployed to Bamyan province in September 2003. It was withdrawn in 2013.", "2013"),
    ("New Zealand's deployment to UNMIS concluded. UNMIS closed on Saturday, the day South Sudan became independent.",
     "2008-09-27"),
], ids=["it-was-withdrawn", "closed-on-a-weekday"])
def test_an_end_said_of_it_or_of_the_mission_s_closing(readings, body: str, end: str) -> None:
    assert [(r.end, r.over) for r in readings(body) if r.end] == [(end, True)]


def test_the_place_of_the_figure_says_which_mission_it_means(readings) -> None:
    found = readings("New Zealand's deployment to Taji began in May 2015 under the Building Partner Capacity mission. "
                     "Up to 13 NZDF personnel serve with Operation Inherent Resolve in Baghdad. More than 1,000 NZDF "
                     "personnel have deployed to Taji over the life of the mission.")
    assert ("Building Partner Capacity", 1000, "total") in {(r.target, r.personnel, r.personnel_kind) for r in found}


def test_an_operation_new_zealand_takes_no_part_in_is_no_target(readings) -> None:
    found = readings("A team of up to eight NZDF deminers will deploy to Lebanon early next year. The team will work "
                     "under the United Nations Mine Action Coordination Centre South Lebanon (UNMACC SL), which "
                     "coordinates clearance in the area of operations of UNIFIL. New Zealand does not contribute "
                     "troops to UNIFIL.")
    assert [(r.target, r.personnel) for r in found] == [("Mine Action Coordination Centre South Lebanon", 8)]


def test_a_sum_of_the_figures_listed_is_none_of_them(readings) -> None:
    found = readings("NZDF personnel are deployed on the following operations:\n\n- 26 personnel with the MFO\n"
                     "- eight personnel with UNTSO\n\nIn all, around 190 NZDF personnel are deployed overseas.")
    assert [r.personnel for r in found] == [26, 8]


def test_in_all_with_an_operation_is_a_total(readings) -> None:
    found = readings("New Zealand's contribution to UNMISS has concluded. In all, 38 NZDF personnel served with "
                     "UNMISS.")
    assert [(r.personnel, r.personnel_kind) for r in found] == [(38, "total")]


def test_where_new_zealand_has_served_since_is_not_the_figure_s_period(readings) -> None:
    found = readings("New Zealand has 26 personnel with the MFO in the Sinai, where New Zealand has served since 1982.")
    assert [(r.personnel, r.personnel_kind) for r in found] == [(26, "strength")]


def test_a_known_name_with_where_it_is(readings) -> None:
    found = readings("New Zealand has ten personnel with NATO's Resolute Support Mission in Kabul.")
    assert [(r.target, r.personnel) for r in found] == [("Resolute Support Mission", 10)]


def test_an_initial_period_counted_from_the_release(readings) -> None:
    found = readings("The New Zealand police team will serve with UNMISS for an initial three years. Up to eight "
                     "New Zealand Police officers will work in Juba.")
    assert [(r.personnel, r.end) for r in found] == [(8, "2011-09-30")]


def test_a_superlative_describes_and_does_not_refer_back(readings) -> None:
    found = readings("New Zealand's part in UNMIK has ended. The Kosovo Force (KFOR), which New Zealand "
                     "also served with, has wound up. \"Over 900 New Zealanders have served in Kosovo since 1999, "
                     "our biggest deployment in Europe,\" the Minister said.")
    assert not [r for r in found if r.personnel]


def test_those_there_at_one_time_beside_those_over_the_years(readings) -> None:
    found = readings("Over those years 140 New Zealand police officers have served with UNMISS, with up to "
                     "ten deployed at any one time.")
    assert {(r.personnel, r.personnel_kind) for r in found} == {(140, "total"), (10, "strength")}


def test_a_force_that_completed_its_work_is_over(readings) -> None:
    found = readings("The Peace Monitoring Group, to which New Zealand contributed personnel, has completed "
                     "its work.")
    assert [(r.target, r.over) for r in found] == [("Peace Monitoring Group", True)]


def test_coming_back_to_a_place_in_new_zealand_is_coming_home(readings) -> None:
    found = readings("The 31 NZDF personnel who served with UNMIS in Khartoum returned to Ohakea yesterday.")
    assert [(r.personnel, r.over, r.end) for r in found] == [(31, True, "2008-09-29")]


def test_a_unit_of_its_own_coming_home_is_not_part_of_another(readings) -> None:
    found = readings("Forty NZDF personnel served with UNMIS in Khartoum and came home on Friday. A 12-strong "
                     "engineer troop, which built roads for UNMIS in Juba, returned earlier this month.")
    assert sorted(r.personnel for r in found if r.personnel) == [12, 40]


def test_an_end_in_a_figure_s_own_sentence_is_its_end(readings) -> None:
    found = readings("The 40 NZDF personnel who served with UNMIS returned home today. A ten-strong NZDF medical "
                     "team that worked with UNMIS returned last week.")
    assert {(r.personnel, r.end) for r in found if r.personnel} == {(40, "2008-09-30"), (10, "2008-09")}


def test_the_size_of_a_unit_that_served_is_a_strength(readings) -> None:
    found = readings("New Zealand's largest contribution was an engineer squadron of about 180 personnel, which "
                     "served with UNMISS in 2011 and 2012.")
    assert [(r.personnel, r.personnel_kind) for r in found] == [(180, "strength")]


def test_an_acronym_that_names_the_successor(readings) -> None:
    found = readings("Thirty NZDF personnel serve with the second United Nations Operation in Somalia (UNOSOM II) "
                     "in Mogadishu.")
    assert [(r.target, r.personnel) for r in found] == [("United Nations Operation in Somalia II", 30)]


def test_a_lead_sentence_s_end_reaches_figures_a_few_sentences_on(readings) -> None:
    found = readings("New Zealand's air evacuation from Kabul has concluded, the Minister said today.\n\n"
                     "\"Our last aircraft left this morning. Every passenger arrived safely. The crews did superb "
                     "work.\"\n\nThe 60 NZDF personnel deployed on Operation Kōkako will be home next week.")
    assert [(r.personnel, r.over) for r in found] == [(60, True)]


def test_leaving_a_place_in_new_zealand_is_setting_out(readings) -> None:
    found = readings("HMNZS Otago will deploy to the Solomon Islands as part of RAMSI, the Minister announced. The "
                     "ship, with a crew of 60, will leave Devonport in November.")
    assert [(r.personnel, r.start, r.end) for r in found] == [(60, "2008-11", None)]


def test_a_deployment_announced_stays_announced_when_an_earlier_one_came_home(readings) -> None:
    found = readings("New Zealand will send 30 personnel to RAMSI early next year, the Minister announced. The "
                     "engineer contingent that served with RAMSI since 2003 returned to New Zealand last week.")
    assert [(r.personnel, r.over) for r in found if r.personnel] == [(30, False)]


def test_the_release_s_one_operation_is_where_its_ships_and_aircraft_go(readings) -> None:
    found = readings("The frigate HMNZS Otago will deploy to the Indian Ocean as New Zealand's next contribution to "
                     "Combined Task Force 150. The ship will sail in March. Its crew has trained for a year. The "
                     "Orion and up to 40 personnel will fly patrols from a base in the Gulf region.")
    assert [(r.target, r.personnel) for r in found if r.personnel] == [("Combined Task Force 150", 40)]


def test_a_force_new_zealand_does_not_join_referred_to_as_that_force(readings) -> None:
    found = readings("New Zealand has four staff officers with UNMISS. The Security Council has authorised a "
                     "Regional Protection Force of up to 4,000 troops to reinforce the mission. New Zealand will "
                     "not be contributing troops to that force.")
    assert [(r.target, r.personnel) for r in found if r.personnel] == [(UNMISS, 4)]


def test_a_team_of_people_named_at_length(readings) -> None:
    found = readings("A team of 12 New Zealand Defence Force counter-improvised explosive device (C-IED) "
                     "instructors will deploy to UNMISS in Juba next month.")
    assert [(r.personnel, r.personnel_kind) for r in found] == [(12, "strength")]


def test_so_many_of_its_own_people_over_the_years(readings) -> None:
    found = readings("The NZDF has served with UNMISS since 2011, and 95 of its personnel have now deployed to the "
                     "mission.")
    assert (95, "total") in {(r.personnel, r.personnel_kind) for r in found}


def test_a_long_phrase_before_the_strength_a_change_brings(readings) -> None:
    found = readings("Four NZDF officers will join the eight already with UNMISS, bringing New Zealand's contribution "
                     "to the mission to 12.")
    assert 12 in {r.personnel for r in found}


def test_figures_listed_along_with_another_country_s(readings) -> None:
    found = readings("New Zealand has 12 personnel with UNMISS. The mission will grow to 17,000 troops from 60 "
                     "countries, along with 2,000 civilian police.")
    assert [r.personnel for r in found] == [12]


def test_what_another_country_will_maintain(readings) -> None:
    found = readings("New Zealand has 95 trainers with the Building Partner Capacity mission at Taji. Australia "
                     "will maintain around 300 trainers at Taji.")
    assert [r.personnel for r in found] == [95]


def test_several_operations_until_one_date(readings) -> None:
    found = readings("Cabinet has agreed to extend the New Zealand Defence Force deployments to UNMISS and to UNTSO "
                     "until 31 March 2011. Up to six NZDF personnel will continue to serve with UNMISS. Up to eight "
                     "NZDF officers will continue to serve with UNTSO.")
    assert {(r.personnel, r.end) for r in found if r.personnel} == {(6, "2011-03-31"), (8, "2011-03-31")}


def test_since_then_is_the_start_said_before(readings) -> None:
    found = readings("New Zealand has been part of UNTSO since 1954, and more than 700 NZDF officers have served "
                     "in the Middle East since then.")
    assert [(r.personnel, r.personnel_kind, r.start) for r in found if r.personnel] == [(700, "total", "1954")]


def test_a_month_in_which_something_ended_is_the_last_such_month(readings) -> None:
    found = readings("New Zealand's contribution to UNMIS ended in August, when the last three NZDF officers "
                     "returned home.")
    assert {r.end for r in found} == {"2008-08"}


def test_the_last_few_coming_home_stand_apart_from_another_operation_s_strength(readings) -> None:
    found = readings("Up to 20 NZDF personnel will deploy to UNMISS in South Sudan. The mission in Juba will be "
                     "demanding. The team will work with engineers from other countries. New Zealand's part in "
                     "UNMIS ended in August, when the last four NZDF officers returned home.")
    assert {(r.target, r.personnel) for r in found if r.personnel} == {(UNMISS, 20),
                                                                       ("United Nations Mission in Sudan", 4)}


def test_the_deployment_a_place_qualifies_is_the_operation_there(readings) -> None:
    found = readings("Up to ten NZDF personnel will deploy to UNMISS in South Sudan. New Zealand's five officers "
                     "with UNTSO in the Golan Heights continue their work. The cost of the South Sudan deployment is "
                     "estimated at $2.4 million.")
    assert [(r.target, r.amount_kind) for r in found if r.amount] == [(UNMISS, "cost")]


def test_arriving_back_is_coming_home_not_setting_out(readings) -> None:
    found = readings("The 30 NZDF personnel of the last rotation with UNMIS arrived back at Ohakea last week.")
    assert [(r.personnel, r.start, r.over) for r in found] == [(30, None, True)]
