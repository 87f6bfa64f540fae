"""What a loader skipped or changed, so nothing the user gave is silently dropped."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Skip:
    source: str
    count: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.count:,} {self.reason}"


@dataclass
class LoadReport:
    """A list of counted notes: ``report.add("follows.csv", 3, "self-loops dropped")``."""

    items: list[Skip] = field(default_factory=list)

    def add(self, source: object, count: int, reason: str) -> None:
        if count:
            self.items.append(Skip(str(source), int(count), reason))

    def extend(self, other: "LoadReport") -> None:
        self.items.extend(other.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def lines(self) -> list[str]:
        return [str(s) for s in self.items]
