"""The notebook API: nzkg.load() and kg.query() / kg.run(), DataFrames of Python values."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import nzkg
from nzkg.build import BuildReport, write_output
from nzkg.queries import QueryError
from nzkg.store import store_from_file

NZO = "PREFIX nzo: <https://w3id.org/nzkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
CONTRIBUTIONS = NZO + """SELECT ?c ?n ?amount ?end ?file WHERE {
  ?c a nzo:Contribution ; prov:wasDerivedFrom/nzo:sourceFile ?file .
  OPTIONAL { ?c nzo:personnelCount ?n } OPTIONAL { ?c nzo:amount|nzo:cost ?amount } OPTIONAL { ?c nzo:endDate ?end }
} ORDER BY ?c"""


@pytest.fixture(scope="module")
def graph_file(seeds_build: BuildReport, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "seeds.trig"
    write_output(seeds_build, path)
    return path


def test_cells_are_python_values(graph_file: Path) -> None:
    frame = nzkg.load(graph_file).query(CONTRIBUTIONS)
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["c", "n", "amount", "end", "file"]
    unami = frame[frame["file"] == "001_dd182887356bd2ce.txt"]
    assert sorted(n for n in unami["n"] if n is not None) == [1]
    assert all(type(n) is int for n in frame["n"] if n is not None)
    assert Decimal("216000") in set(unami["amount"])
    assert dt.date(2009, 12, 31) in set(unami["end"])
    assert "2022-06" in set(frame["end"])  # a month stays text: it is not a day
    assert all(isinstance(c, str) and c.startswith("https://w3id.org/nzkg/id/contribution/") for c in frame["c"])


def test_ask_and_construct_become_frames_too(graph_file: Path) -> None:
    kg = nzkg.load(graph_file)
    assert kg.query("ASK { ?s ?p ?o }")["boolean"].tolist() == [True]
    triples = kg.query(NZO + "CONSTRUCT { ?r nzo:sourceFile ?f } WHERE { ?r nzo:sourceFile ?f }")
    assert list(triples.columns) == ["subject", "predicate", "object"] and len(triples) == 5


def test_a_store_directory_loads_as_well(graph_file: Path, tmp_path: Path) -> None:
    store = store_from_file(graph_file, tmp_path / "store")
    assert len(nzkg.load(store).query(CONTRIBUTIONS)) == len(nzkg.load(graph_file).query(CONTRIBUTIONS))


def test_with_nothing_built_load_builds_the_seeds(tmp_path: Path) -> None:
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        frame = nzkg.load().query(NZO + "SELECT ?f WHERE { ?r nzo:sourceFile ?f } ORDER BY ?f")
    finally:
        os.chdir(here)
    assert frame["f"].tolist()[0] == "000_d42ffe20042d2fb3.txt" and len(frame) == 5


def test_run_takes_named_queries_and_their_parameters(graph_file: Path) -> None:
    kg = nzkg.load(graph_file)
    assert len(kg.run("contributions")) >= 9
    with pytest.raises(QueryError, match="no query named"):
        kg.run("no-such-query")
    with pytest.raises(QueryError, match="takes no parameter"):
        kg.run("contributions", colour="blue")
