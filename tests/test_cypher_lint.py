"""Every file in cypher/ passes Neo4j's own Cypher front end (@neo4j-cypher/language-support's
lintCypherQuery) with zero diagnostics. Needs `npm ci --prefix tools/cypher-lint` (node >= 20)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphinflu import store as st

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tools" / "cypher-lint"
FILES = sorted((ROOT / "cypher").glob("*.cypher"))


def run_lint(*files) -> tuple[int, dict, str]:
    node = shutil.which("node")
    assert node, "node is not installed: the Cypher lint needs Node.js >= 20"
    assert (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), (
        "run `npm ci --prefix tools/cypher-lint` first (installs @neo4j-cypher/language-support)")
    proc = subprocess.run([node, str(LINT / "lint.mjs"), "--json", *map(str, files)], capture_output=True,
                          text=True, timeout=300)
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else {}, proc.stderr


@pytest.fixture(scope="module")
def library_lint():
    return run_lint(*FILES)


def test_every_cypher_file_has_zero_diagnostics(library_lint):
    rc, out, err = library_lint
    problems = [f"{f['file']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}"
                for f in out.get("files", []) for d in f["diagnostics"]]
    assert rc == 0 and out["diagnostics"] == 0, "\n".join(problems) or err
    assert {Path(f["file"]).name for f in out["files"]} == {f.name for f in FILES}


def test_one_statement_per_file_except_schema(library_lint):
    _, out, _ = library_lint
    for f in out["files"]:
        expected = 5 if Path(f["file"]).name == "schema.cypher" else 1
        assert f["statements"] == expected, f["file"]


def test_the_lint_catches_mistakes(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text("// bad: misspelt label, undeclared parameter, unknown variable\n"
                   "// :param a => 1\n"
                   "MATCH (n:Acount) WHERE n.id = $a AND n.handle = $b RETURN m\n")
    rc, out, _ = run_lint(bad)
    messages = " | ".join(d["message"] for d in out["files"][0]["diagnostics"])
    assert rc == 1
    assert "Acount" in messages and "Parameter $b is not defined" in messages and "`m` not defined" in messages


def test_lint_schema_covers_the_allow_list():
    schema = json.loads((LINT / "schema.json").read_text())
    assert set(st.REL_TYPES.values()) | {st.OVERLAP_TYPE} <= set(schema["relationshipTypes"])
    assert schema["labels"] == [st.LABEL]


def test_headers_say_what_and_declare_params():
    for f in FILES:
        text = f.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first.startswith(f"// {f.stem}: "), f.name
        q = st.get_query(f.stem)
        if q.params:
            assert "Paste into Neo4j Browser first:" in text, f.name
        else:
            assert "No parameters." in text or q.kind == "schema", f.name


def test_the_wheel_ships_the_cypher_files():
    from importlib import resources

    shipped = {e.name for e in resources.files("graphinflu.cypher").iterdir() if e.name.endswith(".cypher")}
    assert shipped == {f.name for f in FILES}


# ----------------------------------------------------------------------------- GDS signatures (issue 12)
def test_planted_gds_typos_are_lint_errors(tmp_path):
    """gds-schema.json (read from the live server) gives the front end the GDS signatures, and the
    lint the configuration keys: a misspelt key, a YIELD column the procedure does not have, a
    misspelt procedure and a missing argument are each an error."""
    src = {f.stem: f.read_text(encoding="utf-8") for f in FILES}
    planted = {
        "pr_key.cypher": (src["gds_pagerank_write"].replace("dampingFactor:", "dampingFactr:"),
                          "gds.pageRank.write has no configuration key 'dampingFactr' (did you mean dampingFactor?)"),
        "pr_yield.cypher": (src["gds_pagerank_write"].replace("ranIterations", "ranIteration"),
                            "Unknown procedure output: `ranIteration`"),
        "leiden_name.cypher": (src["gds_leiden_write"].replace("gds.leiden.write(", "gds.leiden.writ("),
                               "Procedure gds.leiden.writ is not present"),
        "sim_key.cypher": (src["gds_similarity_write"].replace("topK:", "topk:"),
                           "has no configuration key 'topk' (did you mean topK, topN?)"),
        "drop_args.cypher": (src["gds_drop"].replace("gds.graph.drop($graph, false)",
                                                     "gds.graph.drop($graph, false, 'db', 'user', 1)"),
                             "too many arguments: got 5 expected no more than 4"),
    }
    for name, (text, _) in planted.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    rc, out, err = run_lint(*sorted(tmp_path.glob("*.cypher")))
    assert rc == 1, err
    by_file = {Path(f["file"]).name: " | ".join(d["message"] for d in f["diagnostics"]) for f in out["files"]}
    for name, (_, expected) in planted.items():
        assert expected in by_file[name], (name, by_file[name])


def test_gds_schema_covers_every_gds_call_of_the_library():
    from graphinflu.store.gds import library_procedures

    schema = json.loads((LINT / "gds-schema.json").read_text())
    assert set(library_procedures()) == set(schema["procedures"])
    assert {"gds.pageRank.write", "gds.leiden.write", "gds.nodeSimilarity.filtered.write"} <= set(schema["configKeys"])


def test_gds_schema_is_what_the_live_server_reports(neo4j_store):
    """The committed gds-schema.json equals what the live server reports now (regenerate it with
    `python tools/cypher-lint/gds_schema.py` against a Neo4j with the GDS of tools/neo4j-server/pom.xml)."""
    import sys

    from graphinflu.store.gds import lint_schema

    sys.path.insert(0, str(LINT))
    try:
        import gds_schema
    finally:
        sys.path.remove(str(LINT))
    assert gds_schema.render(lint_schema(neo4j_store)) == (LINT / "gds-schema.json").read_text(encoding="utf-8")


def test_planted_projection_typos_are_lint_errors(tmp_path):
    """The keys of gds.graph.project's node and relationship projection maps and of their
    property mappings, and the orientation / aggregation values, are checked against
    gds-schema.json (projectionKeys read from the live server, projectionValues from the GDS
    manual): each planted typo is an error at its place, and the same maps written correctly
    (keys in any case, as GDS reads them) are not."""
    src = {f.stem: f.read_text(encoding="utf-8") for f in FILES}
    node_ok = "{Account: {label: 'Account', properties: {followers: {property: 'followers', defaultValue: 0}}}}"
    rel_ok = ("FOLLOWS_W: {type: 'FOLLOWS', ORIENTATION: 'undirected', aggregation: 'SINGLE', "
              "properties: {w: {property: 'weight', aggregation: 'SUM', defaultValue: 1.0}}},\n  FOLLOWS:")
    planted = {
        "orientaton.cypher": (src["gds_project"].replace("orientation: 'NATURAL'", "orientaton: 'NATURAL'"),
                              "gds.graph.project: relationship projection 'FOLLOWS' has no key 'orientaton' "
                              "(did you mean orientation?)"),
        "agregation.cypher": (src["gds_project_estimate"].replace("orientation: 'REVERSE', aggregation:",
                                                                  "orientation: 'REVERSE', agregation:"),
                              "gds.graph.project.estimate: relationship projection 'FOLLOWED_BY' has no key "
                              "'agregation' (did you mean aggregation?)"),
        "orientation_value.cypher": (src["gds_project"].replace("orientation: 'UNDIRECTED'", "orientation: 'UNDIRECTD'"),
                                     "relationship projection 'FOLLOWS_UNDIRECTED' has orientation 'UNDIRECTD', not "
                                     "one of NATURAL, REVERSE, UNDIRECTED"),
        "node_key.cypher": (src["gds_project"].replace("$graph, 'Account',",
                                                       "$graph, " + node_ok.replace("label:", "lable:") + ","),
                            "node projection 'Account' has no key 'lable' (did you mean label?)"),
        "property_key.cypher": (src["gds_project"].replace("FOLLOWS:", rel_ok.replace("defaultValue: 1.0",
                                                                                      "defaultVaule: 1.0"), 1),
                                "property mapping 'w' of relationship projection 'FOLLOWS_W' has no key "
                                "'defaultVaule' (did you mean defaultValue?)"),
    }
    ok = tmp_path / "ok"
    ok.mkdir()
    (ok / "correct_maps.cypher").write_text(
        src["gds_project"].replace("$graph, 'Account',", f"$graph, {node_ok},").replace("FOLLOWS:", rel_ok, 1))
    for name, (text, _) in planted.items():
        assert text not in src.values(), name  # the typo was planted
        (tmp_path / name).write_text(text, encoding="utf-8")
    rc, out, err = run_lint(*sorted(tmp_path.glob("*.cypher")))
    assert rc == 1, err
    by_file = {Path(f["file"]).name: [d for d in f["diagnostics"]] for f in out["files"]}
    for name, (text, expected) in planted.items():
        messages = [d["message"] for d in by_file[name]]
        assert len(messages) == 1 and expected in messages[0], (name, messages)
        bad = {"orientaton.cypher": "orientaton", "agregation.cypher": "agregation",
               "orientation_value.cypher": "'UNDIRECTD'", "node_key.cypher": "lable",
               "property_key.cypher": "defaultVaule"}[name]
        d = by_file[name][0]
        assert text.splitlines()[d["line"] - 1][d["column"] - 1:].startswith(bad), (name, d)
    rc, out, err = run_lint(ok / "correct_maps.cypher")
    assert rc == 0 and out["diagnostics"] == 0, out


def test_projection_keys_are_the_documented_ones():
    """gds-schema.json's projection keys (read from the live server's yielded projections) are
    the ones GDS documents for native projections (GDS 2.13 manual, "Native projection":
    node projection label, properties; relationship projection type, orientation, aggregation,
    indexInverse, properties; property mapping property, defaultValue, aggregation — for nodes
    GDS reports no aggregation)."""
    schema = json.loads((LINT / "gds-schema.json").read_text())
    assert schema["projectionKeys"] == {
        "node": ["label", "properties"], "nodeProperty": ["defaultValue", "property"],
        "relationship": ["aggregation", "indexInverse", "orientation", "properties", "type"],
        "relationshipProperty": ["aggregation", "defaultValue", "property"]}
    assert schema["projectionValues"]["orientation"] == ["NATURAL", "REVERSE", "UNDIRECTED"]
    assert {"SINGLE", "NONE", "SUM", "MIN", "MAX", "COUNT"} <= set(schema["projectionValues"]["aggregation"])
