"""Fuzzing the loaders: generated and mutated edge lists, profiles, posts, JSON and compressed files.

Every case must end in success (a Graph or table carrying a load report) or in exactly one
:class:`~graphinflu.errors.GraphinfluError` whose message names the file — never another
exception, never a hang (each case runs under a hard deadline). Hypothesis runs derandomized
with no example database, so CI sees the same cases every run; failures it found are kept as
named files in ``tests/fuzz_cases/`` and replayed by :func:`test_regression_case`.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import signal
import string
import warnings
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from graphinflu import _io
from graphinflu.errors import GraphinfluError, InputError
from graphinflu.graph import Graph
from graphinflu.loaders import read_any_table, read_edges, read_graph, read_interactions, read_posts, read_profiles
from graphinflu.loaders.tables import TextTable

#: Seconds one case may take before it counts as a hang.
DEADLINE = 10
CASES = Path(__file__).parent / "fuzz_cases"
#: Cases per property (6 properties); GRAPHINFLU_FUZZ_EXAMPLES=2000 for a long local hunt,
#: GRAPHINFLU_FUZZ_RANDOM=1 to draw new cases instead of CI's fixed ones.
EXAMPLES = int(os.environ.get("GRAPHINFLU_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=not os.environ.get("GRAPHINFLU_FUZZ_RANDOM"), database=None,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
READERS = {
    "read_edges": read_edges, "read_interactions": read_interactions, "read_graph": read_graph,
    "read_profiles": read_profiles, "read_posts": read_posts, "read_any_table": read_any_table,
}


class Hang(Exception):
    """A case ran past :data:`DEADLINE` (raised by the alarm; not a GraphinfluError, so it fails)."""


@contextmanager
def deadline(seconds: int = DEADLINE):
    def ring(signum, frame):
        raise Hang(f"no result after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def note(what: str) -> None:
    """Count outcomes for ``pytest --hypothesis-show-statistics`` (how many cases got through)."""
    if currently_in_test_context():
        event(what)


def outcome(reader, path: Path) -> str:
    """``ok`` or the GraphinfluError class name; any other exception fails the test."""
    _io._stdin_cache.clear()
    with deadline(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = reader(path)
        except GraphinfluError as err:
            assert str(path) in str(err), f"the message does not name the file: {err}"
            note(f"{type(err).__name__}: {str(err).splitlines()[0][len(str(path)):][:40]}")
            return type(err).__name__
    note("ok")
    if isinstance(result, Graph):
        assert result.n_edges >= 0 and result.report is not None
        assert result.accounts.index.is_unique
    elif isinstance(result, TextTable):
        assert result.table.num_rows > 0
    else:
        assert isinstance(result, pd.DataFrame) and "report" in result.attrs
    return "ok"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def put(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


# ----------------------------------------------------------------------------------- strategies
_ID_CHARS = string.ascii_letters + string.digits + "_.@-' \"#,;|\t\x00éü中😀\\/<>{}[]"
weird_ids = st.text(alphabet=_ID_CHARS, min_size=0, max_size=8)
#: mostly plain handles (so many cases get through to the graph), sometimes anything
ids = st.one_of(st.from_regex(r"[a-z]{1,3}[0-9]{0,2}", fullmatch=True), st.from_regex(r"[a-z]{1,3}[0-9]{0,2}", fullmatch=True),
                st.from_regex(r"[0-9]{1,3}", fullmatch=True), weird_ids)
kinds = st.one_of(st.sampled_from(["follows", "mentions", "REPLIES", " likes ", "tags"]), weird_ids)
numbers = st.one_of(
    st.integers(min_value=-10, max_value=10**6).map(str),
    st.sampled_from(["", "inf", "-inf", "nan", "NaN", "1e400", "-1e400", str(2**63), str(2**64), "9" * 3000,
                     "1,234", "1.5k", "3M", "0x10", "1_000", " 7 ", "-0", "1e-400", "true"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
headers = st.sampled_from([None, ("source", "target"), ("follower", "followed"), ("from_user", "to_user"),
                           ("who", "whom"), ("src", "dst", "weight"), ("a", "a"), ("", ""), ("set", "follower"),
                           ("source", "target", "kind", "weight", "timestamp")])


@st.composite
def edge_lists(draw) -> bytes:
    """A plausible edge list, then mutated: delimiter, header, BOM, line endings, quotes, numbers."""
    delim = draw(st.sampled_from([",", "\t", " ", ";", "|", "  "]))
    header = draw(headers)
    ncols = len(header) if header else draw(st.integers(2, 4))
    names = header or ("source", "target", "weight", "timestamp")[:ncols]
    cell = {"kind": kinds, "weight": numbers, "timestamp": numbers}
    row = st.tuples(*(cell.get(n, ids) if i >= 2 or n in cell else ids for i, n in enumerate(names))).map(list)
    rows = draw(st.lists(row, min_size=0, max_size=12))
    lines = ([delim.join(header)] if header else []) + [delim.join(r) for r in rows]
    if header and rows and draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), delim.join(header))  # repeated header
    if draw(st.booleans()):
        lines.insert(0, "# comment " + draw(ids))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = eol.join(lines) + (eol if draw(st.booleans()) else "")
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return draw(mutated(data))


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """Truncate, splice random bytes, insert NULs, or leave as is."""
    how = draw(st.sampled_from(["none"] * 6 + ["truncate", "splice", "nul", "latin1"]))
    if not data or how == "none":
        return data
    at = draw(st.integers(0, len(data)))
    if how == "truncate":
        return data[:at]
    if how == "splice":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if how == "nul":
        return data[:at] + b"\x00" + data[at:]
    return data[:at] + b"\xe9\xff" + data[at:]


def compress(data: bytes, how: str) -> bytes:
    return {"gzip": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress, "none": lambda d: d}[how](data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | st.floats() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
record_keys = st.sampled_from(["source", "target", "id", "handle", "username", "followers", "following", "posts",
                               "category", "owner", "likes", "comments", "hashtags", "mentions", "weight", "kind",
                               "nodes", "edges", "x", "a.b"])
records = st.lists(st.dictionaries(record_keys, json_values, max_size=6), max_size=6)


# ----------------------------------------------------------------------------------- properties
@FUZZ
@given(data=edge_lists(), reader=st.sampled_from(["read_edges", "read_interactions", "read_any_table", "read_graph"]),
       suffix=st.sampled_from([".csv", ".tsv", ".txt", ""]))
def test_edge_lists(folder, data, reader, suffix):
    outcome(READERS[reader], put(folder, "edges" + suffix, data))


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".json", ".jsonl", ".parquet", ".graphml",
                                                              ".gexf", ".txt", ".csv.gz", ".xz"]),
       reader=st.sampled_from(sorted(READERS)))
def test_random_bytes(folder, data, suffix, reader):
    outcome(READERS[reader], put(folder, "random" + suffix, data))


_PROFILE_HEADERS = ["id", "handle", "Username", "#Followers", "followers_count", "following", "#Posts", "category",
                    "user_id", "extra", "owner_username", "likes", "comments", "caption_mentions", "hashtags",
                    "taken_at_timestamp", "shortcode", "sponsor_users", "tagged_users"]


@st.composite
def profile_tables(draw) -> bytes:
    cols = draw(st.lists(st.sampled_from(_PROFILE_HEADERS), min_size=1, max_size=6, unique=True))
    delim = draw(st.sampled_from([",", "\t", ";"]))
    rows = draw(st.lists(st.lists(st.one_of(ids, numbers), min_size=len(cols), max_size=len(cols)), max_size=10))
    text = "\n".join([delim.join(cols)] + [delim.join(r) for r in rows]) + draw(st.sampled_from(["", "\n"]))
    return draw(mutated(text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(data=profile_tables(), reader=st.sampled_from(["read_profiles", "read_posts"]))
def test_profiles_and_posts(folder, data, reader):
    outcome(READERS[reader], put(folder, "table.csv", data))


@FUZZ
@given(recs=records, lines=st.booleans(), reader=st.sampled_from(sorted(READERS)))
def test_json_records(folder, recs, lines, reader):
    text = "\n".join(json.dumps(r) for r in recs) if lines else json.dumps(recs)
    outcome(READERS[reader], put(folder, "records.jsonl" if lines else "records.json", text.encode()))


@FUZZ
@given(doc=json_values, reader=st.sampled_from(["read_graph", "read_edges", "read_profiles"]))
def test_any_json_document(folder, doc, reader):
    outcome(READERS[reader], put(folder, "doc.json", json.dumps(doc).encode()))


@FUZZ
@given(data=edge_lists(), how=st.sampled_from(["gzip", "bz2", "xz"]),
       damage=st.sampled_from(["none", "truncate", "flip", "append"]), pos=st.floats(0, 1),
       named=st.booleans(), reader=st.sampled_from(["read_edges", "read_profiles", "read_graph"]))
def test_compressed_and_corrupted(folder, data, how, damage, pos, named, reader):
    blob = bytearray(compress(data, how))
    at = min(int(pos * len(blob)), len(blob) - 1)
    if damage == "truncate":
        blob = blob[:at]
    elif damage == "flip":
        blob[at] ^= 0xFF
    elif damage == "append":
        blob += b"garbage"
    suffix = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz"}[how] if named else ""
    outcome(READERS[reader], put(folder, "comp.csv" + suffix, bytes(blob)))


def test_deadline_catches_a_hang():
    with pytest.raises(Hang):
        with deadline(1):
            while True:
                pass


# ----------------------------------------------------------------------------------- regressions
#: file in tests/fuzz_cases → (reader, the exact outcome: an error class name, or "ok")
REGRESSIONS = {
    "corrupt_deflate.csv.gz": ("read_edges", "InputError"),
    "html_page.csv": ("read_edges", "InputError"),
    "json_document.csv": ("read_edges", "InputError"),
    "utf16_no_bom.csv": ("read_edges", "InputError"),
    "nul_in_id.csv": ("read_edges", "InputError"),
    "header_only_no_newline.csv": ("read_edges", "InputError"),
    "followers_2_63.csv": ("read_profiles", "ok"),
    "followers_1e400.csv": ("read_profiles", "ok"),
    "mixed_type_profiles.json": ("read_profiles", "ok"),
    "nested_edges.json": ("read_edges", "InputError"),
    "deep.json": ("read_edges", "InputError"),
    "null_source.json": ("read_edges", "ok"),
    "object_source.json": ("read_edges", "InputError"),
    "empty_objects.json": ("read_any_table", "InputError"),
    "null_and_bool_ids.json": ("read_edges", "ok"),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regression_case(name):
    reader, expected = REGRESSIONS[name]
    path = CASES / name
    got = outcome(READERS[reader], path)
    assert got == expected


def test_every_regression_file_is_listed():
    assert sorted(p.name for p in CASES.iterdir() if p.name != "README.md") == sorted(REGRESSIONS)
