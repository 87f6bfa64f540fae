"""One identity per account: the single rule that turns a name (an id, a handle, an @mention)
into an account id.

A name resolves to an account by **exact id** first (also after removing surrounding white space),
else by **handle**, normalised with :func:`normalise_handles` (case-insensitive, leading ``@`` and
surrounding white space removed), through the id ↔ handle map of the known accounts (the profiles
and the graph's ``handle`` column). A normalised handle two accounts share is *ambiguous*: naming
it is an error (:class:`~graphinflu.errors.AmbiguousAccountError` lists the candidates); edge files
count and report it. Work is done once per distinct name with pandas (no loop over edges).
"""

from __future__ import annotations

import functools

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AmbiguousAccountError

#: Resolution status codes (:attr:`Resolution.status`).
BY_ID, BY_HANDLE, UNRESOLVED, AMBIGUOUS = 0, 1, 2, 3


def normalise_handles(values) -> np.ndarray:
    """Handles as compared: white space around removed, leading ``@`` removed, lower case.

    Missing or empty values become ``""`` (which matches nothing).

    >>> normalise_handles([" @Fit_Eli ", "ana", None]).tolist()
    ['fit_eli', 'ana', '']
    """
    s = pd.Series(np.asarray(values, dtype=object), dtype="string")
    s = s.str.strip().str.lstrip("@").str.strip().str.lower()
    return s.fillna("").to_numpy(dtype=object)


@dataclass(frozen=True)
class Resolution:
    """What :meth:`Identity.resolve` found for each name (arrays aligned with the names).

    Attributes
    ----------
    ids : ndarray of object
        The account id of each name; for an unresolved or ambiguous name, the name itself.
    status : ndarray of int8
        :data:`BY_ID`, :data:`BY_HANDLE`, :data:`UNRESOLVED` or :data:`AMBIGUOUS`.
    candidates : dict
        Normalised ambiguous handle → the ids that share it (only those met among the names).
    """

    ids: np.ndarray
    status: np.ndarray
    candidates: dict[str, list[str]]

    @property
    def resolved(self) -> np.ndarray:
        """True where the name is an account (by id or by handle)."""
        return self.status <= BY_HANDLE


class Identity:
    """The id ↔ handle map of a set of accounts.

    Parameters
    ----------
    ids : sequence
        Account ids (converted to ``str``).
    handles : sequence, optional
        Each account's handle (aligned with ``ids``; missing values are allowed).

    Examples
    --------
    >>> ident = Identity(["1", "2"], ["Fit_Eli", "tech_wren"])
    >>> r = ident.resolve(["2", "@FIT_eli", " 1 ", "nobody"])
    >>> r.ids.tolist(), r.status.tolist()
    (['2', '1', '1', 'nobody'], [0, 1, 0, 2])
    """

    def __init__(self, ids, handles=None):
        self.ids = pd.Index(np.asarray(pd.Index(ids).astype(str), dtype=object), dtype=object)
        self._id_lookup = self.ids if self.ids.is_unique else self.ids[~self.ids.duplicated()]
        self._raw_handles = handles

    @functools.cached_property
    def _handle_map(self) -> tuple[pd.Index, np.ndarray, pd.Series]:
        """(unique normalised handles, their ids, shared handle → ids), built on first need: when
        every name is an id (the usual follow list), no handle is ever normalised (~1 s saved at
        10M edges)."""
        handles = self._raw_handles
        pairs = pd.DataFrame({"handle": normalise_handles(self.ids if handles is None else handles),
                              "id": self.ids.to_numpy()})
        pairs = pairs[pairs["handle"] != ""].drop_duplicates()
        shared = pairs["handle"].duplicated(keep=False).to_numpy()
        unique = pairs[~shared]
        ambiguous = pairs[shared].groupby("handle", sort=True)["id"].agg(lambda s: sorted(s.tolist()))
        return pd.Index(unique["handle"].to_numpy(), dtype=object), unique["id"].to_numpy(dtype=object), ambiguous

    def handle_table(self) -> tuple[pd.DataFrame, pd.Series]:
        """The handle map names resolve through: ``handle`` (normalised) → ``id`` of the handles
        one account has, and each handle several accounts share → their ids (sorted). The Spark
        engine joins a follow list with it (:mod:`graphinflu.spark.identity`)."""
        handles, ids, ambiguous = self._handle_map
        return pd.DataFrame({"handle": handles.to_numpy(dtype=object), "id": ids}), ambiguous

    @classmethod
    def of_accounts(cls, accounts: pd.DataFrame) -> "Identity":
        """The map of an account table indexed by id with a ``handle`` column (a graph's, or
        :func:`~graphinflu.loaders.read_profiles`')."""
        handles = accounts["handle"].to_numpy(dtype=object) if "handle" in accounts else None
        return cls(accounts.index, handles)

    def resolve(self, names) -> Resolution:
        """Resolve every name (see the module docstring for the rule), once per distinct name."""
        codes, uniques = pd.factorize(np.asarray(names, dtype=object).astype(str))
        uniq = pd.Index(uniques, dtype=object)
        out = uniq.to_numpy(dtype=object, copy=True)
        status = np.full(len(uniq), UNRESOLVED, dtype=np.int8)
        pos = self._id_lookup.get_indexer(uniq)
        status[pos >= 0] = BY_ID
        miss = np.flatnonzero(pos < 0)
        candidates: dict[str, list[str]] = {}
        if len(miss):
            stripped = pd.Series(uniq[miss], dtype="string").str.strip().to_numpy(dtype=object)
            pos2 = self._id_lookup.get_indexer(pd.Index(stripped, dtype=object))
            hit = pos2 >= 0
            out[miss[hit]] = self._id_lookup.to_numpy()[pos2[hit]]
            status[miss[hit]] = BY_ID
            miss = miss[~hit]
        if len(miss):
            handles, handle_ids, ambiguous = self._handle_map
            norm = normalise_handles(uniq[miss])
            hpos = handles.get_indexer(pd.Index(norm, dtype=object))
            hit = hpos >= 0
            out[miss[hit]] = handle_ids[hpos[hit]]
            status[miss[hit]] = BY_HANDLE
            amb = ~hit & pd.Index(norm, dtype=object).isin(ambiguous.index)
            status[miss[amb]] = AMBIGUOUS
            for h in pd.unique(norm[amb]):
                candidates[h] = list(ambiguous[h])
        return Resolution(out[codes], status[codes], candidates)

    def require(self, names, *, what: str = "accounts") -> Resolution:
        """:meth:`resolve` names a user gave; an ambiguous one raises
        :class:`~graphinflu.errors.AmbiguousAccountError` listing the candidates."""
        res = self.resolve(names)
        if (res.status == AMBIGUOUS).any():
            raise AmbiguousAccountError(res.candidates, what=what)
        return res
