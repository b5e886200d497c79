"""The contacts table's selection: explicit ids (with the version each was seen at, so a
bulk change applies only to rows still as picked), or "all of the filter" minus exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field


class Selection:
    """Which rows are selected: explicit ids, or "all of the filter" minus exclusions."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.all = False
        self.excluded: set[int] = set()
        self.versions: dict[int, int] = {}  # picked id -> its version when picked

    def clear(self) -> None:
        self.ids.clear()
        self.versions.clear()
        self.excluded.clear()
        self.all = False

    def select_all(self) -> None:
        self.clear()
        self.all = True

    def toggle(self, row_id: int, version: int | None = None) -> None:
        if self.all:
            self.excluded.symmetric_difference_update({row_id})
        else:
            self.ids.symmetric_difference_update({row_id})
            if row_id in self.ids and version is not None:
                self.versions[row_id] = version

    def __contains__(self, row_id: int) -> bool:
        return (row_id not in self.excluded) if self.all else (row_id in self.ids)

    def count(self, total: int) -> int:
        return total - len(self.excluded) if self.all else len(self.ids)

    def snapshot(self) -> SelectionSnapshot:
        """A frozen copy to hand to a worker (workers never read the live selection)."""
        return SelectionSnapshot(self.all, frozenset(self.ids), frozenset(self.excluded),
                                 dict(self.versions))


@dataclass(frozen=True, slots=True)
class SelectionSnapshot:
    all: bool
    ids: frozenset[int]
    excluded: frozenset[int]
    versions: dict[int, int] = field(default_factory=dict)  # picked rows' versions as seen

    def resolve(self, window) -> list[int]:
        """The selected ids (in a worker thread: "all" may read every id of the filter)."""
        if self.all and window is not None:
            return [i for i in window.snapshot() if i not in self.excluded]
        return sorted(self.ids)
