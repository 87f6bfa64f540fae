"""Seeded, fully vectorised generator of realistic synthetic influencer data.

:func:`generate` draws a follower graph with planted niches plus the interactions, profiles and
posts that go with it; :func:`write_generated` writes them as CSV, gzipped CSV or Parquet;
:func:`demo_data` is the tiny fixed-seed variant used by the bundled demo. Everything is drawn
from one ``numpy.random.default_rng(seed)`` stream, so the same seed (on the same numpy) gives
byte-identical files.

The model
---------
Accounts are split into niches (sizes drawn from a Dirichlet). Every account has a heavy-tailed
*popularity* ``w ~ 1 + Pareto(alpha)`` (the latent size of its audience on the platform) and a
milder *activity* ``a ~ 1 + Pareto(alpha_out)``. The follow graph is a directed Chung-Lu graph with
communities (a degree-corrected planted partition):

* out-degrees are ``1 + Multinomial(n_edges' - n, a / sum(a))``, so every account follows at
  least one account and therefore appears in the follow edge list;
* each follow stays inside the follower's niche with probability ``1 - mu`` and otherwise goes to
  another niche chosen in proportion to its total popularity; inside the chosen niche the
  followed account is drawn in proportion to ``min(w, cap)`` (``cap`` keeps any account's
  expected in-degree at most half its niche, so the tail stays within what a finite graph holds);
* self-loops are swapped away, duplicates removed (sort of int64 keys), missing edges topped up
  in extra rounds and any surplus dropped at random (never an account's last follow), so the
  result has exactly ``n_edges`` distinct follow edges.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ._io import atomic_path, atomic_write
from .errors import InputError
from .graph import Graph
from .metrics.tiers import DEFAULT_TIERS

#: Niche names, in the order they are used (``n_niches`` > len uses ``fitness_2``, ...).
NICHES: tuple[str, ...] = (
    "fitness", "beauty", "food", "travel", "gaming", "tech", "fashion", "pets", "parenting",
    "finance", "music", "art", "photography", "sports", "books", "home", "gardening", "cars",
    "outdoors", "health", "comedy", "education", "crafts", "wellness",
)

_PREFIX = {
    "fitness": "fit", "beauty": "glam", "food": "eats", "travel": "wander", "gaming": "gg",
    "tech": "tech", "fashion": "style", "pets": "paws", "parenting": "family", "finance": "money",
    "music": "beats", "art": "art", "photography": "snap", "sports": "sport", "books": "reads",
    "home": "home", "gardening": "garden", "cars": "motor", "outdoors": "trail", "health": "health",
    "comedy": "lol", "education": "learn", "crafts": "diy", "wellness": "zen",
}

_TAGS = {
    "fitness": "fitness gym workout fitfam training gains motivation bodybuilding running crossfit legday cardio",
    "beauty": "beauty makeup skincare mua lipstick glam nails hair makeuptutorial eyeshadow selfcare cosmetics",
    "food": "food foodie instafood recipe yummy homemade vegan baking dinner foodporn brunch delicious",
    "travel": "travel wanderlust travelgram vacation adventure explore beach roadtrip backpacking sunset island citybreak",
    "gaming": "gaming gamer twitch esports ps5 xbox nintendo pcgaming streamer fortnite retrogaming gameplay",
    "tech": "tech technology gadgets coding developer ai startup smartphone programming software review innovation",
    "fashion": "fashion ootd style streetstyle outfit fashionista lookbook instafashion vintage menswear styleinspo trend",
    "pets": "pets dog cat puppy dogsofinstagram catsofinstagram petlover rescue adoptdontshop kitten doglife furbaby",
    "parenting": "parenting momlife dadlife family kids motherhood toddler baby familytime parenthood homeschool momblogger",
    "finance": "finance investing money stocks personalfinance crypto wealth budget financialfreedom trading savings fire",
    "music": "music musician singer newmusic guitar producer hiphop livemusic songwriter piano dj concert",
    "art": "art artist drawing painting illustration sketch artwork digitalart watercolor contemporaryart gallery artoftheday",
    "photography": "photography photooftheday photographer canon nikon portrait landscape streetphotography bnw naturephotography 35mm lightroom",
    "sports": "sports football soccer basketball nba athlete baseball tennis matchday training fans gameday",
    "books": "books bookstagram reading booklover bookworm novel amreading bookclub literature booksofinstagram tbr author",
    "home": "home interiordesign homedecor interior decor renovation design livingroom cozy diyhome architecture minimalism",
    "gardening": "gardening garden plants houseplants flowers gardenlife urbangarden succulents growyourown vegetables botanical plantsofinstagram",
    "cars": "cars car carsofinstagram auto supercar jdm motorsport carlifestyle classiccars racing bmw porsche",
    "outdoors": "outdoors hiking nature mountains camping climbing trail getoutside adventure wilderness backpacking explore",
    "health": "health healthy nutrition wellness healthyfood mentalhealth healthylifestyle diet weightloss doctor vitamins selfcare",
    "comedy": "comedy funny memes lol humor jokes standup laugh funnyvideos meme sketch prank",
    "education": "education learning teacher students study school science history knowledge math teaching edtech",
    "crafts": "crafts diy handmade crochet knitting sewing woodworking crafting pottery embroidery maker upcycling",
    "wellness": "wellness yoga meditation mindfulness selflove spirituality healing breathwork calm gratitude innerpeace zen",
}

_GENERIC_TAGS = np.array("love instagood photooftheday happy instadaily life weekend tbt picoftheday fun".split())

_FIRST_NAMES = np.array(
    """anna ben chloe dan ella finn grace hugo isla jack kate leo maya nina omar paula quinn rosa sam
    tara umar vera will xena yara zoe alex bea carl dina eli fay gus hana ivan jade kai lena milo noor
    otto pia raj sara theo uma vik wren yusuf zara aiden bella caleb daisy emil freya gio hazel iris
    jonas kira liam""".split()
)

#: Follower-count tiers, from :data:`graphinflu.metrics.tiers.DEFAULT_TIERS` (one definition for
#: the whole package): (name, lowest count, highest count exclusive).
TIERS: tuple[tuple[str, float, float], ...] = tuple(
    (name, float(lo), float(hi))
    for (name, lo), hi in zip(DEFAULT_TIERS, [b for _, b in DEFAULT_TIERS[1:]] + [float("inf")])
)

#: Interaction kinds and their shares among generated interaction rows.
INTERACTION_SHARES: dict[str, float] = {
    "likes": 0.40, "comments": 0.20, "replies": 0.12, "reposts": 0.13, "mentions": 0.15,
}

#: Timestamps (interactions and posts) fall in the 365 days before this instant (2024-06-30 UTC).
T_END = 1_719_705_600
T_SPAN = 365 * 86_400


def tier_of(followers) -> np.ndarray:
    """Tier name of each follower count, per :data:`TIERS` (lower bound included).

    >>> tier_of([500, 5_000, 50_000, 2_000_000]).tolist()
    ['nano', 'micro', 'mid', 'mega']
    """
    f = np.asarray(followers, dtype=np.float64)
    names = np.array([t[0] for t in TIERS], dtype=object)
    lows = np.array([t[1] for t in TIERS])
    return names[np.searchsorted(lows, f, side="right") - 1].astype(str)


@dataclass
class GeneratedData:
    """What :func:`generate` returns. Tables are ``pyarrow.Table`` (call ``.to_pandas()``).

    Attributes
    ----------
    follows : pyarrow.Table
        ``source`` (follower id), ``target`` (followed id); 12-digit strings; distinct pairs.
    interactions : pyarrow.Table
        ``source``, ``target``, ``kind``, ``weight``, ``timestamp``; sorted by timestamp.
    profiles : pyarrow.Table
        ``id``, ``handle``, ``followers``, ``following``, ``posts``, ``category``.
    posts : pyarrow.Table
        ``owner`` (id), ``likes``, ``comments``, ``timestamp``, ``hashtags``, ``mentions``.
    truth : pandas.Series
        Planted niche of every account, indexed by id (index name ``id``), categorical.
    niches : list of str
        Niche names, niche ``i`` first.
    params : dict
        Every parameter the data was drawn with (for the record and for reproducing it).
    """

    follows: pa.Table
    interactions: pa.Table
    profiles: pa.Table
    posts: pa.Table
    truth: pd.Series
    niches: list[str]
    params: dict = field(default_factory=dict)
    # integer views kept for fast graph building: codes into ``_ids`` (the dictionary of the
    # edge columns), not profile row positions
    _ids: pa.Array | None = field(default=None, repr=False)
    _follow_codes: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _interaction_codes: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    #: The planted brand (``generate(..., brand=True)``), else None.
    brand: "PlantedBrand | None" = None

    @property
    def n_accounts(self) -> int:
        return self.profiles.num_rows

    @property
    def n_edges(self) -> int:
        return self.follows.num_rows

    def to_graph(self, *, interactions: bool = True):
        """The canonical :class:`~graphinflu.graph.Graph` (accounts = profiles, edges = follows
        plus, when ``interactions``, the interaction rows merged per ``(source, target, kind)``),
        built straight from integer codes without parsing strings."""
        prof = self.profiles.to_pandas().set_index("id")
        ids = pd.Index(self._ids.to_numpy(zero_copy_only=False), name="id")
        s, t = self._follow_codes
        if interactions and self.interactions.num_rows:
            si, ti, ki = self._interaction_codes
            src = np.concatenate([s, si])
            dst = np.concatenate([t, ti])
            kind = np.concatenate([np.full(len(s), "follows", dtype=object),
                                   np.array(list(INTERACTION_SHARES), dtype=object)[ki]])
            weight = np.concatenate([np.ones(len(s)), self.interactions.column("weight").to_numpy().astype(float)])
            ts = np.concatenate([np.full(len(s), np.nan), self.interactions.column("timestamp").to_numpy().astype(float)])
            return Graph.from_codes(ids, src, dst, kind=kind, weight=weight, timestamp=ts,
                                    accounts=prof, name="generated")
        return Graph.from_codes(ids, s, t, accounts=prof, name="generated")


#: At most this share of all ordered pairs of accounts are follow edges (the sampler needs room).
MAX_DENSITY = 0.3


def default_n_niches(n_accounts: int) -> int:
    """Niches used when ``n_niches`` is not given: ``clip(round(n_accounts ** 0.25), 2, 24)``.

    >>> default_n_niches(200), default_n_niches(66_667), default_n_niches(666_667)
    (4, 16, 24)
    """
    return int(np.clip(round(n_accounts ** 0.25), 2, len(NICHES)))


def niche_names(k: int) -> list[str]:
    """The first ``k`` niche names; past :data:`NICHES` they repeat as ``fitness_2``, ...

    >>> niche_names(26)[-3:]
    ['wellness', 'fitness_2', 'beauty_2']
    """
    return [NICHES[i % len(NICHES)] + ("" if i < len(NICHES) else f"_{i // len(NICHES) + 1}") for i in range(k)]


def _check(name: str, value, low, high=None, *, integer=False):
    ok = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.integer, np.floating))
    if isinstance(value, bool) or not ok or not (value >= low) or (high is not None and not (value <= high)):
        rng = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise InputError(f"{name} must be {'an integer' if integer else 'a number'} {rng}, not {value!r}")


def generate(
    n_edges: int,
    *,
    seed: int = 0,
    n_niches: int | None = None,
    mean_degree: float = 15.0,
    n_accounts: int | None = None,
    mu: float = 0.2,
    alpha: float = 1.1,
    alpha_out: float = 2.0,
    followers_scale: float = 1_000.0,
    category_noise: float = 0.05,
    interactions_per_follow: float = 0.3,
    interaction_noise: float = 0.05,
    cross_interaction: float = 0.25,
    posts_per_account: float = 3.0,
    brand: bool = False,
    brand_audience_share: float = 0.05,
    brand_fit_creators: int = 40,
    brand_strength: float = 0.5,
) -> GeneratedData:
    """Generate a seeded synthetic influencer dataset with planted niches.

    Parameters
    ----------
    n_edges : int
        Exact number of distinct follow edges (follower → followed), no self-loops.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same data.
    n_niches : int, optional
        Number of planted niches; default :func:`default_n_niches` (4 at 200 accounts, 16 at
        67k, 24 from about 330k accounts).
    mean_degree : float
        Follows per account; ``n_accounts = round(n_edges / mean_degree)`` unless given.
    n_accounts : int, optional
        Number of accounts, overriding ``mean_degree``.
    mu : float
        Mixing: probability that a follow leaves the follower's niche (before duplicates are
        removed). The share of follow edges inside the planted niche is about ``1 - mu``.
    alpha : float
        Pareto shape of popularity ``w``; in-degrees have a power-law tail ``P(k) ~ k^-(1+alpha)``.
    alpha_out : float
        Pareto shape of activity (how many accounts one follows); larger is less skewed.
    followers_scale : float
        Platform follower count is ``in_degree + round(followers_scale * w * noise)`` with
        ``noise ~ LogNormal(0, 0.25)``: the follow graph is a sample of the platform, so the
        profile count is at least the sampled in-degree and usually far above it.
    category_noise : float
        Share of profiles whose self-declared ``category`` is another niche (``truth`` is exact).
    interactions_per_follow : float
        Interaction rows per follow edge.
    interaction_noise : float
        Share of interaction rows aimed at accounts the source does not follow (same niche).
    cross_interaction : float
        Relative rate of interaction along a follow edge that crosses niches (1 = as often as
        inside the niche).
    posts_per_account : float
        Mean posts rows per account (owners drawn in proportion to activity).
    brand : bool
        Plant a brand with ground truth (:func:`plant_brand`, :class:`PlantedBrand`): its own
        and two competitors' accounts, a target audience, the micro creators that truly fit it
        and interest hashtags in the audience's bios (a ``bio`` profile column) and posts. Drawn
        from a random stream of its own: without it every output is what it always was.
    brand_audience_share : float
        Share of the accounts in the brand's target audience (3 times as dense in two focus niches).
    brand_fit_creators : int
        Micro-tier creators that truly fit the brand.
    brand_strength : float
        Share of a fit creator's followers rewired to come from the target audience (in- and
        out-degrees are kept: each such follow swaps targets with a follow of an audience member).

    Returns
    -------
    GeneratedData

    Examples
    --------
    >>> d = generate(2_000, seed=1)
    >>> d.n_edges, d.n_accounts, d.follows.column_names
    (2000, 133, ['source', 'target'])
    """
    _check("n_edges", n_edges, 1, integer=True)
    _check("seed", seed, 0, integer=True)
    _check("mean_degree", mean_degree, 1.0)
    _check("mu", mu, 0.0, 1.0)
    _check("alpha", alpha, 0.5)
    _check("alpha_out", alpha_out, 0.5)
    _check("followers_scale", followers_scale, 0.0)
    _check("category_noise", category_noise, 0.0, 1.0)
    _check("interactions_per_follow", interactions_per_follow, 0.0)
    _check("interaction_noise", interaction_noise, 0.0, 1.0)
    _check("cross_interaction", cross_interaction, 0.0)
    _check("posts_per_account", posts_per_account, 0.0)
    n = int(round(n_edges / mean_degree)) if n_accounts is None else n_accounts
    # two niches of two accounts at the least, and few enough edges per pair of accounts (MAX_DENSITY)
    least = max(2 * max(2, n_niches if isinstance(n_niches, int) else 2), int(np.ceil(1 + mean_degree / MAX_DENSITY)))
    if n_accounts is None and n < least:
        raise InputError(f"{n_edges} follow edges make {n} accounts at {mean_degree:g} follows each; "
                         f"{least} are needed (two accounts in each of at least two niches, and room for the edges)", hint=f"ask for at least {int(np.ceil(least * mean_degree))} edges (--edges)")
    _check("n_accounts", n, 2, integer=True)
    k = default_n_niches(n) if n_niches is None else n_niches
    _check("n_niches", k, 1, integer=True)
    if n < 2 * k:
        raise InputError(f"{n} accounts cannot fill {k} niches of at least 2 accounts",
                         hint="ask for more edges (--edges) or fewer niches (--niches); from Python also a "
                              "smaller mean_degree")
    if n_edges < n:
        raise InputError(f"n_edges={n_edges} is below n_accounts={n}; every account follows at least one",
                         hint="raise n_edges or lower n_accounts")
    if k == 1 and mu > 0:
        mu = 0.0  # nowhere else to go
    # a niche-structured graph cannot be nearly complete: keep well below n*(n-1)
    if n_edges > MAX_DENSITY * n * (n - 1):
        raise InputError(f"{n_edges:,} edges are too dense for {n:,} accounts (at most {MAX_DENSITY:.0%} of n*(n-1))",
                         hint="raise n_accounts or lower n_edges / raise mean_degree")
    params = dict(n_edges=n_edges, seed=seed, n_niches=k, mean_degree=mean_degree, n_accounts=n, mu=mu,
                  alpha=alpha, alpha_out=alpha_out, followers_scale=followers_scale,
                  category_noise=category_noise, interactions_per_follow=interactions_per_follow,
                  interaction_noise=interaction_noise, cross_interaction=cross_interaction,
                  posts_per_account=posts_per_account)
    if brand:
        _check("brand_audience_share", brand_audience_share, 0.0, 0.5)
        _check("brand_fit_creators", brand_fit_creators, 1, integer=True)
        _check("brand_strength", brand_strength, 0.0, 1.0)
        params.update(brand=True, brand_audience_share=brand_audience_share, brand_fit_creators=brand_fit_creators,
                      brand_strength=brand_strength)
    rng = np.random.default_rng(seed)
    names = niche_names(k)

    # ---------------------------------------------------------------- accounts (internal codes grouped by niche)
    sizes = rng.multinomial(n - 2 * k, rng.dirichlet(np.full(k, 4.0))) + 2
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    niche = np.repeat(np.arange(k, dtype=np.int32), sizes)
    pop = rng.pareto(alpha, n) + 1.0  # latent platform popularity (uncapped)
    act = rng.pareto(alpha_out, n) + 1.0  # activity: how many accounts one follows

    src, dst = _follow_graph(rng, n_edges, n, k, sizes, bounds, niche, pop, act, mu)

    # Internal codes stay grouped by niche; nothing of that shows outside: ids are random
    # distinct 12-digit numbers and the profile rows are shuffled. Edge tables are dictionary
    # columns (internal codes into ``ids``), follows grouped by follower, as in a crawl.
    src = src.astype(np.int32)
    dst = dst.astype(np.int32)
    ids_num = rng.choice(9 * 10**11, n, replace=False).astype(np.int64) + 10**11
    ids = pc.cast(pa.array(ids_num), pa.string())
    rows = rng.permutation(n)  # profile row r describes internal account rows[r]

    # ---------------------------------------------------------------- profiles
    in_deg = np.bincount(dst, minlength=n)
    out_deg = np.bincount(src, minlength=n)
    out_ptr = np.concatenate([[0], np.cumsum(out_deg)])
    followers = in_deg + np.round(followers_scale * pop * rng.lognormal(0.0, 0.25, n)).astype(np.int64)
    following = out_deg + np.round(rng.lognormal(6.2, 0.9, n)).astype(np.int64)
    category = niche.copy()
    if category_noise > 0 and k > 1:
        flip = rng.random(n) < category_noise
        category[flip] = (niche[flip] + rng.integers(1, k, int(flip.sum()))) % k
    handles = _handles(rng, niche, names, n)
    plan = None
    if brand:  # its own random stream: the main one (everything above and below) is unchanged
        plan = plant_brand(np.random.default_rng([seed, BRAND_STREAM]), src, dst, niche, followers, bounds,
                           share=brand_audience_share, n_fit=brand_fit_creators, strength=brand_strength)
        handles = pc.if_else(pa.array(plan.handle_of >= 0),
                             pa.array(BRAND_HANDLES, pa.string()).take(pa.array(np.maximum(plan.handle_of, 0))),
                             handles)

    # ---------------------------------------------------------------- posts
    n_posts = int(round(posts_per_account * n))
    post_rows = rng.multinomial(n_posts, act / act.sum())
    owner = np.repeat(rows.astype(np.int32), post_rows[rows])  # grouped by owner, in profile order
    posts_count = post_rows + np.round(rng.lognormal(6.5, 1.0, n)).astype(np.int64)
    fo = followers[owner].astype(np.float64)
    rate = 0.25 * np.maximum(fo, 1.0) ** -0.2 * rng.lognormal(0.0, 0.5, n_posts)
    likes = rng.poisson(fo * np.minimum(rate, 0.9))
    comments = rng.poisson(likes * 0.03 * rng.lognormal(0.0, 0.5, n_posts))
    post_ts = T_END - rng.integers(0, T_SPAN, n_posts)
    hashtags = _hashtags(rng, niche[owner], names)
    mentions = _post_mentions(rng, owner, dst, out_ptr, handles)
    posts = pa.table({
        "owner": _dict(owner, ids),
        "likes": pa.array(likes.astype(np.int64)),
        "comments": pa.array(comments.astype(np.int64)),
        "timestamp": pa.array(post_ts.astype(np.int64)),
        "hashtags": hashtags,
        "mentions": mentions,
    })

    # ---------------------------------------------------------------- interactions
    isrc, idst, kinds, weight, its = _interactions(
        rng, src, dst, niche, bounds, sizes, interactions_per_follow, interaction_noise, cross_interaction)
    interactions = pa.table({
        "source": _dict(isrc, ids),
        "target": _dict(idst, ids),
        "kind": _dict(kinds, pa.array(list(INTERACTION_SHARES))),
        "weight": pa.array(weight),
        "timestamp": pa.array(its),
    })

    take = pa.array(rows)
    profiles = pa.table({
        "id": ids.take(take),
        "handle": handles.take(take),
        "followers": pa.array(followers[rows]),
        "following": pa.array(following[rows]),
        "posts": pa.array(posts_count[rows]),
        "category": _dict(category[rows], pa.array(names)),
    })
    planted = None
    if plan is not None:
        profiles = profiles.append_column("bio", plan.bios(rows, category[rows], names))
        posts = posts.set_column(posts.column_names.index("hashtags"), "hashtags", plan.tag_posts(owner, hashtags))
        planted = plan.result(ids, handles, names)
    # follows grouped by follower, followers in profile-row order (not by niche)
    lens = out_deg[rows]
    order = np.repeat(out_ptr[rows] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(len(src))
    src, dst = src[order], dst[order]
    del order
    follows = pa.table({"source": _dict(src, ids), "target": _dict(dst, ids)})
    truth = pd.Series(pd.Categorical.from_codes(niche[rows], categories=names),
                      index=pd.Index(profiles.column("id").to_numpy(), name="id"), name="niche")
    return GeneratedData(follows, interactions, profiles, posts, truth, names, params,
                         _ids=ids, _follow_codes=(src, dst), _interaction_codes=(isrc, idst, kinds), brand=planted)


#: Seeds the planted brand's own random stream (``default_rng([seed, BRAND_STREAM])``).
BRAND_STREAM = 0xB2A4D
#: How many times likelier an account of the brand's two focus niches is to be in its audience.
FOCUS_WEIGHT = 3.0
#: Handles of the planted brand's own account and its two competitors.
BRAND_HANDLES: tuple[str, ...] = ("brand_official", "rival_one", "rival_two")
#: The planted brand's interests, as hashtags in its audience's bios and posts.
BRAND_INTERESTS: tuple[str, ...] = ("zerowaste", "sustainable", "ecofriendly", "plasticfree")
#: Chance that an account mentions the interests in its bio / tags one post with them: target
#: audience, fit creators, everyone else (noise).
_INTEREST_RATES = {"bio": (0.6, 0.5, 0.005), "post": (0.5, 0.5, 0.005)}


@dataclass
class PlantedBrand:
    """The brand :func:`generate` planted (``brand=True``): the ground truth of brand fit.

    Attributes
    ----------
    accounts, competitors : list of str
        Ids of the brand's own account and of its two competitors (handles :data:`BRAND_HANDLES`).
    audience : list of str
        Ids of the target audience.
    fit : list of str
        Ids of the micro-tier creators that truly fit the brand: a ``brand_strength`` share of
        their followers was rewired to come from the target audience.
    interests : list of str
        The interest hashtags planted in the audience's bios and posts (:data:`BRAND_INTERESTS`).
    niches : list of str
        The two niches most of the audience comes from.
    handles : dict
        Id → handle of the brand's, competitors' and fit accounts.
    """

    accounts: list[str]
    competitors: list[str]
    audience: list[str]
    fit: list[str]
    interests: list[str]
    niches: list[str]
    handles: dict[str, str] = field(default_factory=dict)


@dataclass
class _BrandPlan:
    """Internal codes of what :func:`plant_brand` drew, and the brand's own random stream."""

    rng: np.random.Generator
    brand: np.ndarray
    audience: np.ndarray
    fit: np.ndarray
    focus: np.ndarray
    n: int

    @property
    def handle_of(self) -> np.ndarray:
        out = np.full(self.n, -1)
        out[self.brand] = np.arange(len(self.brand))
        return out

    def _group(self) -> np.ndarray:
        """0 = target audience, 1 = fit creator, 2 = anyone else."""
        g = np.full(self.n, 2)
        g[self.audience] = 0
        g[self.fit] = 1
        return g

    def bios(self, rows: np.ndarray, category: np.ndarray, names) -> pa.Array:
        """A short bio per profile row: its declared niche, and for some an interest hashtag."""
        rate = np.array(_INTEREST_RATES["bio"])[self._group()[rows]]
        says = self.rng.random(len(rows)) < rate
        tag = np.array(BRAND_INTERESTS, dtype=object)[self.rng.integers(0, len(BRAND_INTERESTS), len(rows))]
        base = np.array(names, dtype=object)[category] + " creator"
        return pa.array(np.where(says, base + " · #" + tag, base), pa.string())

    def tag_posts(self, owner: np.ndarray, hashtags: pa.Array) -> pa.Array:
        """``hashtags`` with an interest hashtag appended to some posts (audience and fit creators' most)."""
        rate = np.array(_INTEREST_RATES["post"])[self._group()[owner]]
        says = self.rng.random(len(owner)) < rate
        tag = np.array(BRAND_INTERESTS, dtype=object)[self.rng.integers(0, len(BRAND_INTERESTS), len(owner))]
        old = np.asarray(hashtags.to_numpy(zero_copy_only=False), dtype=object)
        new = np.where(old == "", tag, old + " " + tag)
        return pa.array(np.where(says, new, old), pa.string())

    def result(self, ids: pa.Array, handles: pa.Array, names) -> PlantedBrand:
        idv = np.asarray(ids.to_numpy(zero_copy_only=False), dtype=object)
        hv = np.asarray(handles.to_numpy(zero_copy_only=False), dtype=object)
        named = np.concatenate([self.brand, self.fit])
        return PlantedBrand(accounts=[idv[self.brand[0]]], competitors=list(idv[self.brand[1:]]),
                            audience=sorted(idv[self.audience]), fit=sorted(idv[self.fit]),
                            interests=list(BRAND_INTERESTS), niches=[names[i] for i in self.focus],
                            handles={idv[i]: hv[i] for i in named})


def plant_brand(rng, src, dst, niche, followers, bounds, *, share: float, n_fit: int, strength: float) -> _BrandPlan:
    """Draw a brand's target audience, its accounts and the creators that fit it, and rewire
    follows so that the fit creators' and the brand accounts' followers come from that audience.

    * Target audience: ``share`` of the accounts, drawn :data:`FOCUS_WEIGHT` (3) times as often
      from two focus niches as from the others: concentrated there, present everywhere, whatever
      the number of niches (a fixed share from two of 24 niches would make whole niches fit).
    * Brand accounts (own + 2 competitors): three of the ten most followed accounts (in-degree)
      outside the audience.
    * Fit creators: ``n_fit`` micro-tier accounts (1,000 to 50,000 followers) outside the
      audience with at least 5 followers, focus niches twice as likely.
    * Rewiring, degree-preserving: each follow ``u → c`` into a fit creator (brand accounts: with
      probability 0.8) whose ``u`` is not in the audience is, with probability ``strength``, swapped
      with a random follow ``a → x`` of an audience member ``a`` into a non-planted ``x``: the pair
      becomes ``a → c`` and ``u → x``. Swaps making a self-loop or a repeated follow are refused
      (a few rounds retry them). Every in- and out-degree stays the same.

    ``dst`` is changed in place.
    """
    n, k = len(niche), int(niche.max()) + 1
    focus = rng.choice(k, min(2, k), replace=False)
    in_focus = np.isin(niche, focus)
    size = int(np.clip(round(share * n), 1, n - 4))
    p = np.where(in_focus, FOCUS_WEIGHT, 1.0)
    audience = np.sort(rng.choice(n, size, replace=False, p=p / p.sum()))
    member = np.zeros(n, bool)
    member[audience] = True
    in_deg = np.bincount(dst, minlength=n)
    # the brand's accounts are among the most followed in the sample (10 candidates outside the
    # audience), so that their followers reach much of the audience at every size
    by_reach = np.argsort(-in_deg, kind="stable")
    brand = rng.choice(by_reach[~member[by_reach]][:10], 3, replace=False)
    ok = (followers >= 1_000) & (followers < 50_000) & ~member & (in_deg >= 5)
    ok[brand] = False
    pool = np.flatnonzero(ok)
    w = np.where(in_focus[pool], 2.0, 1.0)
    fit = np.sort(rng.choice(pool, min(n_fit, len(pool)), replace=False, p=w / w.sum()))
    rate = np.zeros(n)
    rate[fit] = strength
    rate[brand] = 0.8
    planted = rate > 0
    bits = max(int(n).bit_length(), 1)
    src64 = src.astype(np.int64)
    want = np.flatnonzero(planted[dst] & ~member[src] & (rng.random(len(dst)) < rate[dst]))
    for _ in range(4):
        donors = np.flatnonzero(member[src] & ~planted[dst])
        if not len(want) or not len(donors):
            break
        take = min(len(want), len(donors))
        x, y = rng.permutation(want)[:take], rng.choice(donors, take, replace=False)
        new_a = (src64[y] << bits) | dst[x]  # audience member -> planted account
        new_b = (src64[x] << bits) | dst[y]  # the former follower -> the audience member's old target
        keys = np.sort((src64 << bits) | dst)
        both = np.concatenate([new_a, new_b])
        first = np.zeros(len(both), bool)
        first[np.unique(both, return_index=True)[1]] = True
        good = ((src[y] != dst[x]) & (src[x] != dst[y]) & ~_in_sorted(keys, new_a) & ~_in_sorted(keys, new_b)
                & first[:take] & first[take:])
        dst[x[good]], dst[y[good]] = dst[y[good]], dst[x[good]]
        want = np.setdiff1d(want, x[good])
    return _BrandPlan(rng, brand, audience, fit, focus, n)


def _in_sorted(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    at = np.searchsorted(sorted_keys, keys)
    return (at < len(sorted_keys)) & (sorted_keys[np.minimum(at, len(sorted_keys) - 1)] == keys)


def _follow_graph(rng, m, n, k, sizes, bounds, niche, pop, act, mu):
    """Exactly ``m`` distinct, loop-free follow edges as internal codes (codes grouped by niche)."""
    p_out = act / act.sum()
    out_share = np.bincount(niche, weights=act, minlength=k) / act.sum()
    # cap popularity so no account expects more than half its niche as followers
    w = pop.copy()
    exp_in = _expected_pool(out_share, np.bincount(niche, weights=w, minlength=k), mu, k) * m
    for _ in range(5):
        tot = np.bincount(niche, weights=w, minlength=k)
        cap = 0.5 * sizes * tot / np.maximum(exp_in, 1.0)
        w = np.minimum(w, cap[niche])
        exp_in = _expected_pool(out_share, np.bincount(niche, weights=w, minlength=k), mu, k) * m
    tot_w = np.bincount(niche, weights=w, minlength=k)

    keys = np.zeros(0, np.int64)
    bits = max(int(n).bit_length(), 1)  # key = source << bits | target, sorted = grouped by source
    need = m
    extra = 0.02
    for round_ in range(20):
        draw = int(need * (1 + extra)) + 16
        if round_ == 0:
            out = 1 + rng.multinomial(max(draw - n, 0), p_out)
        else:
            out = rng.multinomial(draw, p_out)
        s, t = _draw_targets(rng, out, n, k, bounds, niche, w, tot_w, mu)
        new = (s.astype(np.int64) << bits) | t
        new = new[s != t]
        allk = np.concatenate([keys, new])
        allk.sort()
        keep = np.empty(len(allk), bool)
        if len(allk):
            keep[0] = True
            np.not_equal(allk[1:], allk[:-1], out=keep[1:])
        before = len(keys) + len(new)
        keys = allk[keep]
        dup_rate = 1 - len(keys) / max(before, 1)
        need = m - len(keys)
        if need <= 0:
            break
        extra = min(1.0, 2 * dup_rate / max(1 - dup_rate, 1e-3) + 0.05)
    else:  # pragma: no cover - only for absurd parameters
        raise InputError(f"could not draw {m:,} distinct follow edges among {n:,} accounts",
                         hint="lower n_edges, raise n_accounts or alpha")
    surplus = len(keys) - m
    if surplus:
        # never drop the first (sorted) edge of a source: every account keeps a follow
        s_all = keys >> bits
        free = np.flatnonzero(np.concatenate([[False], s_all[1:] == s_all[:-1]]))
        del s_all
        drop = free[rng.choice(len(free), surplus, replace=False)]
        mask = np.ones(len(keys), bool)
        mask[drop] = False
        keys = keys[mask]
    return keys >> bits, keys & ((1 << bits) - 1)


def _expected_pool(out_share, tot, mu, k):
    """Expected share of all follow draws that land in each niche."""
    if k == 1:
        return np.ones(1)
    # cross from c goes to d != c in proportion to tot[d]
    share = tot / tot.sum()
    cross = mu * out_share[:, None] * share[None, :] / (1 - share)[:, None]
    np.fill_diagonal(cross, 0.0)
    return (1 - mu) * out_share + cross.sum(axis=0)


def _draw_targets(rng, out, n, k, bounds, niche, w, tot_w, mu):
    """Sources ``repeat(arange(n), out)`` and targets: same niche w.p. ``1 - mu`` else another niche
    in proportion to its popularity, then an account ∝ ``w`` inside it. Self-loops swapped away."""
    src = np.repeat(np.arange(n, dtype=np.int32), out)
    e_niche = np.bincount(niche, weights=out, minlength=k).astype(np.int64)  # edges per source niche
    seg = np.concatenate([[0], np.cumsum(e_niche)])
    # counts[c, d]: edges from niche c whose target is in niche d
    counts = np.zeros((k, k), np.int64)
    for c in range(k):
        if k == 1:
            counts[c, c] = e_niche[c]
            continue
        intra = rng.binomial(e_niche[c], 1 - mu)
        q = tot_w.copy()
        q[c] = 0.0
        counts[c] = rng.multinomial(e_niche[c] - intra, q / q.sum())
        counts[c, c] = intra
    # one pool of i.i.d. targets per target niche, shuffled, then dealt out to source niches
    pools = []
    for d in range(k):
        lo, hi = bounds[d], bounds[d + 1]
        pd_ = w[lo:hi] / tot_w[d]
        pool = np.repeat(np.arange(lo, hi, dtype=np.int32), rng.multinomial(int(counts[:, d].sum()), pd_))
        rng.shuffle(pool)
        pools.append(pool)
    dst = np.empty(len(src), np.int32)
    taken = np.zeros(k, np.int64)
    for c in range(k):
        parts = []
        for d in range(k):
            x = counts[c, d]
            parts.append(pools[d][taken[d]:taken[d] + x])
            taken[d] += x
        block = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        rng.shuffle(block)
        dst[seg[c]:seg[c + 1]] = block
    # swap self-loop targets with random edges of the same source niche (keeps in-degrees)
    for _ in range(30):
        loops = np.flatnonzero(src == dst)
        if not len(loops):
            break
        c = niche[src[loops]]
        partner = seg[c] + (rng.random(len(loops)) * (seg[c + 1] - seg[c])).astype(np.int64)
        a, b = dst[loops].copy(), dst[partner].copy()
        dst[loops], dst[partner] = b, a
    return src, dst  # any self-loop left (vanishingly rare) is dropped by the caller


def _dict(codes: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    """A dictionary-encoded string column (no per-row string copies; CSV/Parquet write it as text)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), values)


def _handles(rng, niche_f, names, n) -> pa.Array:
    """Unique handles ``<niche prefix>_<first name>_<NNN>`` (e.g. ``fit_anna_042``)."""
    bases = [nm.split("_")[0] for nm in names]
    prefixes = sorted(set(_PREFIX[b] for b in bases))
    pidx = np.array([prefixes.index(_PREFIX[b]) for b in bases], dtype=np.int64)[niche_f]
    name_idx = rng.integers(0, len(_FIRST_NAMES), n)
    group = pidx * len(_FIRST_NAMES) + name_idx
    order = np.argsort(group, kind="stable")
    g_sorted = group[order]
    starts = np.flatnonzero(np.concatenate([[True], g_sorted[1:] != g_sorted[:-1]])) if n else np.zeros(0, np.int64)
    run = np.repeat(starts, np.diff(np.concatenate([starts, [n]])))
    number = np.empty(n, np.int64)
    number[order] = np.arange(n) - run + 1  # 1, 2, ... inside each (prefix, name) group: unique
    num = pc.utf8_lpad(pc.cast(pa.array(number), pa.string()), 3, "0")
    pre = pa.array(prefixes).take(pa.array(pidx))
    nm = pa.array(_FIRST_NAMES).take(pa.array(name_idx))
    return pc.binary_join_element_wise(pre, nm, num, "_")


def _hashtags(rng, post_niche, names) -> pa.Array:
    """Space-joined hashtags: 0–6 distinct tags of the owner's niche, sometimes a generic one."""
    p = len(post_niche)
    vocab = []
    v = 12
    for nm in names:
        root, _, num = nm.partition("_")
        tags = _TAGS[root].split()[:v]
        vocab.extend(t + num for t in tags)
    n_niche_tags = len(vocab)
    vocab = pa.array(vocab + list(_GENERIC_TAGS))
    kcount = np.minimum(rng.poisson(3.0, p), 6)
    start = rng.integers(0, v, p)
    stride = np.array([1, 5, 7, 11])[rng.integers(0, 4, p)]  # coprime to 12: tags are distinct
    generic = rng.random(p) < 0.3
    gtag = n_niche_tags + rng.integers(0, len(_GENERIC_TAGS), p)
    lens = kcount + generic
    offs = np.concatenate([[0], np.cumsum(lens)])
    # one entry per niche tag: its post, and j = 0..kcount-1 inside the post
    post = np.repeat(np.arange(p), kcount)
    j = np.arange(len(post)) - np.repeat(offs[:-1] - np.concatenate([[0], np.cumsum(generic)[:-1]]), kcount)
    out = np.empty(int(offs[-1]), np.int64)
    out[offs[post] + j] = post_niche[post].astype(np.int64) * v + (start[post] + j * stride[post]) % v
    out[offs[1:][generic] - 1] = gtag[generic]  # the generic tag comes last
    lists = pa.ListArray.from_arrays(pa.array(offs.astype(np.int32)), vocab.take(pa.array(out)))
    return pc.binary_join(lists, " ")


def _post_mentions(rng, owner, dst, out_ptr, handles) -> pa.Array:
    """Space-joined handles: 0, 1 (25%) or 2 (5%) accounts the owner follows."""
    p = len(owner)
    r = rng.random(p)
    nm = (r < 0.30).astype(np.int64) + (r < 0.05)
    lens = nm
    offs = np.concatenate([[0], np.cumsum(lens)])
    who = np.repeat(owner.astype(np.int64), lens)
    deg = out_ptr[who + 1] - out_ptr[who]
    pick = out_ptr[who] + (rng.random(len(who)) * deg).astype(np.int64)
    targets = dst[pick]
    lists = pa.ListArray.from_arrays(pa.array(offs.astype(np.int32)), handles.take(pa.array(targets)))
    return pc.binary_join(lists, " ")


def _interactions(rng, src, dst, niche, bounds, sizes, per_follow, noise, cross):
    m = len(src)
    total = int(round(per_follow * m))
    n_noise = rng.binomial(total, noise) if total else 0
    n_edge = total - n_noise
    intra = niche[src] == niche[dst]
    ii, xx = np.flatnonzero(intra), np.flatnonzero(~intra)
    wi, wx = len(ii) * 1.0, len(xx) * cross
    n_in = rng.binomial(n_edge, wi / (wi + wx)) if (wi + wx) > 0 and n_edge else 0
    pick = np.concatenate([
        ii[rng.integers(0, max(len(ii), 1), n_in)] if n_in else np.zeros(0, np.int64),
        xx[rng.integers(0, max(len(xx), 1), n_edge - n_in)] if n_edge - n_in else np.zeros(0, np.int64),
    ])
    s = src[pick].astype(np.int64)
    t = dst[pick].astype(np.int64)
    # noise rows: a random account of the source's niche that it may not follow
    ns = rng.integers(0, len(niche), n_noise)
    c = niche[ns]
    nt = bounds[c] + (rng.random(n_noise) * sizes[c]).astype(np.int64)
    s = np.concatenate([s, ns])
    t = np.concatenate([t, nt])
    ok = s != t
    s, t = s[ok], t[ok]
    r = len(s)
    shares = np.array(list(INTERACTION_SHARES.values()))
    kinds = np.searchsorted(np.cumsum(shares) / shares.sum(), rng.random(r), side="right").astype(np.int32)
    weight = rng.geometric(0.6, r)  # 1, 2, ... (mean 1.67)
    ts = T_END - rng.integers(0, T_SPAN, r)
    # sort by time; ties keep draw order (unique int64 keys: no dependence on the sort algorithm)
    shift = max(int(r).bit_length(), 1)
    order = (np.sort((ts.astype(np.int64) - (T_END - T_SPAN)) << shift | np.arange(r)) & ((1 << shift) - 1))
    return (s[order].astype(np.int32), t[order].astype(np.int32), kinds[order], weight[order].astype(np.int64),
            ts[order].astype(np.int64))


def demo_data() -> GeneratedData:
    """The tiny fixed dataset of the bundled demo: 2,000 follows among 200 accounts in 4 niches
    (seed 7), with interactions, profiles and posts.

    >>> d = demo_data()
    >>> d.n_edges, d.n_accounts, d.niches
    (2000, 200, ['fitness', 'beauty', 'food', 'travel'])
    """
    return generate(2_000, seed=7, n_niches=4, mean_degree=10)


FORMATS = ("csv", "csv.gz", "parquet")
TABLES = ("follows", "interactions", "profiles", "posts")


def write_generated(data: GeneratedData, out_dir: str | os.PathLike, *, format: str = "csv") -> dict[str, Path]:
    """Write ``follows``, ``interactions``, ``profiles`` and ``posts`` into ``out_dir``.

    Each file is written atomically (to a temporary file moved into place). CSV has a header
    row and no quotes (no value holds a comma, quote or newline); ``csv.gz`` is gzip (level 1, for speed) with a zero timestamp so the bytes depend
    only on the data; Parquet keeps the column types.

    Returns
    -------
    dict
        Table name → path, e.g. ``{"follows": Path("out/follows.csv"), ...}``.
    """
    if format not in FORMATS:
        raise InputError(f"format must be one of {FORMATS}, not {format!r}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", path=out, hint="give a folder to write the files into")
    paths = {}
    for name in TABLES:
        table = getattr(data, name)
        dest = out / f"{name}.{format}"
        if format == "parquet":
            with atomic_path(dest) as tmp:
                pq.write_table(table, tmp, compression="zstd")
        else:
            # every value is digits, lowercase words, "_" or spaces: nothing needs quoting
            opts = pacsv.WriteOptions(quoting_style="none", quoting_header="none")
            with atomic_write(dest, "wb") as fh:
                if format == "csv.gz":
                    with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=1, filename="") as gz:
                        pacsv.write_csv(table, gz, opts)
                else:
                    pacsv.write_csv(table, fh, opts)
        paths[name] = dest
    if data.brand is not None:
        paths.update(write_planted_brand(data, out))
    return paths


#: Share of the planted target audience written to ``brand_audience_sample.csv``.
AUDIENCE_SAMPLE_SHARE = 0.3


def write_planted_brand(data: GeneratedData, out_dir) -> dict[str, Path]:
    """The planted brand's files (with ``generate(..., brand=True)``), each written atomically:

    * ``brand.json``: ``accounts`` and ``competitors`` (ids and handles), ``interests``, the focus
      ``niches``, the audience size and the generator's parameters;
    * ``brand_audience_sample.csv``: ``handle`` of a seeded 30% sample of the target audience (what
      a brand would know of its audience, e.g. its own followers), for ``--brand-audience``;
    * ``brand_fit.csv``: ``id``, ``handle`` of the creators that truly fit the brand (ground truth).
    """
    import json

    b = data.brand
    out = Path(out_dir)
    prof = data.profiles.select(["id", "handle"]).to_pandas().set_index("id")["handle"]
    rng = np.random.default_rng([int(data.params.get("seed", 0)), BRAND_STREAM, 1])
    sample = np.sort(rng.choice(len(b.audience), max(1, round(AUDIENCE_SAMPLE_SHARE * len(b.audience))), replace=False))
    doc = {"accounts": [{"id": i, "handle": b.handles[i]} for i in b.accounts],
           "competitors": [{"id": i, "handle": b.handles[i]} for i in b.competitors],
           "interests": b.interests, "niches": b.niches, "audience_size": len(b.audience),
           "fit_creators": len(b.fit), "audience_sample": len(sample),
           "params": {k: v for k, v in data.params.items() if k.startswith("brand") or k == "seed"}}
    files = {"brand": out / "brand.json", "brand_audience_sample": out / "brand_audience_sample.csv",
             "brand_fit": out / "brand_fit.csv"}
    with atomic_write(files["brand"], "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    with atomic_write(files["brand_audience_sample"], "w") as fh:
        fh.write("handle\n" + "".join(f"{prof[b.audience[i]]}\n" for i in sample))
    with atomic_write(files["brand_fit"], "w") as fh:
        fh.write("id,handle\n" + "".join(f"{i},{prof[i]}\n" for i in b.fit))
    return files
