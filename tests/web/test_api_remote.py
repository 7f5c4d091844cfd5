"""nzkg.connect(): the notebook API over a real endpoint gives what the embedded graph gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import nzkg

QUERY = """PREFIX nzo: <https://w3id.org/nzkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?c ?n ?amount ?end WHERE { ?c a nzo:Contribution OPTIONAL { ?c nzo:personnelCount ?n }
  OPTIONAL { ?c nzo:amount ?amount } OPTIONAL { ?c nzo:endDate ?end } } ORDER BY ?c"""


def test_remote_rows_equal_local_rows(server: str, served_graph: Path) -> None:
    remote = nzkg.connect(server + "/sparql").query(QUERY)
    local = nzkg.load(served_graph).query(QUERY)
    assert remote.values.tolist() == local.values.tolist()
    assert any(isinstance(n, int) for n in remote["n"]) and any(isinstance(a, Decimal) for a in remote["amount"])
    assert any(isinstance(e, dt.date) for e in remote["end"])


def test_remote_named_queries_and_ask(server: str) -> None:
    kg = nzkg.connect(server + "/sparql")
    assert kg.query("ASK { ?s ?p ?o }")["boolean"].tolist() == [True]
    assert len(kg.run("contributions")) > 20
