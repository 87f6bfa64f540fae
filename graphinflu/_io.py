"""File plumbing shared by every loader and writer: compression, stdin, atomic writes."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

import pyarrow as pa

from .errors import InputError

_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}
_EXT = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}

_stdin_cache: dict[str, bytes] = {}


def _umask_mode() -> int:
    # mkstemp creates 0600 files; a finished output should get the usual permissions
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def display_name(path: str | os.PathLike) -> str:
    return "<stdin>" if str(path) == "-" else str(path)


def strip_compression_suffix(path: str | os.PathLike) -> str:
    """``follows.csv.gz`` → ``follows.csv`` (used to guess the format from the name)."""
    p = str(path)
    for ext in _EXT:
        if p.lower().endswith(ext):
            return p[: -len(ext)]
    return p


def _stdin_bytes() -> bytes:
    if "-" not in _stdin_cache:
        _stdin_cache["-"] = sys.stdin.buffer.read()
    return _stdin_cache["-"]


def _compression_of(head: bytes) -> str | None:
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            return name
    return None


def check_readable(path: str | os.PathLike) -> None:
    if str(path) == "-":
        return
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", path=path, hint="check the path (use - to read standard input)")
    if p.is_dir():
        raise InputError("is a folder, not a file", path=path)


def open_binary(path: str | os.PathLike) -> IO[bytes]:
    """Open ``path`` (or ``-`` for stdin) as a decompressed binary stream.

    Compression is detected from the magic bytes, so a mis-named file still reads; a file whose
    name says ``.gz`` but that is not gzip gets a clear error.
    """
    check_readable(path)
    if str(path) == "-":
        raw: IO[bytes] = io.BytesIO(_stdin_bytes())
    else:
        raw = open(path, "rb")
    head = raw.read(8)
    raw.seek(0)
    comp = _compression_of(head)
    ext = _EXT.get(Path(str(path)).suffix.lower())
    if ext and comp is None and head:
        raw.close()
        raise InputError(
            f"the name says {ext} but the content is not {ext}-compressed",
            path=display_name(path),
            hint="rename the file without the compression suffix, or compress it properly",
        )
    if comp == "gzip":
        return gzip.GzipFile(fileobj=raw)
    if comp == "bz2":
        return bz2.BZ2File(raw)
    if comp == "xz":
        return lzma.LZMAFile(raw)
    if comp == "zstd":
        return pa.CompressedInputStream(pa.PythonFile(raw, mode="r"), "zstd")
    return raw


def arrow_stream(path: str | os.PathLike):
    """A stream pyarrow's CSV reader can consume at C speed (gzip/bz2/zstd decoded natively)."""
    check_readable(path)
    if str(path) == "-":
        data = _stdin_bytes()
        comp = _compression_of(data[:8])
        buf = pa.BufferReader(data)
        if comp in ("gzip", "bz2", "zstd"):
            return pa.CompressedInputStream(buf, comp)
        if comp == "xz":
            return lzma.LZMAFile(io.BytesIO(data))
        return buf
    with open(path, "rb") as fh:
        head = fh.read(8)
    comp = _compression_of(head)
    if comp in ("gzip", "bz2", "zstd"):
        return pa.input_stream(str(path), compression=comp)
    if comp == "xz" or _EXT.get(Path(str(path)).suffix.lower()):
        return open_binary(path)
    return pa.input_stream(str(path))


def read_head(path: str | os.PathLike, nbytes: int = 1 << 16) -> bytes:
    """The first ``nbytes`` of the decompressed content; a clear error if it cannot be decompressed."""
    try:
        with contextlib.closing(open_binary(path)) as fh:
            return fh.read(nbytes)
    except InputError:
        raise
    except (OSError, EOFError, lzma.LZMAError, pa.ArrowException) as err:
        raise InputError(
            f"cannot decompress: {err}", path=display_name(path), hint="check that the file is complete and not corrupted"
        ) from err


@contextlib.contextmanager
def atomic_write(dest: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """Write to a temporary file beside ``dest`` and move it into place only on success."""
    with atomic_path(dest) as tmp, open(tmp, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as fh:
        yield fh


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``dest`` (for libraries that want a file name), then move it."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part" + dest.suffix, dir=dest.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def prepare_output_dir(path: str | os.PathLike) -> Path:
    """Create the output folder ``path`` and prove it is writable, before any work starts."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".graphinflu-write-test.", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise InputError(f"cannot write into this folder: {err.strerror or err}", path=path,
                         hint="choose another -o folder (one you can create and write to)") from err
    return out


def check_output_file(path: str | os.PathLike | None) -> None:
    """Fail now, before any work, if ``-o FILE`` cannot be written (stdout, ``None`` or ``-``, is fine)."""
    if path is None or str(path) == "-":
        return
    p = Path(path)
    if p.is_dir():
        raise InputError("is a folder; -o wants a file name", path=path, hint="add a file name, e.g. out/result.csv")
    prepare_output_dir(p.parent if str(p.parent) else ".")
