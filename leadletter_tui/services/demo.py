"""Demo data: filling a database with realistic sample contacts (`leadletter demo`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Services


def add_demo_contacts(services: Services, count: int, seed: int | None = None) -> int:
    """Add `count` realistic sample contacts in one transaction."""
    from .demo_data import generate, generate_in_background

    store = services.store
    existing = store.contacts.total()
    taken = store.existing_domains() if existing else set()
    big = count >= 50_000
    produce = generate_in_background if big else generate
    batches = produce(count, first_id=store.next_contact_id(), now=store.now(), taken=taken,
                      seed=seed)
    # A big load into a small database: build the indexes once at the end, not row by row.
    return store.bulk_insert(batches, defer_indexes=big and count > existing)
