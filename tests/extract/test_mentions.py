"""Names: the gazetteer, the general patterns for names it lacks, the filters that keep places honest, and
ministers."""

from __future__ import annotations

from pathlib import Path

import pytest

from nzkg.extract.mentions import find_mentions, find_ministers, plain_name
from nzkg.release import read_release
from nzkg.vocab import Vocabulary

ID = "https://w3id.org/nzkg/id/"


@pytest.fixture
def mentions(vocab: Vocabulary, tmp_path: Path):
    def read(text: str) -> list[tuple[str, str, str]]:
        path = tmp_path / "release.md"
        path.write_text(text)
        return [(m.text, m.thing.kind, m.thing.iri or f"new:{m.thing.label}")
                for m in find_mentions(read_release(path), vocab)]
    return read


def kinds(found: list[tuple[str, str, str]], kind: str) -> list[str]:
    return [text for text, k, _ in found if k == kind]


def test_known_names_acronyms_and_variants(mentions) -> None:
    found = mentions("New Zealand sent officers to the UN Mission in South Sudan (UNMISS) and to UNTSO in Israel.")
    assert ("UNMISS", "operation", ID + "operation/unmiss") in found
    assert ("UNTSO", "operation", ID + "operation/untso") in found
    assert kinds(found, "place") == ["Israel"]


def test_acronyms_match_only_in_capitals(mentions) -> None:
    assert kinds(mentions("The isaf and unmiss words here are not names."), "operation") == []


def test_new_zealand_itself_is_never_a_place(mentions) -> None:
    assert mentions("New Zealand and Aotearoa.") == []


def test_a_full_name_with_its_acronym_mints_a_new_operation(mentions) -> None:
    found = mentions("New Zealand joined the Kiribati Maritime Monitoring Group (KMMG) last year. KMMG patrols.")
    assert found.count(("KMMG", "operation", "new:Kiribati Maritime Monitoring Group")) == 2
    assert ("Kiribati Maritime Monitoring Group", "operation", "new:Kiribati Maritime Monitoring Group") in found


def test_operation_x_names_are_operations(mentions) -> None:
    found = mentions("The deployment, Operation Southern Kauri, begins soon.")
    assert ("Operation Southern Kauri", "operation", "new:Operation Southern Kauri") in found


def test_heads_classify_unknown_names(mentions) -> None:
    found = mentions("Officers joined the Tuvalu Observer Group and the Nauru Police Force at Nauru Air Base.")
    assert ("Tuvalu Observer Group", "operation", "new:Tuvalu Observer Group") in found
    assert ("Nauru Police Force", "organisation", "new:Nauru Police Force") in found
    assert ("Nauru Air Base", "place", "new:Nauru Air Base") in found


def test_a_national_force_is_an_organisation_not_an_operation(mentions) -> None:
    found = mentions("They trained the Iraqi Security Forces (ISF) at Taji. The ISF are ready.")
    assert all(kind == "organisation" for text, kind, _ in found if text in ("Iraqi Security Forces", "ISF"))


def test_a_defined_acronym_beats_the_vocabulary_s_other_meaning(mentions) -> None:
    found = mentions("The Iraqi Security Forces (ISF) were trained. Later the ISF took over.")
    assert [iri for text, _, iri in found if text == "ISF"] == [ID + "organisation/iraqi-security-forces"] * 2


def test_generic_references_mint_nothing(mentions) -> None:
    assert kinds(mentions("The UN Mission was scaled down."), "operation") == []


def test_places_inside_longer_names_are_not_places(mentions) -> None:
    found = mentions("NZ supports the Global Coalition to Defeat the Islamic State of Iraq and Syria (D-ISIS).")
    assert kinds(found, "place") == []


def test_coordinated_names_are_split(mentions) -> None:
    found = mentions("Officers from the Fiji Police Force and Royal Solomon Islands Police Force met.")
    assert ("Fiji Police Force", "organisation", ID + "organisation/fiji-police-force") in found
    assert any(text == "Royal Solomon Islands Police Force" for text, _, _ in found)
    assert kinds(mentions("Patrols went to Bougainville and Western province."), "place") == [
        "Bougainville", "Western province"]


@pytest.mark.parametrize("text", [
    "The crew joined the Australian frigate HMAS Melbourne.",
    "HMNZ ships Canterbury and Endeavour sailed.",
    "Defence Minister Mark Burton spoke.",
    "A US-led coalition formed.",
    "Staff work at the United States naval facility.",
    "They worked alongside other Pacific nations.",
], ids=["ship", "ships", "person", "hyphen-led", "attributive", "pacific-nations"])
def test_place_names_that_name_no_place(mentions, text: str) -> None:
    assert kinds(mentions(text), "place") == []


def test_north_and_south_korea_names_both(mentions) -> None:
    places = {iri for _, kind, iri in mentions("The zone between North and South Korea.") if kind == "place"}
    assert places == {ID + "place/north-korea", ID + "place/south-korea"}


def test_a_government_names_its_country(mentions) -> None:
    found = mentions("The request came from Solomon Islands Government.")
    assert ID + "place/solomon-islands" in {iri for _, kind, iri in found if kind == "place"}


def test_page_chrome_is_not_read(mentions) -> None:
    assert mentions("Peace support\n\n195 Lambton Quay, Private Bag 18 901, Wellington 6160\n") == []


@pytest.mark.parametrize("text, expected", [
    ("Defence Minister Phil Goff said today.", ["Phil Goff"]),
    ("Minister of Defence Hon Gerry Brownlee says: “Yes.”", ["Gerry Brownlee"]),
    ("Prime Minister Helen Clark and Defence Minister Mark Burton today announced it.",
     ["Helen Clark", "Mark Burton"]),
    ("In Iraq, Foreign Minister Phil Goff said.", ["Phil Goff"]),
    ("The former New Zealand Minister of Foreign Affairs, Don McKinnon, helped.", []),
    ("Australian Defence Minister Richard Marles said.", []),
    ("Protesters have since called on Prime Minister Manasseh Sogavare to resign.", []),
    ("Helen Clark said the deployment had been approved.", ["Helen Clark"]),
    ("The plan, Defence Minister Jane Example said, is to send more.", ["Jane Example"]),
], ids=["title-first", "minister-of", "two", "after-a-place", "former", "foreign", "not-speaking",
        "known-by-name", "unknown-but-speaking"])
def test_ministers_named_in_the_text(vocab: Vocabulary, tmp_path: Path, text: str, expected: list[str]) -> None:
    path = tmp_path / "r.md"
    path.write_text(text)
    assert find_ministers(read_release(path), vocab) == expected


@pytest.mark.parametrize("raw, plain", [
    ("Rt Hon Winston Peters", "Winston Peters"), ("Hon Judith Collins KC", "Judith Collins"),
    ("Hon Dr Wayne Mapp", "Wayne Mapp"), ("Phil Goff", "Phil Goff"), ("Dame Jane Smith, MP", "Jane Smith"),
])
def test_honorifics_are_stripped(raw: str, plain: str) -> None:
    assert plain_name(raw) == plain


def test_united_nations_missions_in_a_place_are_named_whole(mentions) -> None:
    found = mentions("New Zealand sent two officers to the United Nations Observer Mission in Tuvalu.")
    assert ("United Nations Observer Mission in Tuvalu", "operation",
            "new:United Nations Observer Mission in Tuvalu") in found


def test_other_names_stop_before_the_place(mentions) -> None:
    found = mentions("One officer served with the Coalition Joint Taskforce in Bagram.")
    assert ("Coalition Joint Taskforce", "operation", "new:Coalition Joint Taskforce") in found
    assert "Bagram" in kinds(found, "place")


def test_names_match_without_accents_apostrophes_or_spacing(mentions) -> None:
    found = mentions("Funding went to Medécins Sans Frontières. Officers joined CTF- 151 near Nuku’alofa.")
    iris = {iri for _, _, iri in found}
    assert ID + "organisation/medecins-sans-frontieres" in iris
    assert ID + "operation/ctf-151" in iris


def test_names_head_first_and_hyphenated_names(mentions) -> None:
    found = mentions("Observers at Camp Faouar supported the Accelerated De-mining Programme in Mozambique.")
    assert ("Camp Faouar", "place", "new:Camp Faouar") in found
    assert ("Accelerated De-mining Programme", "operation", "new:Accelerated De-mining Programme") in found


def test_a_name_stops_at_a_month(mentions) -> None:
    found = mentions("Renewed: the United Nations Mission in South Sudan to July 2020.")
    assert [kind for text, kind, _ in found if text.startswith("United Nations")] == ["operation"]
    assert not any("July" in text for text, _, _ in found)
