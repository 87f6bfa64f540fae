"""Options that always travel together, as small frozen dataclasses validated once.

:class:`LoadOptions` says how to read the inputs, :class:`CommunityParams` how to find niches and
:class:`TargetParams` what the brand wants. Each is built once (by the library caller or by one
shared click decorator in :mod:`graphinflu.cli.options`), checked in ``__post_init__`` and written
into the run manifest by :meth:`as_dict`, so every command takes the same options with the same
names and defaults, and a manifest says exactly how a result was made.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
from dataclasses import dataclass, field

from ._time import format_instant, parse_instant
from .errors import InputError
from .graph import KINDS
from .metrics.benchmarks import benchmark_for, benchmark_platforms
from .metrics.targets import check_weights
from .metrics.tiers import DEFAULT_TIERS, _normalise_bounds

#: How the two endpoint columns of an edge list are read.
DIRECTIONS: tuple[str, ...] = ("follower-followed", "followed-follower")
#: Community detection algorithms: Leiden (modularity), Louvain (modularity), Leiden with the
#: Constant Potts Model (a density threshold) and Infomap (igraph's map equation).
METHODS: tuple[str, ...] = ("leiden", "louvain", "cpm", "infomap")
#: Methods that run on either Leiden engine (graphinflu's compiled one or igraph's).
LEIDEN_METHODS: tuple[str, ...] = ("leiden", "cpm")
#: Ways to turn directed edges into undirected ones (see :mod:`graphinflu.metrics.communities`).
SYMMETRIZE: tuple[str, ...] = ("collapse", "sum", "mutual")
#: Leiden implementations: graphinflu's compiled one (default) or igraph's ``community_leiden``.
LEIDEN_ENGINES: tuple[str, ...] = ("graphinflu", "igraph")


def _path(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise InputError(f"a file path must be text, not {type(value).__name__}")
    return os.fspath(value)


def _column(value, role: str) -> str | int | None:
    """A column given by name or 0-based number (text that is all digits counts as a number)."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise InputError(f"the {role} column must be a name or a 0-based number, not {value!r}")
        return None
    if isinstance(value, numbers.Integral):
        if value < 0:
            raise InputError(f"the {role} column number must be 0 or more, not {value}")
        return int(value)
    text = str(value)
    if not text.strip():
        raise InputError(f"the {role} column name is empty", hint="give a column name or a 0-based number")
    return text


class _Params:
    """What the three parameter objects share: a plain-dict view for manifests."""

    def as_dict(self) -> dict:
        """The fields as JSON-ready values (tuples become lists)."""
        out = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else (v.as_dict() if isinstance(v, _Params) else v)
        return out

    def replace(self, **changes):
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class LoadOptions(_Params):
    """Every input of a run and how to read it.

    Parameters
    ----------
    follows : path, optional
        The follow edge list (any format :func:`~graphinflu.loaders.formats.read_graph` reads);
        ``"-"`` is standard input.
    profiles, interactions, posts : path, optional
        Account profiles, interaction edges and posts.
    interaction_kind : str
        Kind of interaction rows that have no kind column (default ``"mentions"``).
    source, target : str or int, optional
        Follow-list endpoint columns, by name or 0-based number (default: detected).
    direction : {"follower-followed", "followed-follower"}
        How the two endpoint columns are read.
    delimiter : str, optional
        Column delimiter (default sniffed; ``" "`` = runs of white space).
    header : bool, optional
        Whether the first row names the columns (default detected).

    Examples
    --------
    >>> LoadOptions("follows.csv", direction="followed-follower").paths()
    {'follows': 'follows.csv'}
    >>> LoadOptions(direction="sideways")
    Traceback (most recent call last):
    ...
    graphinflu.errors.InputError: direction must be one of ('follower-followed', 'followed-follower'), not 'sideways'
      fix: follower-followed: the first column follows the second; followed-follower: 'account,follower' files
    """

    follows: str | None = None
    profiles: str | None = None
    interactions: str | None = None
    posts: str | None = None
    interaction_kind: str = "mentions"
    source: str | int | None = None
    target: str | int | None = None
    direction: str = "follower-followed"
    delimiter: str | None = None
    header: bool | None = None

    def __post_init__(self) -> None:
        for name in ("follows", "profiles", "interactions", "posts"):
            object.__setattr__(self, name, _path(getattr(self, name)))
        stdin = [role for role, path in self.paths().items() if path == "-"]
        if len(stdin) > 1:
            raise InputError(f"standard input (-) is given for {' and '.join(stdin)}, but it can be read only once",
                             hint="save all but one of them to a file first and give that file's path instead of -")
        object.__setattr__(self, "source", _column(self.source, "source"))
        object.__setattr__(self, "target", _column(self.target, "target"))
        if self.direction not in DIRECTIONS:
            raise InputError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}",
                             hint="follower-followed: the first column follows the second; "
                                  "followed-follower: 'account,follower' files")
        if self.interaction_kind not in KINDS or self.interaction_kind == "follows":
            raise InputError(f"interaction kind must be one of {KINDS[1:]}, not {self.interaction_kind!r}")
        if self.delimiter is not None and len(self.delimiter) != 1:
            if self.delimiter in ("\\t", "tab"):
                object.__setattr__(self, "delimiter", "\t")
            else:
                raise InputError(f"the delimiter must be one character, not {self.delimiter!r}",
                                 hint="e.g. ',' or ';' or ' ' (runs of white space); '\\t' or tab for a tab")
        if self.header is not None and not isinstance(self.header, bool):
            raise InputError(f"header must be True, False or None (detect), not {self.header!r}")

    def paths(self) -> dict[str, str]:
        """The input files given, by role (``follows``, ``profiles``, ``interactions``, ``posts``)."""
        roles = ("follows", "profiles", "interactions", "posts")
        return {r: getattr(self, r) for r in roles if getattr(self, r) is not None}

    def refuse_as_output(self, path) -> None:
        """Raise if ``path`` (an output) is one of the input files: writing it would replace an
        input the user may still need (``convert follows.csv follows.csv``)."""
        if path is None or str(path) == "-":
            return
        out = os.path.realpath(os.fspath(path))
        for role, given in self.paths().items():
            if given != "-" and os.path.realpath(given) == out:
                raise InputError(f"the output {os.fspath(path)!r} is the {role} input file",
                                 hint="write to another file name")

    def require_input(self) -> "LoadOptions":
        """Raise unless at least one input file is given; returns ``self``."""
        if not self.paths():
            raise InputError("no input file", hint="give a follow edge list FILE (or - for standard input), "
                                                   "or --interactions/--posts/--profiles")
        return self


@dataclass(frozen=True)
class CommunityParams(_Params):
    """How niches (communities) are found; see :func:`graphinflu.metrics.communities.communities`.

    Parameters
    ----------
    method : {"leiden", "louvain", "cpm", "infomap"}
        Leiden (default; its communities are connected) or Louvain (igraph), both maximising
        modularity; ``"cpm"``: Leiden maximising the Constant Potts Model (niches denser than a
        threshold); ``"infomap"``: igraph's Infomap (the map equation; no resolution).
    resolution : float
        :math:`\\gamma > 0`. Modularity resolution for leiden/louvain: above 1 gives more, smaller
        niches. For cpm, the density threshold in units of the graph's density (1 = a niche must
        be denser inside than the graph as a whole; 2 = twice as dense). Ignored by infomap.
    seed : int
        Seeds the random choices: the same graph and seed give the same niches.
    symmetrize : {"collapse", "sum", "mutual"}
        How directed follows become undirected edges.
    n_iterations : int
        Leiden iterations (negative: until the partition stops improving). Ignored by Louvain.
    weight : bool or str
        ``False``: every edge counts 1; ``True``: the ``weight`` column; or another edge column.
    engine : {"graphinflu", "igraph"}
        Leiden implementation: graphinflu's compiled one (default), or igraph's
        ``community_leiden`` with the modularity objective (slower, holds the GIL; an escape hatch
        and a reference).

    Examples
    --------
    >>> CommunityParams(resolution=2.0).as_dict()["resolution"]
    2.0
    >>> CommunityParams(resolution=0)
    Traceback (most recent call last):
    ...
    graphinflu.errors.InputError: resolution must be a positive number, not 0
      fix: 1.0 is classic modularity; above 1 gives more, smaller niches
    """

    method: str = "leiden"
    resolution: float = 1.0
    seed: int = 0
    symmetrize: str = "collapse"
    n_iterations: int = 2
    weight: bool | str = False
    engine: str = "graphinflu"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError(f"method must be one of {METHODS}, not {self.method!r}")
        r = self.resolution
        if isinstance(r, bool) or not isinstance(r, numbers.Real) or not math.isfinite(r) or r <= 0:
            raise InputError(f"resolution must be a positive number, not {r!r}",
                             hint="1.0 is classic modularity; above 1 gives more, smaller niches")
        object.__setattr__(self, "resolution", float(r))
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise InputError(f"seed must be an integer, not {self.seed!r}")
        object.__setattr__(self, "seed", int(self.seed))
        if self.symmetrize not in SYMMETRIZE:
            raise InputError(f"symmetrize must be one of {SYMMETRIZE}, not {self.symmetrize!r}",
                             hint="'collapse' = an edge if either direction exists, 'sum' = both directions' "
                                  "weights added, 'mutual' = reciprocated follows only")
        n = self.n_iterations
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n == 0:
            raise InputError(f"n_iterations must be a non-zero integer, not {n!r}",
                             hint="2 (the default) or a negative number to iterate until the partition stops "
                                  "improving")
        object.__setattr__(self, "n_iterations", int(n))
        if not isinstance(self.weight, (bool, str)):
            raise InputError(f"weight must be False, True or a column name, not {self.weight!r}")
        if self.engine not in LEIDEN_ENGINES:
            raise InputError(f"the Leiden engine must be one of {LEIDEN_ENGINES}, not {self.engine!r}")
        if self.engine != "graphinflu" and self.method not in LEIDEN_METHODS:
            raise InputError(f"the Leiden engine {self.engine!r} applies to method 'leiden' or 'cpm', not "
                             f"{self.method!r}", hint="drop --leiden-engine, or use --method leiden or cpm")

    def kwargs(self) -> dict:
        """Keyword arguments for :func:`~graphinflu.metrics.communities.communities`."""
        return self.as_dict()


@dataclass(frozen=True)
class TargetParams(_Params):
    """What the brand wants: the tier targets come from, its seed accounts, how many to compare.

    Parameters
    ----------
    tier : str or None
        The follower tier targets are drawn from (default ``"micro"``; ``None`` or ``"all"`` = every
        tier).
    seeds : tuple of str
        The brand's accounts or its target audience (ids or handles); they add ``audience_match``.
    overlap_top : int
        Audience overlap is measured among this many top targets (at least 2).
    shortlist_k : int
        Creators the reach shortlist picks (at least 1).
    tier_bounds : sequence of (name, lower bound), or text ``"nano=0,micro=1000,..."``
        Follower tiers (default :data:`~graphinflu.metrics.tiers.DEFAULT_TIERS`); the first bound
        is 0 and bounds increase.
    weights : mapping, text ``"affinity=0.6,..."`` or None
        The targets score's component weights (:func:`graphinflu.metrics.targets.targets`);
        ``None`` = the defaults (brand weights when a brand target is given).
    niches, categories : tuple of str
        Keep only targets in these niches (community ids, or words in the niche label) or
        profile categories (words, case-insensitive).
    budget : float or None
        Total cost the shortlist may spend; needs ``cost_col`` or ``tier_costs``. With a budget the
        shortlist picks as many creators as fit (at most ``shortlist_k`` when that is given).
    cost_col : str or None
        The profile column with each creator's cost.
    tier_costs : mapping or text ``"nano=50,micro=400"``
        A cost per tier, instead of ``cost_col``.
    brand : BrandTarget, optional
        The whole brand target (own and competitors' accounts, an audience sample, interests).
        ``seeds`` alone means ``BrandTarget(accounts=seeds)``; with ``brand`` given, ``seeds``
        becomes ``brand.seeds`` (own then competitors' accounts).

    Examples
    --------
    >>> TargetParams(seeds=["nike", "adidas"]).seeds
    ('nike', 'adidas')
    >>> TargetParams(brand=BrandTarget(accounts=["nike"], competitors=["adidas"])).seeds
    ('nike', 'adidas')
    """

    tier: str | None = "micro"
    seeds: tuple[str, ...] = field(default=())
    overlap_top: int = 100
    shortlist_k: int | None = None
    tier_bounds: tuple[tuple[str, float], ...] = DEFAULT_TIERS
    weights: tuple[tuple[str, float], ...] | None = None
    niches: tuple[str, ...] = field(default=())
    categories: tuple[str, ...] = field(default=())
    budget: float | None = None
    cost_col: str | None = None
    tier_costs: tuple[tuple[str, float], ...] = field(default=())
    brand: "BrandTarget | None" = None

    #: Creators the shortlist picks when neither ``shortlist_k`` nor a budget is given.
    DEFAULT_SHORTLIST_K = 20

    @property
    def shortlist_size(self) -> int | None:
        """How many creators the shortlist picks: ``shortlist_k``; without it 20, or as many as
        the budget allows (``None``) when there is a budget."""
        if self.shortlist_k is not None:
            return self.shortlist_k
        return None if self.budget is not None else self.DEFAULT_SHORTLIST_K

    def __post_init__(self) -> None:
        seeds = self.seeds
        if isinstance(seeds, str):
            seeds = split_list(seeds)  # an empty list is an error, not "no brand"
        object.__setattr__(self, "seeds", tuple(str(s) for s in (seeds or ())))
        if self.brand is None:
            object.__setattr__(self, "brand", BrandTarget(accounts=self.seeds))
        elif not isinstance(self.brand, BrandTarget):
            raise InputError(f"brand must be a BrandTarget, not {type(self.brand).__name__}")
        elif self.seeds and self.seeds != self.brand.seeds:
            raise InputError("seeds and brand name different accounts",
                             hint="give the brand's accounts once, in BrandTarget(accounts=..., competitors=...)")
        else:
            object.__setattr__(self, "seeds", self.brand.seeds)
        bounds = parse_tier_bounds(self.tier_bounds) if isinstance(self.tier_bounds, str) else self.tier_bounds
        names, lows = _normalise_bounds(bounds)
        object.__setattr__(self, "tier_bounds", tuple((n, float(x)) for n, x in zip(names, lows)))
        if self.tier == "all":  # the CLI's spelling of "every tier"
            object.__setattr__(self, "tier", None)
        if self.tier is not None and self.tier not in names:
            raise InputError(f"tier must be one of {', '.join(names)}, not {self.tier!r}",
                             hint="the tiers are those of --tier-bounds (default: nano, micro = 1,000 to 50,000 "
                                  "followers, mid, macro, mega)")
        for name, low in (("overlap_top", 2), ("shortlist_k", 1)):
            v = getattr(self, name)
            if v is None and name == "shortlist_k":
                continue
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < low:
                raise InputError(f"{name} must be an integer of at least {low}, not {v!r}")
        if self.weights is not None:
            w = parse_weights(self.weights) if isinstance(self.weights, str) else check_weights(dict(self.weights))
            object.__setattr__(self, "weights", tuple(w.items()))
        for name in ("niches", "categories"):
            v = getattr(self, name)
            object.__setattr__(self, name, tuple(split_list(v) if isinstance(v, str) else (str(x) for x in v or ())))
        costs = self.tier_costs
        if isinstance(costs, str):
            costs = parse_pairs(costs, "--tier-costs", "nano=50,micro=400,mid=3000", "TIER=COST")
        costs = tuple((str(n), float(c)) for n, c in (costs.items() if isinstance(costs, dict) else costs or ()))
        if any(c < 0 for _, c in costs):
            raise InputError("tier costs must be 0 or more", hint="e.g. --tier-costs nano=50,micro=400")
        object.__setattr__(self, "tier_costs", costs)
        if self.budget is not None:
            b = self.budget
            if isinstance(b, bool) or not isinstance(b, numbers.Real) or not math.isfinite(b) or b < 0:
                raise InputError(f"budget must be a finite number of at least 0, not {b!r}")
            if self.cost_col is None and not costs:
                raise InputError("a budget needs each creator's cost",
                                 hint="give --cost-col COLUMN (a profile column) or --tier-costs nano=50,micro=400")
            object.__setattr__(self, "budget", float(b))
        if self.cost_col is not None and costs:
            raise InputError("give the costs one way: --cost-col or --tier-costs, not both")
        if self.cost_col is not None and not str(self.cost_col).strip():
            raise InputError("the cost column name is empty", hint="e.g. --cost-col fee")


def parse_pairs(text: str, option: str, example: str, pair: str = "NAME=NUMBER") -> list[tuple[str, float]]:
    """``"a=1, b=2.5k"`` → ``[("a", 1.0), ("b", 2500.0)]`` (k and M scale); errors name ``option``.

    >>> parse_pairs("micro=1k, mid=2.5M", "--tier-bounds", "micro=1")
    [('micro', 1000.0), ('mid', 2500000.0)]
    """
    out = []
    for part in str(text).split(","):
        name, sep, low = part.partition("=")
        number = low.strip().lower()
        scale = {"k": 1e3, "m": 1e6}.get(number[-1:], 1.0)
        try:
            value = float(number[:-1] if scale != 1.0 else number) * scale
        except ValueError:
            value = math.nan
        if not sep or not name.strip() or not math.isfinite(value):
            raise InputError(f"{option} wants {pair} pairs, got {part.strip()!r}", hint=f"e.g. {option} {example}")
        out.append((name.strip(), value))
    return out


def parse_tier_bounds(text: str) -> list[tuple[str, float]]:
    """``"nano=0,micro=1000,mid=50k"`` → ``[("nano", 0.0), ("micro", 1000.0), ("mid", 50000.0)]``.

    >>> parse_tier_bounds("nano=0, micro=1000, mid=50k")
    [('nano', 0.0), ('micro', 1000.0), ('mid', 50000.0)]
    """
    return parse_pairs(text, "--tier-bounds", "nano=0,micro=1000,mid=50000,macro=500000,mega=1000000", "NAME=LOWER")


def parse_weights(text: str) -> dict[str, float]:
    """``"affinity=0.6,niche_authority=0.4"`` → the checked weights (names of
    :data:`graphinflu.metrics.targets.COMPONENTS`).

    >>> parse_weights("affinity=0.6, niche_authority=0.4")
    {'affinity': 0.6, 'niche_authority': 0.4}
    """
    return check_weights(dict(parse_pairs(text, "--weights", "affinity=0.6,niche_authority=0.3,engagement=0.1",
                                          "NAME=WEIGHT")))


def split_list(value: str | None) -> list[str] | None:
    """``"a, b,,c"`` → ``["a", "b", "c"]``; ``None`` stays ``None``; a list of nothing is an error.

    >>> split_list(" a, b,,c ")
    ['a', 'b', 'c']
    """
    if value is None:
        return None
    items = [v.strip() for v in str(value).split(",") if v.strip()]
    if not items:
        raise InputError("the account list is empty", hint="give comma-separated ids or handles, e.g. A,B,C")
    return items


@dataclass(frozen=True)
class EngagementParams(_Params):
    """How engagement is measured and judged: a recency window and the platform of the benchmarks.

    Parameters
    ----------
    since, until : str, date, datetime or epoch seconds, optional
        Only posts with ``since ≤ timestamp < until`` count (``since`` included, ``until``
        excluded). Text without a timezone is UTC; a date alone is its midnight. Stored as ISO 8601
        UTC text (``"2024-01-01T00:00:00Z"``), which is what the manifest records.
    platform : str or None
        Whose published engagement benchmarks the creators are compared with
        (:func:`~graphinflu.metrics.benchmarks.benchmark_platforms`: ``"instagram"``, the default,
        or ``"tiktok"``); ``None`` or ``"none"`` = no comparison.

    Examples
    --------
    >>> EngagementParams(since="2024-03-01", until="2024-04-01T02:00+02:00").as_dict()
    {'since': '2024-03-01T00:00:00Z', 'until': '2024-04-01T00:00:00Z', 'platform': 'instagram'}
    >>> EngagementParams(platform="myspace")
    Traceback (most recent call last):
    ...
    graphinflu.errors.InputError: no published engagement benchmark for platform 'myspace'
      fix: --platform takes one of instagram, tiktok, or none
    """

    since: str | None = None
    until: str | None = None
    platform: str | None = "instagram"

    def __post_init__(self) -> None:
        low, high = parse_instant(self.since, "--since"), parse_instant(self.until, "--until")
        if low is not None and high is not None and low >= high:
            raise InputError(f"--since {format_instant(low)} is not before --until {format_instant(high)}",
                             hint="--since is included and --until excluded; give a --since earlier than --until")
        object.__setattr__(self, "since", format_instant(low))
        object.__setattr__(self, "until", format_instant(high))
        platform = None if self.platform is None else str(self.platform).strip().lower()
        if platform in ("", "none"):
            platform = None
        if platform is not None and platform not in benchmark_platforms():
            benchmark_for([], platform=platform)  # raises the error that lists the platforms
        object.__setattr__(self, "platform", platform)

    @property
    def window(self) -> bool:
        """Whether a recency window is set."""
        return self.since is not None or self.until is not None


def _names(value, role: str) -> tuple[str, ...]:
    """Account names or interests as a tuple of stripped, non-empty text (a text value is split at commas)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    out = tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    if not out and len(tuple(value)):
        raise InputError(f"the {role} list is empty", hint="give comma-separated values, e.g. A,B,C")
    return out


def normalise_interests(values) -> tuple[str, ...]:
    """Interests as matched: lower case, surrounding white space and a leading ``#`` removed,
    inner runs of white space made one space, repeats dropped (first kept).

    >>> normalise_interests(" #ZeroWaste, zero  waste,Vegan,#zerowaste ")
    ('zerowaste', 'zero waste', 'vegan')
    """
    out: dict[str, None] = {}
    for v in _names(values, "interests"):
        term = " ".join(v.lstrip("#").lower().split())
        if not term:
            raise InputError(f"the interest {v!r} is empty once '#' is removed", hint="e.g. --interests zerowaste,vegan")
        out.setdefault(term, None)
    return tuple(out)


@dataclass(frozen=True)
class BrandTarget(_Params):
    """A brand target a strategist can state: whose audience the brand wants to reach.

    Every part is optional; together they define the **target audience** (see
    :func:`graphinflu.metrics.affinity.audience_affinity` and :mod:`graphinflu.brand`): the
    followers of the brand's own and competitors' accounts, plus the accounts of the audience
    sample; the interests give a second, separate signal (``interest_affinity``).

    Parameters
    ----------
    accounts : sequence of str
        The brand's own accounts (ids or handles). Never proposed as targets.
    competitors : sequence of str
        Competitors' accounts (ids or handles): their followers are the audience the brand wants
        too. Never proposed as targets.
    audience : sequence of str
        Accounts known to be the target audience (ids or handles), e.g. read from a file of the
        brand's followers by :func:`graphinflu.brand.read_audience_file`.
    audience_file : str, optional
        Where ``audience`` came from (recorded in the manifest).
    interests : sequence of str, or text ``"a,#b,c"``
        Keywords, hashtags and categories (normalised by :func:`normalise_interests`).

    Examples
    --------
    >>> b = BrandTarget(accounts="ecobrand", competitors=["@rival"], interests="#ZeroWaste, vegan")
    >>> b.seeds, b.interests, bool(b), bool(BrandTarget())
    (('ecobrand', '@rival'), ('zerowaste', 'vegan'), True, False)
    """

    accounts: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    audience_file: str | None = None
    interests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "accounts", _names(self.accounts, "brand account"))
        object.__setattr__(self, "competitors", _names(self.competitors, "competitor account"))
        object.__setattr__(self, "audience", _names(self.audience, "audience account"))
        object.__setattr__(self, "audience_file", _path(self.audience_file))
        object.__setattr__(self, "interests", normalise_interests(self.interests))

    @property
    def seeds(self) -> tuple[str, ...]:
        """The accounts whose followers are the target audience: own, then competitors' (repeats dropped)."""
        return tuple(dict.fromkeys(self.accounts + self.competitors))

    def __bool__(self) -> bool:
        return bool(self.seeds or self.audience or self.interests)

    def as_dict(self) -> dict:
        """For the manifest: the accounts and interests, the audience file and its size (not
        every audience name)."""
        return {"accounts": list(self.accounts), "competitors": list(self.competitors),
                "audience_file": self.audience_file, "audience_size": len(self.audience),
                "interests": list(self.interests)}


@dataclass(frozen=True)
class EngineParams(_Params):
    """Which engine runs a command: ``local`` (in this process, the default) or ``spark``
    (:mod:`graphinflu.spark`, on ``master``: ``local[2]``, ``spark://host:7077``, ``yarn``, ...).

    >>> EngineParams("spark", "local[2]").is_spark
    True
    """

    name: str = "local"
    master: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ("local", "spark"):
            raise InputError(f"unknown engine {self.name!r}", hint="use local or spark")
        if self.master is not None and self.name != "spark":
            raise InputError("--spark-master is for --engine spark", hint="add --engine spark, or drop --spark-master")

    @property
    def is_spark(self) -> bool:
        return self.name == "spark"
