"""The CLI stays a thin layer: short commands, no table logic, shared option groups everywhere."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import click
import pytest

from graphinflu.cli import cli

CLI_DIR = Path(__file__).resolve().parent.parent / "graphinflu" / "cli"
#: DataFrame / array operations that mean grouping, filtering, sorting or ranking is being done here.
TABLE_LOGIC = {"sort_values", "groupby", "lexsort", "argsort", "rank", "nlargest", "nsmallest", "merge", "pivot",
               "value_counts", "isin", "flatnonzero"}


def commands(group: click.Group = cli, prefix: tuple = ()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from commands(cmd, prefix + (name,))
        else:
            yield " ".join(prefix + (name,)), cmd


def body_lines(fn) -> int:
    """Lines of a function's body, without its docstring, blank lines and comments."""
    src = textwrap.dedent(inspect.getsource(inspect.unwrap(fn)))
    node = ast.parse(src).body[0]
    body = node.body[1:] if ast.get_docstring(node) else node.body
    lines = set()
    for stmt in body:
        lines.update(range(stmt.lineno, stmt.end_lineno + 1))
    text = src.splitlines()
    return sum(1 for i in lines if text[i - 1].strip() and not text[i - 1].strip().startswith("#"))


@pytest.mark.parametrize("name,cmd", list(commands()), ids=[n for n, _ in commands()])
def test_every_command_is_short_and_documented(name, cmd):
    assert cmd.help and len(cmd.help.strip()) > 20, f"{name} has no help text"
    n = body_lines(cmd.callback)
    assert n <= 40, f"`graphinflu {name}` has {n} lines of code: move logic into the library"


def test_cli_modules_hold_no_table_logic():
    found = []
    for path in CLI_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in TABLE_LOGIC:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in ("numpy", "scipy") for n in names):
                    found.append(f"{path.name}:{node.lineno} imports {names}")
    assert not found, "grouping, sorting or array work belongs in the library: " + ", ".join(found)


def option_names(cmd) -> set[str]:
    return {o for p in cmd.params for o in p.opts}


LOAD = {"--source-col", "--target-col", "--direction", "--delimiter", "--header", "--profiles", "--interactions",
        "--interaction-kind", "--posts"}
NICHES = {"--method", "--resolution", "--seed", "--symmetrize", "--leiden-iterations", "--leiden-engine"}


@pytest.mark.parametrize("name,cmd", list(commands()), ids=[n for n, _ in commands()])
def test_option_groups_come_whole(name, cmd):
    """A command that reads files takes every load option; one that finds niches, every niche option
    (with the same defaults everywhere)."""
    opts = option_names(cmd)
    for group in (LOAD, NICHES):
        if opts & group and not (name == "generate" and opts & group == {"--seed"}):
            assert group <= opts, f"{name} lacks {sorted(group - opts)}"
    defaults = {p.name: p.default for p in cmd.params if isinstance(p, click.Option)}
    if "--leiden-engine" in opts:
        assert (defaults["method"], defaults["resolution"], defaults["seed"], defaults["symmetrize"],
                defaults["leiden_iterations"], defaults["leiden_engine"]) == ("leiden", 1.0, 0, "collapse", 2,
                                                                               "graphinflu")
