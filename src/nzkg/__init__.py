"""nzkg: a knowledge graph of New Zealand's contributions to peace support and military operations.

For notebooks: `kg = nzkg.load()` (an embedded graph) or `kg = nzkg.connect("http://127.0.0.1:5000/sparql")`,
then `kg.query(sparql)` and `kg.run("operations")` give pandas DataFrames. See nzkg.api.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from nzkg.api import LocalGraph, RemoteGraph


def load(source: str | Path | None = None) -> LocalGraph:
    """An embedded graph (see nzkg.api.load); imported on use, so the command line starts fast."""
    from nzkg.api import load as load_graph

    return load_graph(source)


def connect(endpoint: str, timeout: float = 60.0) -> RemoteGraph:
    """A graph behind a SPARQL endpoint (see nzkg.api.connect)."""
    from nzkg.api import connect as connect_to

    return connect_to(endpoint, timeout)
