"""Exporting contacts to a CSV or JSON file, atomically (used by the TUI's bulk export)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..domain.filters import ContactFilter, Sort
from ..files import atomic_text_file
from . import Services
from .shapes import contact_dict, write_csv, write_json_array


def export_rows(
    services: Services,
    path: Path,
    flt: ContactFilter,
    sort: Sort,
    ids: list[int] | None = None,
) -> int:
    """Write the filter's rows (or only `ids`, kept in the filter's order) to `path`.

    The format follows the extension (.json, else CSV). Written to a temporary file and
    renamed, so a failure never leaves half a file. Returns the number of contacts.
    """
    wanted = set(ids) if ids is not None else None
    rows = services.contacts.rows(flt, sort)
    items: Iterable[dict] = (
        contact_dict(r) for r in rows if wanted is None or r.id in wanted
    )
    writer = write_json_array if path.suffix.lower() == ".json" else write_csv
    with atomic_text_file(path, ".leadletter-export-") as fh:
        return writer(items, fh)
