"""File plumbing shared by every loader and writer: one way in (:func:`probe`), one way out
(:func:`atomic_path`, :func:`check_output_file`, :func:`prepare_output_dir`).

Every reader starts with :func:`probe`, which checks the path once, decides compression (from the
magic bytes; a name that promises a compression the content lacks is an error) and format (from
the name, corrected by the content: Parquet's ``PAR1``, XML roots), reads the decompressed head
once and says what the head looks like (text, HTML, JSON, XML, UTF-16, binary). Every OS or
decompression error on the way in or out becomes an :class:`~graphinflu.errors.InputError`
naming the file and the fix.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import stat
import re
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

import pyarrow as pa

from .errors import InputError

#: Magic bytes → compression.
_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
}
#: File-name suffix → compression (the one map; writers use it too).
COMPRESSION_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
#: File-name suffix (after any compression suffix) → format.
FORMAT_SUFFIXES = {
    ".parquet": "parquet", ".pq": "parquet", ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".graphml": "graphml", ".gexf": "gexf",
}
#: How much decompressed content :func:`probe` reads for sniffing.
HEAD_BYTES = 1 << 16
#: Every error a decompressing read can raise (zlib.error is not an OSError).
READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, pa.ArrowException)

_stdin_cache: dict[str, bytes] = {}

_HTML = re.compile(rb"^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|!--)", re.IGNORECASE)
_XML = re.compile(rb"^\s*<(\?xml|graphml[\s>]|gexf[\s>])", re.IGNORECASE)
_JSON = re.compile(rb"^\s*(\{\s*(\"|\}|$)|\[\s*(\{|\[|\"|\]|-?\d|true|false|null|$))")


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
    ext = os.path.splitext(p)[1].lower()
    return p[: -len(ext)] if ext in COMPRESSION_SUFFIXES else p


def format_from_name(path: str | os.PathLike) -> str:
    """``parquet``, ``json``, ``graphml``, ``gexf`` or ``text``, from the suffix (compression ignored)."""
    return FORMAT_SUFFIXES.get(os.path.splitext(strip_compression_suffix(path))[1].lower(), "text")


def _stdin_bytes() -> bytes:
    if "-" not in _stdin_cache:
        _stdin_cache["-"] = sys.stdin.buffer.read()
    return _stdin_cache["-"]


def _compression_of(head: bytes) -> str | None:
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            return name
    return None


def _decompressed(raw: IO[bytes], comp: str | None) -> IO[bytes]:
    if comp == "gzip":
        return gzip.GzipFile(fileobj=raw)
    if comp == "bz2":
        return bz2.BZ2File(raw)
    if comp == "xz":
        return lzma.LZMAFile(raw)
    if comp == "zstd":
        return pa.CompressedInputStream(pa.PythonFile(raw, mode="r"), "zstd")
    return raw


def _looks_like(head: bytes) -> str:
    """What the decompressed head looks like: ``text``, ``html``, ``xml``, ``json``, ``utf-16``,
    ``utf-32`` or ``binary``."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if b"\x00" in body[:4096]:
        sample = body[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if len(sample) >= 4 and max(even, odd) > 0.3 * len(sample) / 2 and min(even, odd) < 0.05 * len(sample) / 2:
            return "utf-16"
        return "binary"
    if _HTML.match(body):
        return "html"
    if _XML.match(body):
        return "xml"
    if _JSON.match(body):
        return "json"
    return "text"


@dataclass(frozen=True)
class FileInfo:
    """What :func:`probe` found out about an input file, so nothing checks or reads it twice.

    Attributes
    ----------
    path : str
        As given (``"-"`` is standard input).
    name : str
        For messages (``<stdin>`` for ``-``).
    compression : str or None
        ``gzip``, ``bz2``, ``xz``, ``zstd`` (from the magic bytes) or None.
    format : str
        ``text``, ``parquet``, ``json``, ``graphml`` or ``gexf``: the name's suffix, corrected by
        the content where the content is unmistakable (Parquet magic, an XML graph root).
    head : bytes
        The first :data:`HEAD_BYTES` of the decompressed content.
    complete : bool
        Whether ``head`` is the whole content.
    looks_like : str
        What the head looks like (see ``_looks_like``): ``text``, ``html``, ``xml``, ``json``,
        ``utf-16``, ``utf-32`` or ``binary``.
    """

    path: str
    name: str
    compression: str | None
    format: str
    head: bytes
    complete: bool
    looks_like: str

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"

    def open(self) -> IO[bytes]:
        """A fresh decompressed binary stream over the whole content."""
        raw: IO[bytes] = io.BytesIO(_stdin_bytes()) if self.is_stdin else self._open_raw()
        return _decompressed(raw, self.compression)

    def _open_raw(self) -> IO[bytes]:
        try:
            return open(self.path, "rb")
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", path=self.name,
                             hint="check the file still exists and that you may read it") from err

    def arrow_stream(self):
        """A stream pyarrow's CSV reader consumes at C speed (gzip/bz2/zstd decoded natively)."""
        native = self.compression in (None, "gzip", "bz2", "zstd")
        if not native:
            return self.open()
        if self.is_stdin:
            buf = pa.BufferReader(_stdin_bytes())
            return pa.CompressedInputStream(buf, self.compression) if self.compression else buf
        try:
            return pa.input_stream(self.path, compression=self.compression)
        except READ_ERRORS as err:
            raise self.read_error(err) from err

    def read_all(self) -> bytes:
        """The whole decompressed content (for JSON and small formats)."""
        if self.complete:
            return self.head
        try:
            with contextlib.closing(self.open()) as fh:
                return fh.read()
        except READ_ERRORS as err:
            raise self.read_error(err) from err

    def read_error(self, err: BaseException) -> InputError:
        """The :class:`InputError` for an OS or decompression error met while reading."""
        if self.compression:
            return InputError(f"cannot decompress ({self.compression}): {_first_line(err)}", path=self.name,
                              hint="the file is truncated or corrupted: download or compress it again")
        return InputError(f"cannot read: {_first_line(err)}", path=self.name,
                          hint="check that the file is complete and readable")

    def line_of_byte(self, predicate) -> int | None:
        """1-based line number of the first line for which ``predicate(raw_line)`` is true (a scan;
        only called to place an error)."""
        try:
            with contextlib.closing(self.open()) as fh:
                for i, raw in enumerate(fh, start=1):
                    if predicate(raw):
                        return i
        except READ_ERRORS:
            return None
        return None


def _first_line(err: BaseException) -> str:
    text = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return str(text).splitlines()[0]


def probe(path: str | os.PathLike | FileInfo, nbytes: int = HEAD_BYTES) -> FileInfo:
    """Check ``path`` once and describe it: compression, format, decompressed head, what it looks like.

    Raises :class:`InputError` for a missing, unreadable or folder path, a name promising a
    compression the content lacks, and content that cannot be decompressed.

    >>> import tempfile, gzip, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv.gz"
    >>> _ = p.write_bytes(gzip.compress(b"source,target\\na,b\\n"))
    >>> info = probe(p)
    >>> info.compression, info.format, info.looks_like, info.head
    ('gzip', 'text', 'text', b'source,target\\na,b\\n')
    """
    if isinstance(path, FileInfo):
        return path
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise InputError(f"a file path must be text, not {type(path).__name__}")
    spath = os.fspath(path)
    name = display_name(spath)
    if spath == "-":
        raw: IO[bytes] = io.BytesIO(_stdin_bytes())
    else:
        try:
            raw = open(spath, "rb")
        except FileNotFoundError as err:
            raise InputError("file not found", path=name, hint="check the path (use - to read standard input)") from err
        except IsADirectoryError as err:
            raise InputError("is a folder, not a file", path=name, hint="give the file inside it") from err
        except NotADirectoryError as err:
            raise InputError("file not found: a part of the path is a file, not a folder", path=name,
                             hint="check the path") from err
        except OSError as err:
            raise InputError(f"cannot open: {err.strerror or err}", path=name,
                             hint="check that you may read the file") from err
    try:
        try:
            magic = raw.read(8)
        except OSError as err:  # e.g. a folder opened on some systems, a FIFO error
            raise InputError(f"cannot read: {err.strerror or err}", path=name,
                             hint="give a regular file") from err
        raw.seek(0)
        comp = _compression_of(magic)
        ext = COMPRESSION_SUFFIXES.get(os.path.splitext(spath)[1].lower())
        if ext and comp is None and magic:
            raise InputError(f"the name says {ext} but the content is not {ext}-compressed", path=name,
                             hint="rename the file without the compression suffix, or compress it properly")
        info = FileInfo(spath, name, comp, format_from_name(spath), b"", False, "text")
        try:
            with contextlib.closing(_decompressed(raw, comp)) as fh:
                head = fh.read(nbytes + 1)
        except READ_ERRORS as err:
            raise info.read_error(err) from err
    finally:
        raw.close()
    complete = len(head) <= nbytes
    head = head[:nbytes]
    looks = _looks_like(head)
    fmt = info.format
    if head.startswith(b"PAR1"):
        fmt = "parquet"
    elif looks == "xml" and fmt not in ("graphml", "gexf"):
        root = re.search(rb"<(graphml|gexf)[\s>]", head[:4096])
        fmt = root.group(1).decode() if root else fmt
    return FileInfo(spath, name, comp, fmt, head, complete, looks)


def open_binary(path: str | os.PathLike | FileInfo) -> IO[bytes]:
    """Open ``path`` (or ``-`` for stdin) as a decompressed binary stream (see :func:`probe`)."""
    return probe(path).open()


def read_head(path: str | os.PathLike | FileInfo, nbytes: int = HEAD_BYTES) -> bytes:
    """The first ``nbytes`` of the decompressed content; a clear error if it cannot be decompressed."""
    return probe(path, nbytes).head[:nbytes]


def check_readable(path: str | os.PathLike) -> None:
    """Raise :class:`InputError` unless ``path`` is ``-`` or a readable, decompressable file."""
    probe(path, 0)


# ------------------------------------------------------------------------------------------ output
def _blocking_file(path: Path) -> Path | None:
    """The nearest part of ``path`` (itself or an ancestor) that exists and is not a folder."""
    for p in (path, *path.parents):
        if p.exists() or p.is_symlink():
            return None if p.is_dir() else p
    return None


def _writable_folder(folder: Path, shown: str, what: str) -> None:
    """Create ``folder`` (parents too) and test-write a temporary file in it; InputError if not."""
    blocker = _blocking_file(folder)
    if blocker is not None:
        raise InputError(f"cannot create the {what}: {blocker} is a file, not a folder", path=shown,
                         hint="choose a path that is not under a regular file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".graphinflu-write-test.", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as err:
        raise InputError(f"cannot write into the {what} {str(folder)!r}: {err.strerror or err}", path=shown,
                         hint="choose a folder you may write to (and on a disk with free space)") from err


def check_output_file(path: str | os.PathLike | None) -> None:
    """Check, before any work starts, that ``-o FILE`` can be written; ``None`` or ``-`` (stdout)
    pass. Missing parent folders are created; nothing else is left behind.

    Raises :class:`InputError` when the path is a folder, lies under a regular file, or its
    folder cannot be created or written.
    """
    if path is None or str(path) == "-":
        return
    if is_special_file(path):  # /dev/stdout, a named pipe: written through, so it must be writable itself
        if not os.access(path, os.W_OK):
            raise InputError("cannot write: permission denied", path=str(path), hint="choose another -o")
        return
    p = Path(os.path.realpath(path))  # through symlinks: the folder that matters is the target's
    try:
        is_dir = p.is_dir()  # raises for a name the file system refuses (too long, ...)
    except OSError as err:
        raise _write_error(p, err) from err
    if is_dir:
        raise InputError("is a folder; the output is a file", path=str(path), hint="give a file name, e.g. out.csv")
    _writable_folder(p.parent if str(p.parent) else Path("."), str(path), "output folder")


def prepare_output_dir(path: str | os.PathLike) -> Path:
    """Create the output folder ``path`` (parents too) and test-write a temporary file in it.

    Raises :class:`InputError` when it exists as a file, lies under a regular file, cannot be
    created (``/proc/x``) or is not writable. Returns it as a :class:`~pathlib.Path`.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError("is a file; the output is a folder", path=str(path), hint="give a folder name")
    _writable_folder(p, str(path), "output folder")
    return p


@contextlib.contextmanager
def atomic_write(dest: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """Write to a temporary file beside ``dest`` and move it into place only on success."""
    with atomic_path(dest) as tmp, open(tmp, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as fh:
        yield fh


def is_special_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder (a named pipe, a device
    such as ``/dev/stdout`` or ``/dev/null``, a socket), after following symlinks."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``dest`` (for libraries that want a file name), then move it.

    The temporary file (``.NAME.*.part*``) is removed on any exception, ``KeyboardInterrupt`` and
    ``SystemExit`` included. An :class:`OSError` (disk full, no permission, a folder in the way)
    becomes an :class:`InputError` naming ``dest``. A symlink is written through (the file it
    points to is replaced, the link stays); a named pipe or a device (``/dev/stdout``) is written
    to directly, never replaced, since renaming a file over it would destroy it.
    """
    if is_special_file(dest):
        try:
            yield Path(dest)
        except OSError as err:
            raise _write_error(Path(dest), err) from err
        return
    dest = Path(os.path.realpath(dest))
    try:
        if dest.is_dir():
            raise IsADirectoryError(21, "is a folder")
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part" + dest.suffix, dir=dest.parent)
        os.close(fd)
    except OSError as err:
        raise _write_error(dest, err) from err
    try:
        yield Path(tmp)
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, dest)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _write_error(dest, err) from err
        raise


def _write_error(dest: Path, err: OSError) -> InputError:
    return InputError(f"cannot write: {_first_line(err)}", path=str(dest),
                      hint="choose a path you may write to, not under a regular file, on a disk with free space")
