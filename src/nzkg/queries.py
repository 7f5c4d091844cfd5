"""The named queries of queries/: SPARQL files whose header comments give a title, a description and the
parameters they take, so the CLI, the notebook API and the query page can offer them by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nzkg.paths import QUERIES_DIR

HEADER = re.compile(r"^#\s*(title|description|parameters)\s*:\s*(.*)$", re.I)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: str
    text: str


def read_query(path: Path) -> NamedQuery:
    fields: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if match := HEADER.match(line):
            key = match.group(1).lower()
            fields[key] = match.group(2).strip()
        elif key:
            fields[key] += " " + line.lstrip("# ").strip()
    return NamedQuery(name=path.stem, title=fields.get("title", path.stem), description=fields.get("description", ""),
                      parameters=fields.get("parameters", "none"), text=path.read_text(encoding="utf-8"))


def named_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    return [read_query(path) for path in sorted(directory.glob("*.rq"))]
