"""Shared click options and helpers: every command reads inputs and writes outputs the same way."""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager

import click

from ..errors import GraphinfluError
from ..output import FORMATS


def output_options(f):
    """``--format`` and ``-o/--output`` (stdout by default)."""
    f = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="Output format (default: from the -o suffix, else a table on stdout).")(f)
    f = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
                     help="Write here instead of stdout (written atomically).")(f)
    return f


def edge_options(f):
    """How the follow edge list FILE is read (see ``graphinflu.loaders.read_edges``)."""
    opts = [
        click.option("--source-col", "source_col", default=None,
                     help="Follower column, by name or 0-based number (default: source/follower/..., else the first)."),
        click.option("--target-col", "target_col", default=None,
                     help="Followed column, by name or 0-based number (default: target/followed/..., else the second)."),
        click.option("--direction", type=click.Choice(["follower-followed", "followed-follower"]),
                     default="follower-followed", show_default=True,
                     help="How the two columns are read; followed-follower is for 'account,follower' files."),
        click.option("--delimiter", default=None, help="Column delimiter (default: sniffed; ' ' = whitespace)."),
        click.option("--header/--no-header", default=None, help="Whether the first row names the columns (default: detected)."),
        click.option("--profiles", type=click.Path(dir_okay=False, allow_dash=False), default=None,
                     help="Account profiles (followers, following, posts, category, ...)."),
        click.option("--interactions", type=click.Path(dir_okay=False), default=None,
                     help="Interaction edges (source, target[, kind, weight, timestamp])."),
        click.option("--interaction-kind", default="mentions", show_default=True,
                     help="Kind of interaction rows without a kind column."),
        click.option("--posts", type=click.Path(dir_okay=False), default=None,
                     help="Posts table (owner, likes, comments, mentions, tagged users, hashtags, sponsors)."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def preload_leiden() -> None:
    """Import numba and load the Leiden kernels in a thread while the input is read (~0.3 s saved)."""

    def work():
        try:
            from ..metrics._leiden import warm_up

            warm_up()
        except Exception:  # noqa: BLE001 - the real call reports any problem, with its context
            pass

    threading.Thread(target=work, name="graphinflu-leiden-warm-up", daemon=True).start()


def quiet_option(f):
    return click.option("-q", "--quiet", is_flag=True, help="No progress or notes on stderr.")(f)


def note(quiet: bool, message: str) -> None:
    """A line on stderr (progress, what was skipped), unless ``--quiet``."""
    if not quiet:
        click.echo(message, err=True)


@contextmanager
def step(quiet: bool, label: str):
    """Say what a long step is doing on stderr, with its time when done."""
    import time

    t0 = time.perf_counter()
    if not quiet:
        click.echo(f"{label} ...", err=True, nl=False)
    try:
        yield
    finally:
        if not quiet:
            click.echo(f" {time.perf_counter() - t0:.2f}s", err=True)


class Steps:
    """A progress bar over the steps of a long command, one line per step on stderr:
    ``[###------] 3/9 communities ... 0.48s``; silent with --quiet."""

    def __init__(self, quiet: bool, total: int):
        self.quiet, self.total, self.done = quiet, total, 0

    def __call__(self, label: str):
        self.done += 1
        bar = "#" * self.done + "-" * max(self.total - self.done, 0)
        return step(self.quiet, f"[{bar}] {self.done}/{self.total} {label}")


def handle_errors(f):
    """Turn a GraphinfluError into one clear line and exit code 1 (no traceback)."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except GraphinfluError as err:
            raise click.ClickException(str(err)) from err

    return wrapper
