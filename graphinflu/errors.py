"""The exception family. Every message says what was expected, what was found and how to fix it."""

from __future__ import annotations


class GraphinfluError(Exception):
    """Base class for every error graphinflu raises on purpose."""


class InputError(GraphinfluError, ValueError):
    """A file or argument the user gave cannot be used as it is.

    The message names the file (and line or column where known) and the fix.
    """

    def __init__(self, message: str, *, path: object = None, line: int | None = None, hint: str | None = None):
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        text = where + message
        if hint:
            text += f"\n  fix: {hint}"
        super().__init__(text)
        self.path = path
        self.line = line
        self.hint = hint


class UnknownAccountError(GraphinfluError, KeyError):
    """Accounts named by the user are not in the graph."""

    def __init__(self, missing, *, what: str = "accounts",
                 hint: str = "use account ids or handles exactly as in the input files"):
        missing = list(missing)
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        noun = what[:-1] if len(missing) == 1 and what.endswith("s") else what
        super().__init__(f"{len(missing)} {noun} not found in the graph: {shown}\n  fix: {hint}")
        self.missing = missing

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class MissingDependencyError(GraphinfluError, ImportError):
    """An optional engine is not installed."""

    def __init__(self, module: str, extra: str):
        super().__init__(f"{module} is needed for this; install it with: pip install 'graphinflu[{extra}]'")


class ConvergenceError(GraphinfluError, RuntimeError):
    """A power iteration did not reach the requested tolerance within ``max_iter`` iterations."""


class StoreError(GraphinfluError):
    """The database could not be reached or refused the request; the message says why and the fix."""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message + (f"\n  fix: {hint}" if hint else ""))


class QueryNotFoundError(StoreError, KeyError):
    """No file of that name in ``cypher/``."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class GDSNotAvailableError(StoreError):
    """A query needs the Neo4j Graph Data Science plugin, which the target does not have."""


class MapError(InputError):
    """A map cannot be drawn as asked: a map option, a column it needs or the ``.html`` path is wrong.

    An :class:`InputError`, so callers that catch input problems catch it too.
    """


class AmbiguousAccountError(InputError):
    """A handle the user named belongs to several accounts (after ignoring case, ``@`` and spaces).

    ``candidates`` maps each such handle to the account ids that share it.
    """

    def __init__(self, candidates: dict, *, what: str = "accounts"):
        self.candidates = {str(k): [str(i) for i in v] for k, v in candidates.items()}
        shown = "; ".join(f"{h!r} is the handle of {', '.join(ids)}" for h, ids in list(self.candidates.items())[:10])
        noun = "handle" if len(self.candidates) == 1 else "handles"
        super().__init__(f"{len(self.candidates)} ambiguous {noun} among the {what}: {shown}",
                         hint="name the account by its id instead of its handle")


class GDSMemoryError(GDSNotAvailableError):
    """A GDS projection or algorithm would need more heap than allowed; the message quotes GDS's
    own estimate (``.estimate``) and the limit."""


class SparkEngineError(GraphinfluError, RuntimeError):
    """The Spark engine could not start or a Spark job failed (``--engine spark``); the message
    is one line from Spark (never a JVM stack trace) and the fix."""

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message + (f"\n  fix: {hint}" if hint else ""))
        self.hint = hint
