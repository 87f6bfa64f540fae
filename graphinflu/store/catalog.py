"""The Cypher library: the ``.cypher`` files shipped as the package ``graphinflu.cypher``.

One statement per file (``schema.cypher`` holds several), a header comment saying what it
answers, and ``// :param name => value`` lines (the defaults, pasted into Neo4j Browser as they
are). :func:`catalog` reads them once; :func:`get_query` finds one by name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..errors import InputError, QueryNotFoundError
from .model import IDENT, KIND_OF_TYPE, REL_TYPES
from .parameters import parse_cypher_literal

__all__ = ["Query", "catalog", "get_query", "read_cypher_file"]

_PARAM_LINE = re.compile(r"^\s*//\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*$")


@dataclass(frozen=True)
class Query:
    """One file of the Cypher library.

    ``kind`` is ``schema`` (schema.cypher), ``write`` (load_* and write_*), ``gds`` (gds_*, needs
    the GDS plugin) or ``read`` (the questions).
    """

    name: str
    text: str
    summary: str
    params: dict = field(default_factory=dict)
    statements: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        if self.name == "schema":
            return "schema"
        if self.name.startswith("gds_"):
            return "gds"
        if self.name.startswith(("load_", "write_")):
            return "write"
        return "read"

    @property
    def statement(self) -> str:
        if len(self.statements) != 1:
            raise InputError(f"cypher/{self.name}.cypher holds {len(self.statements)} statements; run them one by one")
        return self.statements[0]

    def render(self, *, rel_type: str | None = None, label: str | None = None) -> str:
        """The statement with its relationship type (``FOLLOWS`` / ``MENTIONS`` in the file) and
        label (``Account``) replaced; ``rel_type`` must be in :data:`~graphinflu.store.model.REL_TYPES`,
        ``label`` a plain identifier (callers check it against the labels the database reports)."""
        text = self.statement
        if rel_type is not None:
            if rel_type not in KIND_OF_TYPE:
                raise InputError(f"relationship type {rel_type!r} is not one graphinflu knows",
                                 hint=f"use one of {', '.join(REL_TYPES.values())}")
            text = re.sub(r"(?<=:)(FOLLOWS|MENTIONS)\b", rel_type, text)
        if label is not None:
            if not IDENT.match(label):
                raise InputError(f"label {label!r} is not a plain name (letters, digits, _)")
            text = re.sub(r"(?<=:)Account\b", f"`{label}`", text)
        return text


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()


def _split_statements(text: str) -> tuple[str, ...]:
    body = _strip_comments(text)
    parts = [p.strip() for p in re.split(r";\s*(?:\n|$)", body)]
    return tuple(p for p in parts if p)


def _parse_query(name: str, text: str) -> Query:
    lines = text.splitlines()
    first = lines[0].lstrip("/ ").strip() if lines else ""
    summary = first.split(":", 1)[1].strip() if ":" in first else first
    params = {}
    for line in lines:
        m = _PARAM_LINE.match(line)
        if m:
            params[m.group(1)] = parse_cypher_literal(m.group(2))
    return Query(name=name, text=text, summary=summary, params=params, statements=_split_statements(text))


@lru_cache(maxsize=1)
def catalog() -> dict[str, Query]:
    """Every query of the library, by name (the file name without ``.cypher``), sorted."""
    root = resources.files("graphinflu.cypher")
    out = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            out[name] = _parse_query(name, entry.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> Query:
    """The query called ``name``; :class:`~graphinflu.errors.QueryNotFoundError` lists the names that exist."""
    cat = catalog()
    name = str(name)
    if name.endswith(".cypher"):
        name = name[: -len(".cypher")]
    if name not in cat:
        close = [n for n in cat if name.lower() in n or n in name.lower()]
        raise QueryNotFoundError(
            f"no query named {name!r} in the Cypher library",
            hint=(f"did you mean {', '.join(close)}? " if close else "") + f"the queries are: {', '.join(cat)}",
        )
    return cat[name]


def read_cypher_file(path: str | os.PathLike) -> str:
    """The text of a Cypher file of the user's (``--cypher-file``), UTF-8 (a BOM is dropped).

    Raises :class:`InputError` naming the file (and the line of a byte that is not UTF-8).
    """
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as err:
        raise InputError(f"cannot read the Cypher file: {err.strerror}", path=os.fspath(path),
                         hint="check the path and its permissions") from err
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("the Cypher file is not UTF-8 text", path=os.fspath(path),
                         line=raw[: err.start].count(b"\n") + 1,
                         hint="save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)") from err
