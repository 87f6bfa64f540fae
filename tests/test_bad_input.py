"""Bad input and bad output paths, one hand-made case each: refused with an InputError that names the
file and the fix, or read with what was changed or assumed in the load report. Never a traceback."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from graphinflu import _io
from graphinflu._io import atomic_path, atomic_write, check_output_file, prepare_output_dir, probe
from graphinflu.errors import InputError
from graphinflu.graph import Graph
from graphinflu.loaders import read_any_table, read_edges, read_graph, read_interactions, read_posts, read_profiles
from graphinflu.output import guess_format, render, write_table
from graphinflu.metrics.sketches import SketchParams
from graphinflu.metrics.quality import audience_quality


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def refused(reader, path: Path, *needles: str) -> str:
    """The InputError message of ``reader(path)``; it names the file, says the fix and holds ``needles``."""
    with pytest.raises(InputError) as err:
        reader(path)
    msg = str(err.value)
    assert str(path) in msg and "fix:" in msg, msg
    for n in needles:
        assert n in msg, msg
    return msg


def report(obj) -> str:
    rep = obj.report if isinstance(obj, Graph) else obj.attrs["report"]
    return "\n".join(rep.lines())


def edges(g: Graph) -> list:
    return sorted(map(tuple, g.edge_table()[["source", "target"]].values.tolist()))


# ------------------------------------------------------------------------- 1. content sniffing
def test_html_page_saved_as_csv(tmp_path):
    p = write(tmp_path, "follows.csv", "<!DOCTYPE html>\n<html><head><title>f</title></head>\n<body>a, b</body></html>\n")
    refused(read_edges, p, "HTML page", "Raw")


def test_json_document_named_csv(tmp_path):
    p = write(tmp_path, "follows.csv", json.dumps({"edges": [{"source": "a", "target": "b"}]}))
    refused(read_edges, p, "JSON document", ".json")
    # the same content named .json is read as records
    q = write(tmp_path, "follows.json", json.dumps([{"source": "a", "target": "b"}]))
    assert edges(read_edges(q)) == [("a", "b")]


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", "without a byte-order mark"), ("utf-16", "")])
def test_utf16(tmp_path, encoding, bom):
    p = write(tmp_path, "f.csv", "source,target\nana,bo\nbo,cy\n".encode(encoding))
    msg = refused(read_edges, p, "UTF-16", "iconv")
    assert (bom in msg) if bom else "without" not in msg


def test_nul_bytes_in_head_and_far_down(tmp_path):
    p = write(tmp_path, "nul.csv", b"source,target\na\x00x,b\nc,d\n")
    refused(read_edges, p, "binary data", "line 2")
    far = write(tmp_path, "far.csv", b"source,target\n" + b"".join(b"u%d,v%d\n" % (i, i) for i in range(20_000))
                + b"a\x00x,b\n")
    refused(read_edges, far, "NUL byte", "line 20002")


def test_repeated_header_mid_file_is_skipped_and_counted(tmp_path):
    p = write(tmp_path, "cat.csv", "source,target\na,b\nb,c\nsource,target\nc,d\nsource,target\nd,e\n")
    g = read_edges(p)
    assert edges(g) == [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
    assert "source" not in set(g.ids)
    assert "2 repeated header lines skipped (first at line 4)" in report(g)


def test_unknown_header_names_are_a_reported_header(tmp_path):
    p = write(tmp_path, "f.csv", "from_user,to_user\nana,bo\nbo,cy\n")
    g = read_edges(p)
    assert edges(g) == [("ana", "bo"), ("bo", "cy")]
    assert "from_user" not in set(g.ids)
    assert "first line ('from_user', 'to_user') read as a header" in report(g)
    # a first row that is data like the rest stays data, with no note
    d = write(tmp_path, "d.csv", "alice,bob\ncarol,dave\n")
    g = read_edges(d)
    assert edges(g) == [("alice", "bob"), ("carol", "dave")] and report(g) == ""
    # and the user can say otherwise
    assert ("from_user", "to_user") in edges(read_edges(p, header=False))


def test_text_above_numbers_header_is_noted(tmp_path):
    p = write(tmp_path, "h.csv", "who,whom\n1,2\n2,3\n")
    g = read_edges(p)
    assert edges(g) == [("1", "2"), ("2", "3")] and "read as a header: text above numeric rows" in report(g)


def test_whitespace_around_ids_is_trimmed_and_reported_with_merges(tmp_path):
    p = write(tmp_path, "ws.csv", "source,target\n a,b\na,c\nd , e\n")
    g = read_edges(p)
    assert edges(g) == [("a", "b"), ("a", "c"), ("d", "e")]
    assert "3 ids had white space around them trimmed" in report(g)
    assert "1 of them became equal to another id and were merged" in report(g)
    clean = write(tmp_path, "clean.csv", "source,target\na,b\n")
    assert "trimmed" not in report(read_edges(clean))


def test_probe_decides_compression_and_format_from_content(tmp_path):
    p = tmp_path / "edges.dat"
    pq.write_table(pd.DataFrame({"source": ["a"], "target": ["b"]}).pipe(lambda d: __import__("pyarrow").Table.from_pandas(d)), p)
    info = probe(p)
    assert info.format == "parquet" and info.compression is None
    assert edges(read_edges(p)) == [("a", "b")]
    gz = write(tmp_path, "e.txt", gzip.compress(b"a b\n"))  # mis-named: the magic bytes decide
    assert probe(gz).compression == "gzip" and edges(read_edges(gz)) == [("a", "b")]


def test_read_graph_options_are_explicit(tmp_path):
    p = write(tmp_path, "e.csv", "x,y\n1,2\n")
    assert edges(read_graph(p, source="y", target="x")) == [("2", "1")]
    with pytest.raises(TypeError):
        read_graph(p, weight="w")  # not an option of a follow list: a typo is not swallowed


# ------------------------------------------------------------------------- 2. never a traceback
def test_corrupt_deflate_data_in_gz(tmp_path):
    data = bytearray(gzip.compress(b"source,target\n" + b"".join(b"u%d,v%d\n" % (i, i) for i in range(2000))))
    data[30:40] = b"\xff" * 10
    p = write(tmp_path, "e.csv.gz", bytes(data))
    refused(read_edges, p, "cannot decompress (gzip)")
    refused(read_profiles, p, "cannot decompress")


@pytest.mark.parametrize("value,shown", [(str(2**63), "9.223372036854776e+18"), ("1e400", "inf"),
                                         ("9" * 3000, "inf"), ("inf", "inf")])
def test_follower_counts_that_do_not_fit_are_refused_and_counted(tmp_path, value, shown):
    p = write(tmp_path, "p.csv", f"id,followers\na,{value}\nb,12\n")
    df = read_profiles(p)
    assert df["followers"].isna().tolist() == [True, False] and str(df["followers"].dtype) == "Int64"
    assert "1 " in report(df) and "'followers' values set missing (first at line 2" in report(df)
    with pytest.raises(InputError, match="line 2") as err:
        read_profiles(p, bad_counts="raise")
    assert str(p) in str(err.value) and "2**63" in str(err.value)


def test_post_likes_that_do_not_fit(tmp_path):
    p = write(tmp_path, "posts.csv", "owner,likes,comments\na,1e400,3\nb,99999999999999999999999,2\n")
    posts = read_posts(p)
    assert posts["likes"].isna().all() and posts["comments"].tolist() == [3, 2]
    assert "2 infinite or too large (2**63 and above) 'likes' values set missing" in report(posts)


def test_huge_json_integer_followers(tmp_path):
    p = write(tmp_path, "p.json", json.dumps([{"id": "a", "followers": 2**70}, {"id": "b", "followers": 5}]))
    df = read_profiles(p)
    assert df["followers"].isna().tolist() == [True, False]
    assert "'followers' values set missing (first at record 1" in report(df)


def test_json_profiles_with_mixed_type_columns(tmp_path):
    recs = [{"id": "a", "followers": 10, "x": 1}, {"id": 2, "followers": "lots", "x": "s"}]
    p = write(tmp_path, "p.json", json.dumps(recs))
    df = read_profiles(p)
    assert list(df.index) == ["a", "2"] and df["followers"].tolist()[0] == 10 and pd.isna(df["followers"].iloc[1])
    assert "column 'followers' mixes value types" in report(df) and "record 2: 'lots'" in report(df)


def test_json_edge_list_with_nested_values(tmp_path):
    p = write(tmp_path, "e.json", json.dumps([{"source": "a", "target": ["b", "c"]}, {"source": "b", "target": "c"}]))
    refused(read_edges, p, "'target' holds lists or objects", "record 1")
    q = write(tmp_path, "f.json", json.dumps([{"source": {"id": 1}, "target": "c"}, {"source": "b", "target": "c"}]))
    refused(read_edges, q, "'source' holds lists or objects", "record 1")


@pytest.mark.parametrize("reader", [read_edges, read_profiles, read_posts, read_graph])
def test_deeply_nested_json(tmp_path, reader):
    p = write(tmp_path, "deep.json", b"[" * 100_000 + b"]" * 100_000)
    refused(reader, p, "nested too deeply")


def test_deep_node_link_json(tmp_path):
    p = write(tmp_path, "g.json", b'{"nodes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    refused(read_graph, p, "nested too deeply")


@pytest.mark.parametrize("reader,content", [(read_edges, "source,target"), (read_profiles, "id,followers"),
                                            (read_posts, "owner,likes")])
def test_header_only_without_final_newline(tmp_path, reader, content):
    p = write(tmp_path, "h.csv", content)
    msg = refused(reader, p, "no data rows")
    assert "Could not skip" not in msg


def test_json_records_that_are_not_objects(tmp_path):
    refused(read_edges, write(tmp_path, "n.json", "[1, 2, 3]"), "record 1 is a int")
    refused(read_edges, write(tmp_path, "l.jsonl", '{"source": "a", "target": "b"}\n{"source": \n'), "line 2")


def test_folder_and_missing_path(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        read_edges(tmp_path)
    f = write(tmp_path, "f.csv", "a,b\n")
    with pytest.raises(InputError, match="file not found"):
        read_edges(f / "below")


# ------------------------------------------------------------------------- 3. output side
def test_parquet_render_does_not_rename_the_callers_columns():
    df = pd.DataFrame({0: [1, 2], "b": [3, 4]})
    render(df, "parquet")
    assert list(df.columns) == [0, "b"]


def test_unknown_output_suffix_lists_the_formats(tmp_path):
    for name in ("out.xyz", "out"):
        with pytest.raises(InputError) as err:
            write_table(pd.DataFrame({"a": [1]}), tmp_path / name)
        msg = str(err.value)
        assert "csv" in msg and "parquet" in msg and "--format" in msg
    assert not list(tmp_path.iterdir())
    assert guess_format(tmp_path / "out.xyz", "csv") == "csv"  # an explicit format still wins


def test_check_output_file(tmp_path):
    check_output_file(None)
    check_output_file("-")
    target = tmp_path / "new" / "sub" / "r.csv"
    check_output_file(target)
    assert target.parent.is_dir() and not list(target.parent.iterdir())  # created, nothing left behind
    afile = write(tmp_path, "afile", "x")
    for bad, needle in ((afile / "x.csv", "is a file, not a folder"), (tmp_path, "is a folder"),
                        ("/proc/graphinflu-x/r.csv", "cannot")):
        with pytest.raises(InputError, match=needle) as err:
            check_output_file(bad)
        assert str(bad) in str(err.value) and "fix:" in str(err.value) and "\n" in str(err.value)


def test_prepare_output_dir(tmp_path):
    d = prepare_output_dir(tmp_path / "a" / "b")
    assert d.is_dir() and not list(d.iterdir())
    afile = write(tmp_path, "afile", "x")
    for bad in (afile, afile / "sub", "/proc/x"):
        with pytest.raises(InputError) as err:
            prepare_output_dir(bad)
        assert str(bad) in str(err.value) and "fix:" in str(err.value)


def test_read_only_folder(tmp_path):
    """An existing folder that cannot be written into. Root may write into a chmod-ed folder, so
    there the test uses /sys/kernel, which even root cannot create files in."""
    if os.geteuid() == 0:
        ro = Path("/sys/kernel")
        assert ro.is_dir()
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot write"):
            check_output_file(ro / "x.csv")
        with pytest.raises(InputError, match="cannot write"):
            prepare_output_dir(ro)
        with pytest.raises(InputError, match="cannot write"):
            write_table(pd.DataFrame({"a": [1]}), ro / "x.csv")
    finally:
        if ro.parent == tmp_path:
            ro.chmod(0o700)


def test_atomic_write_turns_oserror_into_input_error(tmp_path):
    afile = write(tmp_path, "afile", "x")
    with pytest.raises(InputError, match="cannot write") as err:
        with atomic_write(afile / "out.csv") as fh:
            fh.write(b"x")
    assert str(afile / "out.csv") in str(err.value)
    with pytest.raises(InputError, match="cannot write"):
        with atomic_path(tmp_path) as tmp:  # a folder where the file should go
            tmp.write_text("x")
    full = tmp_path / "full.csv"
    with pytest.raises(InputError, match="No space left") as err:
        with atomic_write(full) as fh:
            fh.write(b"partial")
            raise OSError(28, "No space left on device")
    assert str(full) in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit, RuntimeError, InputError])
def test_atomic_write_removes_the_temporary_file_on_any_exception(tmp_path, exc):
    dest = tmp_path / "t.csv"
    dest.write_text("old")
    with pytest.raises(exc):
        with atomic_write(dest) as fh:
            fh.write(b"half a table")
            assert list(tmp_path.glob(".t.csv.*.part*"))  # the temporary file exists while writing
            raise exc("stop")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"] and dest.read_text() == "old"


def test_stdin_and_table_reader_agree(monkeypatch):
    _io._stdin_cache["-"] = b"source,target\na,b\nsource,target\nb,c\n"
    try:
        tt = read_any_table("-")
        assert tt.table.num_rows == 2 and "repeated header" in "\n".join(tt.report.lines())
        assert edges(read_interactions("-")) == [("a", "b"), ("b", "c")]
    finally:
        _io._stdin_cache.clear()


# ------------------------------------------------------------------------- 4. second review round
# headers exactly as `graphinflu generate` writes them
GEN_PROFILES = "id,handle,followers,following,posts,category\n41,fit_eli,1817,259,1385,fitness\n42,bo,10,20,3,food\n"
GEN_POSTS = "owner,likes,comments,timestamp,hashtags,mentions\n41,43,2,1716914995,gains,\n42,5,0,1716914996,,41\n"


def cli_run(*args, input=None):
    from click.testing import CliRunner

    from graphinflu.cli import cli

    _io._stdin_cache.clear()
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], input=input)
    finally:
        _io._stdin_cache.clear()


@pytest.mark.parametrize("text,what,flag", [(GEN_PROFILES, "profiles", "--profiles FILE"),
                                            (GEN_POSTS, "posts", "--posts FILE")])
def test_a_profiles_or_posts_table_is_not_read_as_a_follow_list(tmp_path, text, what, flag):
    """`rank gen/posts.csv` read owner → likes as follows, `rank gen/profiles.csv` id → handle."""
    p = write(tmp_path, f"{what}.csv", text)
    msg = refused(read_edges, p, f"looks like a {what} table", flag, "--source-col/--target-col")
    assert "read_" + what in msg
    res = cli_run("rank", p, "-q")
    assert res.exit_code == 1 and "Traceback" not in res.output and flag in res.stderr, res.output
    # columns named by the caller are read as asked
    g = read_edges(p, source=0, target="handle" if what == "profiles" else "mentions")
    assert g.n_edges >= 1


def test_unnamed_endpoint_columns_are_noted(tmp_path):
    p = write(tmp_path, "f.csv", "user_a,user_b,since\nana,bo,2020\nbo,cy,2021\n")
    g = read_edges(p)
    assert edges(g) == [("ana", "bo"), ("bo", "cy")]
    note = report(g)
    assert "'user_a' → 'user_b' as follower → followed" in note and "--source-col/--target-col" in note, note
    # one end named, the other taken by position: noted too
    q = write(tmp_path, "g.csv", "follower,who,since\nana,bo,2020\n")
    assert "names no target column: read 'follower' → 'who'" in report(read_edges(q))
    # both named, or given: nothing to say
    assert "names no" not in report(read_edges(write(tmp_path, "h.csv", "source,target\na,b\n")))
    assert "names no" not in report(read_edges(p, source="user_a", target="user_b"))


def test_hints_name_the_cli_flag_and_the_python_keyword(tmp_path):
    """Hints named Python parameters (id_col=, 'the source option') or options that do not exist
    (--source/--target) to CLI users."""
    f = write(tmp_path, "f.csv", "source,target,w\na,b,1\nb,c,2\n")
    res = cli_run("rank", f, "--delimiter", ";", "-q")
    assert "--delimiter" in res.stderr and "--source/" not in res.stderr and "';'" in res.stderr, res.stderr
    res = cli_run("rank", f, "--source-col", "follower", "-q")
    assert "--source-col (source= in Python)" in res.stderr and "option" not in res.stderr, res.stderr
    res = cli_run("communities", f, "--weight-col", "weight", "-q")
    assert "--weight-col (weight= in Python)" in res.stderr, res.stderr
    prof = write(tmp_path, "p.csv", "foo,followers\n1,2\n")
    res = cli_run("rank", f, "--profiles", prof, "-q")
    assert "rename the account column to id, username or handle" in res.stderr and "id_col=" in res.stderr
    posts = write(tmp_path, "posts.csv", "likes,comments\n1,2\n")
    res = cli_run("rank", f, "--posts", posts, "-q")
    assert "rename the column of the posting account to owner" in res.stderr and "owner_col=" in res.stderr


def test_every_flag_named_in_a_message_exists():
    """A message may name a CLI flag only if some command has it."""
    import re

    import click

    from graphinflu.cli import cli

    flags: set[str] = set()

    def collect(cmd):
        for p in cmd.params:
            flags.update(o for o in p.opts + p.secondary_opts if o.startswith("--"))
        for sub in getattr(cmd, "commands", {}).values():
            collect(sub)

    collect(cli)
    assert "--source-col" in flags and isinstance(cli, click.Group)
    root = Path(__file__).resolve().parent.parent / "graphinflu"
    files = [root / "_io.py", root / "output.py", root / "params.py", *sorted((root / "loaders").glob("*.py"))]
    named = {(f.name, m) for f in files if f.name != "neo4j.py"
             for m in re.findall(r"(?<![\w-])--[a-z][a-z-]*(?:/--[a-z][a-z-]*)?", f.read_text())}
    unknown = {(f, m) for f, m in named for flag in m.split("/") if flag not in flags}
    assert not unknown, unknown


def test_standard_input_given_twice_is_refused():
    from graphinflu.params import LoadOptions

    with pytest.raises(InputError, match="standard input .* follows and profiles.*only once"):
        LoadOptions("-", profiles="-")
    with pytest.raises(InputError, match="interactions and posts"):
        LoadOptions("f.csv", interactions="-", posts="-")
    assert LoadOptions("-", profiles="p.csv").paths() == {"follows": "-", "profiles": "p.csv"}
    res = cli_run("rank", "-", "--profiles", "-", "-q", input="source,target\na,b\n")
    assert res.exit_code == 1 and "only once" in res.stderr and "no account id" not in res.stderr, res.stderr


def test_count_problems_are_reported_separately_with_the_text_as_written(tmp_path):
    """1e400, inf and -5 were all 'non-numeric'; with 1e400 alone the note quoted 'inf'."""
    p = write(tmp_path, "p.csv", "id,followers,following\na,1e400,1\nb,inf,2\nc,-5,3\nd,2.5,4\ne,lots,5\nf,7,x\n")
    df = read_profiles(p)
    assert df["followers"].isna().tolist() == [True, True, True, False, True, False]
    note = report(df)
    assert "1 non-numeric 'followers' values set missing (first at line 6: 'lots')" in note
    assert "2 infinite or too large (2**63 and above) 'followers' values set missing (first at line 2: '1e400')" in note
    assert "1 negative 'followers' values set missing (first at line 4: '-5')" in note
    assert "1 fractional 'followers' values rounded (first at line 5: '2.5')" in note
    # a column pyarrow typed as numbers: the note quotes the file's text, not the parsed inf
    q = write(tmp_path, "q.csv", "id,followers\na,10\nb,1e400\nc,-3\n")
    note = report(read_profiles(q))
    assert "(first at line 3: '1e400')" in note and "'inf'" not in note, note
    assert "negative 'followers' values set missing (first at line 4: '-3')" in note
    with pytest.raises(InputError, match=r"1 negative values.*'-3'") as err:
        read_profiles(write(tmp_path, "r.csv", "id,followers\na,10\nc,-3\n"), bad_counts="raise")
    assert "line 3" in str(err.value)


@pytest.mark.parametrize("name,fmt", [("r.csv.gz", "csv"), ("r.jsonl.gz", "jsonl"), ("r.json.gz", "json")])
def test_gzip_outputs_are_written_atomically_and_read_back(tmp_path, name, fmt):
    df = pd.DataFrame({"id": ["a", "b"], "pagerank": [0.25, 0.75]})
    dest = tmp_path / name
    assert guess_format(dest, None) == fmt
    write_table(df, dest)
    assert dest.read_bytes()[:2] == b"\x1f\x8b" and [p.name for p in tmp_path.iterdir()] == [name]
    if fmt == "csv":
        back = pd.read_csv(dest)
    else:
        back = pd.read_json(dest, lines=fmt == "jsonl", compression="gzip")
    assert back.to_dict("list") == df.to_dict("list")
    # the loaders read what the writer wrote
    assert read_any_table(dest).table.column_names == ["id", "pagerank"]


def test_other_output_compressions_are_refused_with_the_formats(tmp_path):
    for name in ("r.csv.bz2", "r.csv.xz", "r.csv.zst", "r.parquet.gz", "r.txt.gz", "r.gz"):
        with pytest.raises(InputError) as err:
            write_table(pd.DataFrame({"a": [1]}), tmp_path / name)
        assert ".csv.gz" in str(err.value) or "csv, json, jsonl" in str(err.value), str(err.value)
    assert not list(tmp_path.iterdir())


def test_rank_writes_a_gzip_csv(tmp_path):
    f = write(tmp_path, "f.csv", "source,target\na,b\nb,c\nc,a\nd,a\n")
    out = tmp_path / "r.csv.gz"
    res = cli_run("rank", f, "-o", out, "-q")
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(out)["id"]) == {"a", "b", "c", "d"}


def test_check_output_validates_the_format_before_creating_folders(tmp_path):
    from graphinflu.output import check_output

    with pytest.raises(InputError, match="unknown output suffix '.xyz'"):
        check_output(tmp_path / "new" / "dir" / "x.xyz", None)
    assert not (tmp_path / "new").exists()
    with pytest.raises(InputError, match="not supported"):
        check_output(tmp_path / "new" / "x.csv.bz2", None)
    assert not (tmp_path / "new").exists()
    assert check_output(tmp_path / "new" / "dir" / "x.jsonl.gz", None) == "jsonl"
    assert (tmp_path / "new" / "dir").is_dir() and not list((tmp_path / "new" / "dir").iterdir())
    assert check_output(None, None) == "table" and check_output("-", "csv") == "csv"
    assert check_output(tmp_path / "x.dat", "json") == "json"
    (tmp_path / "adir.csv").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        check_output(tmp_path / "adir.csv", None)


def test_check_output_refuses_parquet_to_a_terminal(monkeypatch):
    """write_table refused Parquet to a terminal only after the whole computation."""
    from graphinflu.output import check_output

    master, slave = os.openpty()
    try:
        with open(slave, "w", closefd=False) as tty:
            monkeypatch.setattr("sys.stdout", tty)  # a real terminal, not a stand-in
            with pytest.raises(InputError, match="Parquet to a terminal"):
                check_output(None, "parquet")
            with pytest.raises(InputError, match="Parquet to a terminal"):
                check_output("-", "parquet")
            assert check_output(None, "csv") == "csv"
    finally:
        os.close(master)
        os.close(slave)


def test_a_rule_line_in_csv_fields_is_decoration(tmp_path):
    """`=====,=======` under a CSV header was read as an edge between two accounts named `=====`."""
    p = write(tmp_path, "ruled.csv", "source,target\n=====,=======\na,b\nb,c\n")
    g = read_edges(p)
    assert sorted(g.ids) == ["a", "b", "c"]
    assert any("separator line" in line for line in g.report.lines())


def test_sketch_size_bounds_match_datasketches():
    """lg_k 4 passed the check and then failed inside datasketches; 5 is its smallest size."""
    with pytest.raises(InputError, match="between 5 and 26"):
        SketchParams(above=0, lg_k=4)
    assert SketchParams(above=0, lg_k=5).lg_k == 5


@pytest.mark.parametrize("value", [float("nan"), -5, float("inf")])
def test_quality_thresholds_must_be_finite_counts(value):
    g = Graph.from_pandas(pd.DataFrame({"source": ["a", "b"], "target": ["z", "z"]}))
    g = g.with_accounts(pd.DataFrame({"following": [3000, 10], "posts": [5, 0]}, index=["a", "b"]))
    with pytest.raises(InputError, match="finite number of at least 0"):
        audience_quality(g, ["z"], mass_following=value)
