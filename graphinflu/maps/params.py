"""How a map draws: one small frozen parameter object, validated once, recorded as a dict."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..errors import MapError
from ..params import _Params

#: Above this many creators a map shows niches as aggregated nodes (one linked map per niche).
DEFAULT_AGGREGATE_ABOVE = 5000


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
    max_links_per_creator : int or None
        Keep an overlap link only if it is among the strongest k of one of its two creators
        (default 10; None keeps every link above ``min_overlap``).
    include_follows, include_interactions : bool
        Draw follow / interaction edges between creators from the graph.
    size_by : str, optional
        Column of the account table that sizes nodes (size ∝ √(value / max value)); default
        ``pagerank``, the one authority measure every map uses.
    aggregate_above : int or None
        With more creators than this (default 5,000), the main file shows one node per niche and
        each niche gets its own map; None never aggregates.
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
    include_follows: bool = True
    include_interactions: bool = True
    size_by: str | None = None
    aggregate_above: int | None = DEFAULT_AGGREGATE_ABOVE
    title: str = "graphinflu map"
    seed: int = 0

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
        for name in ("include_follows", "include_interactions"):
            if not isinstance(getattr(self, name), bool):
                raise MapError(f"{name} must be True or False, not {getattr(self, name)!r}")
        if self.size_by is not None and not isinstance(self.size_by, str):
            raise MapError(f"size_by must be a column name or None, not {self.size_by!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise MapError(f"seed must be an integer, not {self.seed!r}")
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "title", str(self.title))

    @classmethod
    def of(cls, params: "MapParams | None", options: dict) -> "MapParams":
        """``params`` (default: the defaults) with keyword ``options`` applied on top."""
        base = params if params is not None else cls()
        if not isinstance(base, cls):
            raise MapError(f"params must be a MapParams, not {type(base).__name__}")
        return base.replace(**options) if options else base
