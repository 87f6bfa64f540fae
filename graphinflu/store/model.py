"""The property-graph model graphinflu writes, and the allow-lists that keep user text out of Cypher.

Labels and relationship types never come from user text: the label is :data:`LABEL` (or one the
database itself reports, checked against :data:`IDENT`), relationship types come from
:data:`REL_TYPES` (one per edge kind of :data:`graphinflu.graph.KINDS`). Property names are column
names passed through :func:`property_names` (letters, digits and ``_`` only, never ``id``), and
every value travels as a ``$parameter``, converted by :func:`plain_value`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import InputError
from ..graph import KINDS

__all__ = ["LABEL", "REL_TYPES", "KIND_OF_TYPE", "OVERLAP_TYPE", "IDENT", "KEY_PROPERTY", "LIST_PROPERTIES",
           "property_name", "property_names", "plain_value", "list_value", "epoch_datetime", "epoch_seconds",
           "iso_utc"]

#: The node label graphinflu writes.
LABEL = "Account"
#: The allow-list of relationship types: one per edge kind (``follows`` → ``FOLLOWS``, ...).
REL_TYPES: dict[str, str] = {kind: kind.upper() for kind in KINDS}
KIND_OF_TYPE: dict[str, str] = {t: k for k, t in REL_TYPES.items()}
#: Relationship type of the audience-overlap write-back.
OVERLAP_TYPE = "SHARES_AUDIENCE"
#: The property every MERGE is keyed on; no column may write it.
KEY_PROPERTY = "id"
#: Columns that hold space-joined lists (graphinflu's post tables write hashtags, mentions, tagged
#: users and sponsors so): stored as string lists (``string[]``), not one string.
LIST_PROPERTIES = ("hashtags", "mentions", "tagged", "sponsors", "top_hashtags")
#: A plain Cypher identifier (labels, parameter names).
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def property_name(column: str) -> str:
    """A column name as a property key: letters, digits and ``_`` (other characters become ``_``).

    >>> property_name("x'}) DETACH DELETE n //")
    'x____DETACH_DELETE_n___'
    >>> property_name("2024 reach")
    'p_2024_reach'
    """
    name = re.sub(r"[^A-Za-z0-9_]", "_", str(column).strip())
    if not name or name[0].isdigit():
        name = "p_" + name
    return name


def property_names(columns: Iterable, *, what: str = "account table") -> dict:
    """``{column: property key}`` for the columns written as properties.

    Refuses a column whose key would be ``id`` (it would re-key the account every MERGE matches
    on) and two columns that become the same key (one would silently overwrite the other).
    """
    names = {c: property_name(c) for c in columns}
    if KEY_PROPERTY in names.values():
        col = next(c for c, n in names.items() if n == KEY_PROPERTY)
        raise InputError(f"the {what} has a column {col!r}, which would overwrite the account id property",
                         hint="rename or drop that column; account ids are the table's index")
    seen: dict[str, object] = {}
    for col, name in names.items():
        if name in seen:
            raise InputError(f"the {what} columns {seen[name]!r} and {col!r} both become the property {name!r}",
                             hint="rename one of them (property names keep only letters, digits and _)")
        seen[name] = col
    return names


def plain_value(v):
    """A plain Python value for the drivers and CSV cells (None for NaN, infinities and missing)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, (list, tuple, np.ndarray)):
        return [plain_value(x) for x in v]
    return v if isinstance(v, (str, int)) else str(v)


def list_value(v):
    """A list column's cell as a list of text (space-joined text is split); missing or empty is
    ``None`` (no property), as an empty CSV cell is.

    >>> list_value("#run  #5k"), list_value(["a", "b"]), list_value(""), list_value(None)
    (['#run', '#5k'], ['a', 'b'], None, None)
    """
    v = plain_value(v)
    items = v if isinstance(v, list) or v is None else [x for x in str(v).split(" ") if x]
    return items or None


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def epoch_datetime(v) -> _dt.datetime | None:
    """An interaction time (graphinflu's epoch seconds) as the ``datetime`` value stored in Neo4j:
    UTC, millisecond precision (what ``load.cypher``'s ``datetime({epochMillis: ...})`` and the
    admin files' ISO 8601 cells give too); ``None`` when missing.

    >>> epoch_datetime(1700000000.1234)
    datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc)
    >>> epoch_datetime(float("nan")) is None
    True
    """
    v = plain_value(v)
    if v is None:
        return None
    if isinstance(v, str):  # a pd.Timestamp already made text by plain_value
        v = pd.Timestamp(v).timestamp()
    return _EPOCH + _dt.timedelta(milliseconds=round(float(v) * 1000))


def epoch_seconds(v) -> float | None:
    """A stored interaction time back as epoch seconds: a Neo4j ``datetime`` (driver or Python
    value), a ``pd.Timestamp``, a number (FalkorDB, and graphs pushed before times were
    temporal) or ISO 8601 text; ``None`` when missing.

    >>> epoch_seconds(epoch_datetime(1700000000.1234)), epoch_seconds(10), epoch_seconds("1970-01-01T00:00:10Z")
    (1700000000.123, 10.0, 10.0)
    """
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    to_native = getattr(v, "to_native", None)  # neo4j.time.DateTime
    if callable(to_native):
        v = to_native()
    if isinstance(v, str):
        v = pd.Timestamp(v)
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=_dt.timezone.utc)
        d = v - _EPOCH
        return (d.days * 86_400_000_000 + d.seconds * 1_000_000 + d.microseconds) / 1e6
    f = float(v)
    return None if math.isnan(f) else f


def iso_utc(v) -> str:
    """An interaction time (epoch seconds) as ISO 8601 UTC text at millisecond precision, the
    cell neo4j-admin reads into a ``datetime``; ``''`` when missing.

    >>> iso_utc(10), iso_utc(1700000000.5), iso_utc(None)
    ('1970-01-01T00:00:10Z', '2023-11-14T22:13:20.500Z', '')
    """
    d = epoch_datetime(v)
    if d is None:
        return ""
    text = d.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{d.microsecond // 1000:03d}" if d.microsecond else "") + "Z"
