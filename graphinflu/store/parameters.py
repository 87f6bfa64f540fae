"""Query parameters: the Cypher literals of ``// :param name => value`` header lines, and the
``--param KEY=VALUE`` text of the command line, both turned into plain Python values."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Callable, Mapping

import pandas as pd

from ..errors import InputError
from .model import IDENT

if TYPE_CHECKING:
    from .catalog import Query

__all__ = ["parse_cypher_literal", "parse_param", "resolve_params"]


class _Literal:
    """A small reader of Cypher literals (the values in ``:param x => value`` lines)."""

    _num = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
    _datetime = re.compile(r"""datetime\(\s*(['"])([^'"]*)\1\s*\)""", re.I)
    _key = re.compile(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)")
    _escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}

    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def error(self, what: str):
        return InputError(f"cannot read the Cypher value {self.s!r}: {what} at character {self.i + 1}")

    def ws(self):
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def value(self):
        self.ws()
        if self.i >= len(self.s):
            raise self.error("unexpected end")
        c = self.s[self.i]
        if c in "'\"":
            return self.string(c)
        if c == "[":
            out = []
            self.sequence("]", lambda: out.append(self.value()))
            return out
        if c == "{":
            out = {}
            self.sequence("}", lambda: self.entry(out))
            return out
        m = self._num.match(self.s, self.i)
        if m:
            self.i = m.end()
            t = m.group(0)
            return float(t) if any(ch in t for ch in ".eE") else int(t)
        m = self._datetime.match(self.s, self.i)
        if m:  # datetime('2023-11-14T22:13:20Z'): a time of the load files' sample rows
            self.i = m.end()
            try:
                when = pd.Timestamp(m.group(2))
            except ValueError as err:
                raise self.error(f"not an ISO 8601 time ({err})") from err
            return (when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")).to_pydatetime()
        for word, val in (("null", None), ("true", True), ("false", False)):
            if self.s[self.i:self.i + len(word)].lower() == word:
                self.i += len(word)
                return val
        raise self.error("unexpected text")

    def sequence(self, close: str, item: Callable[[], None]) -> None:
        """Items separated by commas from the opening bracket under the cursor up to ``close``."""
        self.i += 1
        self.ws()
        if self.s.startswith(close, self.i):
            self.i += 1
            return
        while True:
            item()
            self.ws()
            if self.s.startswith(",", self.i):
                self.i += 1
            elif self.s.startswith(close, self.i):
                self.i += 1
                return
            else:
                raise self.error(f"expected , or {close}")

    def entry(self, out: dict) -> None:
        """One ``key: value`` of a map."""
        self.ws()
        m = self._key.match(self.s, self.i)
        if not m:
            raise self.error("expected a map key")
        self.i = m.end()
        self.ws()
        if not self.s.startswith(":", self.i):
            raise self.error("expected :")
        self.i += 1
        out[m.group(1) or m.group(2)] = self.value()

    def string(self, quote: str) -> str:
        self.i += 1
        out = []
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\" and self.i + 1 < len(self.s):
                out.append(self._escapes.get(self.s[self.i + 1], self.s[self.i + 1]))
                self.i += 2
                continue
            if c == quote:
                self.i += 1
                return "".join(out)
            out.append(c)
            self.i += 1
        raise self.error("unterminated string")


def parse_cypher_literal(text: str):
    """Read a Cypher literal: ``'micro'``, ``25``, ``0.85``, ``null``, ``['a', 'b']``, ``{k: 1}``,
    ``datetime('2023-11-14T22:13:20Z')`` (a UTC :class:`datetime.datetime`).

    >>> parse_cypher_literal("['Set 1', 'Set 2']")
    ['Set 1', 'Set 2']
    >>> parse_cypher_literal("{id: '1', props: {followers: 12000}}")
    {'id': '1', 'props': {'followers': 12000}}
    >>> parse_cypher_literal("{ts: datetime('1970-01-01T00:00:10Z')}")
    {'ts': datetime.datetime(1970, 1, 1, 0, 0, 10, tzinfo=datetime.timezone.utc)}
    """
    r = _Literal(text)
    v = r.value()
    r.ws()
    if r.i != len(r.s):
        raise r.error("unexpected text after the value")
    return v


def parse_param(text: str, defaults: Mapping | None = None) -> tuple[str, object]:
    """``KEY=VALUE`` from the command line → ``(key, value)``.

    VALUE is read as JSON when it parses (``25``, ``0.5``, ``null``, ``["a","b"]``), else kept as
    text. Where the query's default for KEY is text (or a list of text), numbers are kept as text,
    so ``--param a=1001`` matches the account id ``'1001'``.

    >>> parse_param("limit=10")
    ('limit', 10)
    >>> parse_param("a=1001", {"a": "Set 1"})
    ('a', '1001')
    >>> parse_param('ids=["x", 2]', {"ids": ["Set 1"]})
    ('ids', ['x', '2'])
    """
    key, sep, raw = str(text).partition("=")
    key = key.strip()
    if not sep or not key or not IDENT.match(key):
        raise InputError(f"--param expects KEY=VALUE with KEY a plain name, got {text!r}",
                         hint="e.g. --param limit=25 --param ids='[\"a\",\"b\"]'")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    default = (defaults or {}).get(key)
    if (isinstance(default, (int, float)) and not isinstance(default, bool)
            and (isinstance(value, bool) or not isinstance(value, (int, float))
                 or (isinstance(default, int) and not isinstance(value, int)))):
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise InputError(f"--param {key} expects {kind} (its default is {default!r}), got {raw!r}",
                         hint=f"e.g. --param {key}={default!r}")
    if isinstance(default, str) and not isinstance(value, str):
        value = raw
    elif isinstance(default, list) and default and all(isinstance(x, str) for x in default):
        if isinstance(value, list):
            value = [x if isinstance(x, str) else (json.dumps(x) if not isinstance(x, (int, float)) else str(x))
                     for x in value]
        elif isinstance(value, str):
            value = [v.strip() for v in raw.split(",") if v.strip()]
    return key, value


def resolve_params(query: Query, given: Mapping | None) -> dict:
    """The query's header defaults overridden by ``given``; unknown names raise :class:`InputError`."""
    given = dict(given or {})
    unknown = [k for k in given if k not in query.params]
    if unknown:
        known = ", ".join(query.params) or "none"
        raise InputError(f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))}",
                         hint=f"its parameters are: {known}")
    return {**query.params, **given}
