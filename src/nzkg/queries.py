"""The named queries of queries/: SPARQL files whose header comments give a title, a description and the
parameters they take, so the CLI, the notebook API and the query page can offer them by name.

A parameter is declared in the header as

    # param: NAME TYPE DEFAULT  description

(TYPE one of iri, date, integer, decimal, string) and used in the query as the variable ?NAME. Running a
query binds every parameter, given or default, with a VALUES clause at the start of its WHERE block (where
filters see it, as they would not see a VALUES clause after the query), so the text of the query stays
plain SPARQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from nzkg.paths import QUERIES_DIR
from nzkg.terms import XSD

HEADER = re.compile(r"^#\s*(title|description)\s*:\s*(.*)$", re.I)
PARAM = re.compile(r"^#\s*param\s*:\s*(?P<name>\w+)\s+(?P<type>iri|date|integer|decimal|string)\s+(?P<default>\S+)"
                   r"\s*(?P<description>.*)$", re.I)
WHERE = re.compile(r"^(?!\s*#)[^#\n]*?\bWHERE\s*\{", re.I | re.M)


class QueryError(ValueError):
    """A named query that does not exist, or a parameter it does not take or cannot hold."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str
    description: str

    def term(self, value: object) -> str:
        """The value as a SPARQL term of this parameter's type."""
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if self.type == "iri":
            if not re.fullmatch(r"[^\s<>\"{}|\\^`]+:[^\s<>\"{}|\\^`]*", text):
                raise QueryError(f"parameter {self.name}: {text!r} is not an IRI")
            return f"<{text}>"
        if self.type == "date":
            try:
                return f'"{dt.date.fromisoformat(text).isoformat()}"^^<{XSD}date>'
            except ValueError:
                raise QueryError(f"parameter {self.name}: {text!r} is not a date (YYYY-MM-DD)") from None
        if self.type in ("integer", "decimal"):
            try:
                number = int(text) if self.type == "integer" else Decimal(text)
            except (ValueError, ArithmeticError):
                raise QueryError(f"parameter {self.name}: {text!r} is not a number") from None
            return f'"{number}"^^<{XSD}{self.type}>'
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default=())

    def bound(self, **values: object) -> str:
        """The query with its parameters bound to the given values, or their defaults."""
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            raise QueryError(f"{self.name} takes no parameter {', '.join(sorted(unknown))} (it takes: "
                             f"{', '.join(p.name for p in self.parameters) or 'none'})")
        if not self.parameters:
            return self.text
        names = " ".join(f"?{p.name}" for p in self.parameters)
        terms = " ".join(p.term(values.get(p.name, p.default)) for p in self.parameters)
        binding = f"VALUES ({names}) {{ ({terms}) }}"
        where = WHERE.search(self.text)
        if where is None:
            return f"{self.text.rstrip()}\n{binding}\n"
        return f"{self.text[:where.end()]}\n  {binding}\n{self.text[where.end():]}"


def read_query(path: Path) -> NamedQuery:
    fields: dict[str, str] = {}
    parameters = []
    key = None
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if param := PARAM.match(line):
            parameters.append(Parameter(param["name"], param["type"].lower(), param["default"],
                                        param["description"].strip()))
            key = None
        elif header := HEADER.match(line):
            key = header.group(1).lower()
            fields[key] = header.group(2).strip()
        elif key:
            fields[key] += " " + line.lstrip("# ").strip()
    return NamedQuery(name=path.stem, title=fields.get("title", path.stem),
                      description=fields.get("description", ""), text=text, parameters=tuple(parameters))


def named_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    return [read_query(path) for path in sorted(directory.glob("*.rq"))]


def named_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    path = directory / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in named_queries(directory))
        raise QueryError(f"no query named {name!r} in {directory} (known: {known})")
    return read_query(path)
