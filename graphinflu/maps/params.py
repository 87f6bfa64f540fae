"""How a map draws: one small frozen parameter object, validated once, recorded as a dict."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..errors import MapError
from ..params import _Params

#: Above this many creators a map shows niches as aggregated nodes (one linked map per niche).
DEFAULT_AGGREGATE_ABOVE = 50_000
#: Above this many creators a map is drawn with WebGL (sigma.js) instead of vis-network: on a busy
#: 2-core machine vis-network answers every click, search and filter within 0.3 s up to 2,000
#: creators, not at 3,000 or 5,000 (bench/bench_maps.py, README "Large maps").
DEFAULT_WEBGL_ABOVE = 2000
#: Above this many creators follow and interaction links are off unless asked for (they hide the niches).
LARGE_MAP = 1000


def _count_or_none(value, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise MapError(f"{name} must be a positive integer or None, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class MapParams(_Params):
    """What a map draws and how (everything but which creators: see :func:`select_creators`).

    Parameters
    ----------
    edge_metric : str
        Overlap column used for links, widths and the side panel (``jaccard`` or
        ``overlap_coefficient``, or any numeric column of the overlap table).
    min_overlap : float
        Smallest ``edge_metric`` drawn as a link (default 0.05).
    min_shared : int
        Smallest number of shared followers an overlap link needs (default 3), so that a high
        ratio resting on one or two shared followers is not drawn; stated in the legend.
    max_links_per_creator : int or None
        Keep an overlap link only if it is among the strongest k of one of its two creators
        (default 10; None keeps every link above ``min_overlap``).
    include_follows, include_interactions : bool or None
        Draw follow / interaction edges between creators from the graph; None (the default)
        draws them on maps of at most :data:`LARGE_MAP` (1,000) creators only.
    size_by : str, optional
        Column of the account table that sizes nodes (area ∝ value / max value); default the
        targets ``score`` when the table has one (who to pick is the biggest), else ``pagerank``.
    aggregate_above : int or None
        With more creators than this (default 50,000), the main file shows one node per niche and
        each niche gets its own map; None never aggregates.
    webgl_above : int or None
        Maps of more creators than this (default 2,000) are drawn with WebGL (sigma.js and
        graphology, inlined) instead of vis-network, from the same data and with the same controls;
        0 always uses WebGL, None never.
    title : str
        Page title (escaped).
    seed : int
        Seed of the layout (same inputs and seed → same positions).

    Examples
    --------
    >>> MapParams(min_overlap=0.1).as_dict()["min_overlap"]
    0.1
    >>> MapParams(min_overlap=-1)
    Traceback (most recent call last):
    ...
    graphinflu.errors.MapError: min_overlap must be a number of at least 0, not -1
      fix: 0 draws every overlap; 0.05 (the default) hides the faintest
    """

    edge_metric: str = "jaccard"
    min_overlap: float = 0.05
    max_links_per_creator: int | None = 10
    include_follows: bool | None = None
    include_interactions: bool | None = None
    size_by: str | None = None
    aggregate_above: int | None = DEFAULT_AGGREGATE_ABOVE
    title: str = "graphinflu map"
    seed: int = 0
    min_shared: int = 3
    webgl_above: int | None = DEFAULT_WEBGL_ABOVE

    def __post_init__(self) -> None:
        if not isinstance(self.edge_metric, str) or not self.edge_metric:
            raise MapError(f"edge_metric must be an overlap column name, not {self.edge_metric!r}",
                           hint="jaccard or overlap_coefficient")
        v = self.min_overlap
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v < 0:
            raise MapError(f"min_overlap must be a number of at least 0, not {v!r}",
                           hint="0 draws every overlap; 0.05 (the default) hides the faintest")
        object.__setattr__(self, "min_overlap", float(v))
        object.__setattr__(self, "max_links_per_creator",
                           _count_or_none(self.max_links_per_creator, "max_links_per_creator"))
        object.__setattr__(self, "aggregate_above", _count_or_none(self.aggregate_above, "aggregate_above"))
        v = self.webgl_above
        if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0):
            raise MapError(f"webgl_above must be a whole number of at least 0 or None, not {v!r}",
                           hint="0 draws every map with WebGL; None always uses vis-network")
        object.__setattr__(self, "webgl_above", None if v is None else int(v))
        for name in ("include_follows", "include_interactions"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), bool):
                raise MapError(f"{name} must be True, False or None (automatic), not {getattr(self, name)!r}")
        v = self.min_shared
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise MapError(f"min_shared must be a whole number of at least 0, not {v!r}",
                           hint="3 (the default) hides overlaps resting on one or two shared followers")
        object.__setattr__(self, "min_shared", int(v))
        if self.size_by is not None and not isinstance(self.size_by, str):
            raise MapError(f"size_by must be a column name or None, not {self.size_by!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise MapError(f"seed must be an integer, not {self.seed!r}")
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "title", str(self.title))

    def renderer(self, n_creators: int) -> str:
        """``"webgl"`` (sigma.js) for a creator map of more than ``webgl_above`` creators, else ``"vis"``."""
        return "webgl" if self.webgl_above is not None and n_creators > self.webgl_above else "vis"

    def draws(self, name: str, n_creators: int) -> bool:
        """Whether ``include_follows`` / ``include_interactions`` (``name``) is on for a map of ``n_creators``."""
        v = getattr(self, name)
        return n_creators <= LARGE_MAP if v is None else v

    @classmethod
    def of(cls, params: "MapParams | None", options: dict) -> "MapParams":
        """``params`` (default: the defaults) with keyword ``options`` applied on top."""
        base = params if params is not None else cls()
        if not isinstance(base, cls):
            raise MapError(f"params must be a MapParams, not {type(base).__name__}")
        return base.replace(**options) if options else base
