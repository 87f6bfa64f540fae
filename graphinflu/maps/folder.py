"""Read back a folder ``graphinflu analyze -o DIR`` wrote: its manifest and tables, as an analysis.

``graphinflu report DIR`` draws the campaign report from these, without running the analysis
again. Every problem names the file and the fix: a folder without ``manifest.json`` is not (or
not yet) a complete analyze output, a table the manifest lists must be there, and tables written
with ``--format table`` cannot be read back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError

MANIFEST = "manifest.json"  # the same name graphinflu.analysis.MANIFEST writes (not imported: no import cycle)
#: Tables the report reads; the first two must be there.
REQUIRED = ("accounts", "targets")
OPTIONAL = ("communities", "shortlist", "overlap_pairs", "shortlist_intersections")
#: Columns that hold account ids or names: read as text, never as numbers.
_TEXT = ("id", "handle", "creator_a", "creator_b", "community", "members", "niche_label", "why", "top_authorities")


@dataclass
class AnalysisFolder:
    """The tables of one analyze output folder (None: not written) and its manifest."""

    folder: Path
    manifest: dict
    accounts: pd.DataFrame
    targets: pd.DataFrame
    communities: pd.DataFrame | None = None
    shortlist: pd.DataFrame | None = None
    overlap_pairs: pd.DataFrame | None = None
    shortlist_intersections: pd.DataFrame | None = None
    files: dict = field(default_factory=dict)

    @property
    def parameters(self) -> dict:
        return dict(self.manifest.get("parameters") or {})

    @property
    def inputs(self) -> dict:
        """Input role → file path, as the manifest recorded them."""
        return {role: (v.get("path") if isinstance(v, dict) else v)
                for role, v in (self.manifest.get("inputs") or {}).items()}

    @property
    def map_file(self) -> str | None:
        return self.files.get("map")


def _fix() -> str:
    return "give the folder `graphinflu analyze ... -o DIR` wrote (run it first if there is none)"


def read_manifest(folder) -> dict:
    """``folder/manifest.json``, checked: an InputError naming the file and the fix otherwise."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder" if folder.exists() else "folder not found", path=folder, hint=_fix())
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError(f"{MANIFEST} is missing: this is not a complete analyze output folder (analyze writes "
                         f"{MANIFEST} last)", path=folder, hint=_fix())
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cannot be read as JSON: {err}", path=path, hint="re-run graphinflu analyze") from err
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise InputError("has no 'files' list: not written by graphinflu analyze", path=path, hint=_fix())
    return manifest


def _read_table(path: Path) -> pd.DataFrame:
    suffix = "".join(path.suffixes[-2:]) if path.suffix == ".gz" else path.suffix
    try:
        if suffix in (".csv", ".csv.gz"):
            try:
                df = pd.read_csv(path, dtype={c: str for c in _TEXT}, keep_default_na=True)
            except pd.errors.EmptyDataError:  # an empty table written without a header (e.g. by --engine spark)
                return pd.DataFrame()
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        elif suffix == ".json":
            df = pd.DataFrame(json.loads(path.read_text("utf-8")))
        elif suffix == ".jsonl":
            df = pd.read_json(path, lines=True, dtype=False)
        else:
            raise InputError("tables written with --format table are for reading, not for reading back", path=path,
                             hint="re-run graphinflu analyze with --format csv (or json, jsonl, parquet)")
    except InputError:
        raise
    except (OSError, ValueError, UnicodeDecodeError, ImportError) as err:
        raise InputError(f"cannot be read: {err}", path=path, hint="re-run graphinflu analyze") from err
    for col in _TEXT:
        if col in df.columns and col not in ("why",):
            df[col] = df[col].where(df[col].isna(), df[col].astype(str))
    return df


def read_analysis(folder) -> AnalysisFolder:
    """The manifest and the tables the campaign report needs from an analyze output folder."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    files = {str(k): str(v) for k, v in manifest["files"].items()}
    tables = {}
    for name in REQUIRED + OPTIONAL:
        if name not in files:
            if name in REQUIRED:
                raise InputError(f"{MANIFEST} lists no {name} table", path=folder / MANIFEST, hint=_fix())
            tables[name] = None
            continue
        path = folder / files[name]
        if not path.is_file():
            raise InputError(f"{files[name]} is missing (listed in {MANIFEST})", path=folder,
                             hint="the folder is incomplete: re-run graphinflu analyze -o " + str(folder))
        df = _read_table(path)
        tables[name] = df.set_index("id") if "id" in df.columns and name != "overlap_pairs" else df
    return AnalysisFolder(folder, manifest, files=files, **tables)
