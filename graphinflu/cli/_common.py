"""What every command shares: loading with a report on stderr, progress lines, notes."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import click

from ..metrics._leiden import warm_up
from ..params import CommunityParams, LoadOptions
from ..pipeline import Inputs, load_inputs


def note(quiet: bool, message: str) -> None:
    """A line on stderr (progress, what was skipped), unless ``--quiet``."""
    if not quiet:
        click.echo(message, err=True)


def notes(quiet: bool, lines, prefix: str = "note: ") -> None:
    for line in lines:
        note(quiet, f"{prefix}{line}")


@contextmanager
def step(quiet: bool, label: str):
    """Say what a long step is doing on stderr, with its time when done."""
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


def preload_leiden(niches: CommunityParams | None = None) -> None:
    """Compile/load the Leiden kernels in a thread while the input is read (~0.3 s saved)."""
    if niches is not None and (niches.method not in ("leiden", "cpm") or niches.engine != "graphinflu"):
        return

    def work():
        try:
            warm_up()
        except Exception:  # noqa: BLE001 - the real call reports any problem, with its context
            pass

    threading.Thread(target=work, name="graphinflu-leiden-warm-up", daemon=True).start()


def read_inputs(options: LoadOptions, quiet: bool, steps=None, *, weight_col=None) -> Inputs:
    """Load the inputs the way every command does, and say on stderr what was skipped or changed."""
    options.require_input()
    with (steps("loading") if steps else step(quiet, "loading")):
        inputs = load_inputs(options, weight_col=weight_col)
    note(quiet, f"{inputs.graph!r}")
    notes(quiet, inputs.graph.report.lines(), "  note: ")
    return inputs
