"""Demo data: filling a database of its own with realistic sample contacts
(`leadletter demo`). Demo contacts never go into a database that already holds contacts
unless asked (`force`), and their domains are all reserved `.example` names."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    from ..config import Paths
    from . import Services

DEMO_FILE = "demo.db"


def demo_database(paths: Paths) -> Path:
    """Where demo data goes when no database is named: beside the real one, never in it."""
    return paths.data_dir / DEMO_FILE


def add_demo_contacts(services: Services, count: int, seed: int | None = None,
                      *, force: bool = False) -> int:
    """Add `count` sample contacts in one transaction. Refuses (UserError) a database that
    already holds contacts unless `force`."""
    from .demo_data import generate, generate_in_background

    store = services.store
    existing = store.contacts.total()
    if existing and not force:
        raise UserError(
            f"{store.display} already holds {existing:,} contacts: demo data goes only into "
            "an empty database (--force adds it anyway)")
    taken = store.existing_domains() if existing else set()
    big = count >= 50_000
    produce = generate_in_background if big else generate
    batches = produce(count, first_id=store.next_contact_id(), now=store.now(), taken=taken,
                      seed=seed)
    # A big load into a small database: build the indexes once at the end, not row by row.
    added = store.bulk_insert(batches, defer_indexes=big and count > existing)
    from .. import logs

    logs.info("demo: %d sample contacts added to %s", added, store.display)
    return added
