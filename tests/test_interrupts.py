"""Never a stale result: signals clean up temporary files, and a folder with a manifest is complete."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphinflu.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def leftovers(folder: Path) -> list[str]:
    """Temporary files an atomic write leaves if it is not cleaned up."""
    return sorted(p.name for p in folder.rglob("*") if ".part" in p.name)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("written", [0, 1, 1 << 20])
def test_signal_during_an_atomic_write_removes_the_temporary_file(tmp_path, sig, written):
    """A process killed by SIGTERM or SIGINT in the middle of writing a table leaves neither the
    table nor its temporary file (the signal arrives after `written` bytes)."""
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        from graphinflu._io import atomic_write
        from graphinflu.cli._group import install_signal_handlers
        install_signal_handlers()
        with atomic_write(sys.argv[1], "wb") as fh:
            fh.write(b"x" * {written})
            fh.flush()
            os.kill(os.getpid(), {int(sig)})
            time.sleep(10)
        print("not interrupted")
    """)
    dest = tmp_path / "table.csv"
    res = subprocess.run([sys.executable, "-c", script, str(dest)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode != 0 and "not interrupted" not in res.stdout
    assert res.returncode in (128 + int(sig), 1, -int(sig)), res
    assert not dest.exists()
    assert leftovers(tmp_path) == []


@pytest.fixture(scope="module")
def big_input(tmp_path_factory) -> Path:
    """A generated graph large enough that analyze spends a visible time writing its tables."""
    out = tmp_path_factory.mktemp("gen")
    res = CliRunner().invoke(cli, ["generate", "--edges", "100000", "--seed", "2", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


def _run_analyze(out: Path, inputs: Path):
    return subprocess.Popen([sys.executable, "-m", "graphinflu", "analyze", str(inputs / "follows.csv"),
                             "--profiles", str(inputs / "profiles.csv"), "--posts", str(inputs / "posts.csv"),
                             "--format", "json", "-o", str(out), "-q"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_signals_at_many_points_of_analyze_never_leave_part_files_or_a_false_manifest(tmp_path, big_input):
    """SIGTERM and SIGINT sent at seven points of a whole analyze run (start-up, loading, metrics,
    writing): never a temporary file left, and a manifest only when the run finished."""
    t0 = time.perf_counter()
    done = _run_analyze(tmp_path / "full", big_input)
    assert done.wait(timeout=300) == 0, done.stderr.read()
    total = time.perf_counter() - t0
    assert (tmp_path / "full" / "manifest.json").exists()
    outcomes = []
    for i, frac in enumerate((0.2, 0.5, 0.7, 0.8, 0.88, 0.94, 0.98)):
        sig = signal.SIGTERM if i % 2 == 0 else signal.SIGINT
        out = tmp_path / f"run{i}"
        p = _run_analyze(out, big_input)
        time.sleep(total * frac)
        p.send_signal(sig)
        code = p.wait(timeout=300)
        assert leftovers(tmp_path / f"run{i}") == [] if out.exists() else True
        has_manifest = (out / "manifest.json").exists()
        if code == 0:
            assert has_manifest, frac
        if has_manifest:  # the run beat the signal (the signal may still land during interpreter exit):
            # the manifest lists every file, and they all exist
            files = json.loads((out / "manifest.json").read_text())["files"].values()
            assert all((out / f).exists() for f in files)
        outcomes.append(code)
    interrupted = [c for c, i in zip(outcomes, range(len(outcomes))) if c != 0
                   and not (tmp_path / f"run{i}" / "manifest.json").exists()]
    assert interrupted, "no signal arrived before the end: the test measured nothing"


def test_rerun_that_fails_removes_the_old_manifest(tmp_path):
    """Re-running analyze into a folder first removes the old manifest.json, so a failed re-run does
    not leave an old manifest beside new or missing tables."""
    good = tmp_path / "e.csv"
    good.write_text("source,target\n" + "".join(f"f{i},c{i % 4}\nf{i},c{(i + 1) % 4}\n" for i in range(40)))
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["analyze", str(good), "-o", str(out), "-q", "--tier", "nano", "--no-map"])
    assert res.exit_code == 0, res.output
    assert (out / "manifest.json").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\n")  # no edges at all
    res = CliRunner().invoke(cli, ["analyze", str(bad), "-o", str(out), "-q", "--no-map"])
    assert res.exit_code != 0
    assert not (out / "manifest.json").exists()
    assert leftovers(out) == []


@pytest.mark.parametrize("make_target", [
    lambda tmp: tmp / "afile" / "sub",       # a folder under a regular file
    lambda tmp: Path("/proc/graphinflu-x"),  # a folder that cannot be created
])
def test_analyze_checks_its_output_folder_before_any_work(tmp_path, make_target):
    (tmp_path / "afile").write_text("x")
    missing_input = tmp_path / "does-not-exist.csv"  # never read: the folder check comes first
    res = CliRunner().invoke(cli, ["analyze", str(missing_input), "-o", str(make_target(tmp_path)), "-q"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert "cannot" in res.stderr and "file not found" not in res.stderr, res.stderr


@pytest.mark.parametrize("make_target", [
    lambda tmp: tmp / "afile" / "x.csv",
    lambda tmp: Path("/proc/graphinflu-x/x.csv"),
    lambda tmp: tmp,                          # a folder, not a file
])
def test_rank_checks_its_output_file_before_reading(tmp_path, make_target):
    (tmp_path / "afile").write_text("x")
    res = CliRunner().invoke(cli, ["rank", str(tmp_path / "nope.csv"), "-o", str(make_target(tmp_path)), "-q"])
    assert res.exit_code in (1, 2) and "Traceback" not in res.output  # 2: click's own usage error
    assert "file not found" not in res.stderr and "Error:" in res.stderr, res.stderr


@pytest.mark.parametrize("args", [["analyze", "{missing}", "-o", "{out}", "-q"],
                                  ["generate", "--edges", "5", "-o", "{out}", "-q"]])
def test_a_failed_run_leaves_no_new_empty_folder(tmp_path, args):
    out = tmp_path / "new" / "out"
    res = CliRunner().invoke(cli, [a.format(missing=tmp_path / "nope.csv", out=out) for a in args])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert not out.exists()


def test_outputs_write_through_links_pipes_and_devices(tmp_path):
    """An atomic write renames a finished temporary file over its target. Over a symlink that
    replaced the link, over a named pipe or a device (/dev/null, /dev/full) it destroyed them —
    even a system device, when run as root. Now a link is written through and a pipe or device is
    written to directly; neither is ever replaced."""
    edges = tmp_path / "e.csv"
    edges.write_text("source,target\na,b\nb,c\n")
    link, real = tmp_path / "link.csv", tmp_path / "real.csv"
    link.symlink_to(real)
    res = CliRunner().invoke(cli, ["rank", str(edges), "-o", str(link), "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    assert link.is_symlink() and "rank" in real.read_text().splitlines()[0]
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    res = CliRunner().invoke(cli, ["rank", str(edges), "-o", str(fifo), "--format", "csv", "-q"])
    reader.join(timeout=30)
    assert res.exit_code == 0, res.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and b"rank" in got[0]
    res = CliRunner().invoke(cli, ["rank", str(edges), "-o", "/dev/null", "--format", "csv", "-q"])
    assert res.exit_code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    res = CliRunner().invoke(cli, ["rank", str(edges), "-o", "/dev/full", "--format", "csv", "-q"])
    assert res.exit_code == 1 and "No space left" in res.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert leftovers(tmp_path) == []
