"""What a loader skipped or changed, so nothing the user gave is silently dropped or silently assumed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Skip:
    """``count`` rows or values of ``source`` skipped or changed for ``reason``; ``count`` 0 is a
    note (an assumption the loader made, such as reading the first line as a header)."""

    source: str
    count: int
    reason: str

    def __str__(self) -> str:
        if not self.count:
            return f"{self.source}: {self.reason}"
        return f"{self.source}: {self.count:,} {self.reason}"


@dataclass
class LoadReport:
    """A list of counted notes: ``report.add("follows.csv", 3, "self-loops dropped")``.

    >>> r = LoadReport()
    >>> r.add("f.csv", 2, "self-loops dropped"); r.add("f.csv", 0, "nothing"); r.note("f.csv", "line 1 read as a header")
    >>> r.lines()
    ['f.csv: 2 self-loops dropped', 'f.csv: line 1 read as a header']
    """

    items: list[Skip] = field(default_factory=list)

    def add(self, source: object, count: int, reason: str) -> None:
        """Count ``count`` skipped or changed items (nothing is recorded when ``count`` is 0)."""
        if count:
            self.items.append(Skip(str(source), int(count), reason))

    def note(self, source: object, text: str) -> None:
        """Record an assumption (no count)."""
        self.items.append(Skip(str(source), 0, text))

    def extend(self, other: "LoadReport") -> None:
        self.items.extend(other.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def lines(self) -> list[str]:
        return [str(s) for s in self.items]
