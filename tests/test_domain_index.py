"""The trigram block index behind domain substring filters: it may only ever narrow the
search to blocks that can hold a match, never hide one."""

from __future__ import annotations

import random

import pytest

from leadletter_tui.domain.filters import Sort
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.store.models import Contact
from leadletter_tui.store.sqlite import domain_index


def domains_matching(services, pattern: str) -> set[str]:
    flt = services.contacts.make_filter(domain=pattern)
    return {r.domain for r in services.contacts.rows(flt, Sort())}


def brute_force(services, pattern: str) -> set[str]:
    import fnmatch

    return {d for (d,) in Contact.select(Contact.domain).tuples().execute(services.store.db)
            if fnmatch.fnmatchcase(d, f"*{pattern}*")}


@pytest.fixture
def big(services):
    add_demo_contacts(services, 5000, seed=11)  # five blocks of 1,024 ids
    return services


@pytest.mark.parametrize(
    "pattern",
    ["bakery", "zenith", "qxz", "*.co.uk", ".com", "brightwater", "a", "ab", "xyz-",
     "riverside*dental", "larkspur*.de", "-", "2.com"],
)
def test_filter_results_equal_a_brute_force_match(big, pattern):
    assert domains_matching(big, pattern) == brute_force(big, pattern)


def test_rare_pattern_is_narrowed_to_few_blocks(big):
    db = big.store.db
    Contact.update(domain="qqzyxw-unique.com").where(Contact.id == 2500).execute(db)
    db.execute_sql("DELETE FROM domain_chunk")  # re-index with that domain in place
    ranges = domain_index.candidate_ranges(db, "qqzyxw")
    assert ranges is not None
    assert any(lo <= 2500 <= hi for lo, hi in ranges)
    covered = sum(hi - lo + 1 for lo, hi in ranges[:-1])
    assert covered <= 2 * 1024  # one or two blocks, not five
    assert domain_index.candidate_ranges(db, "qqqxxxzzz")[:-1] == []  # found nowhere


def test_new_and_deleted_contacts_are_never_missed(big):
    db = big.store.db
    assert domains_matching(big, "zzfreshzz") == set()  # blocks now built
    # a contact written by another path (no refresh), into a partly indexed block
    db.execute_sql(
        "INSERT INTO contact (domain, business_name, contact_name, email, phone, notes, extra,"
        " category, status, follow_ups, draft_pending, do_not_contact, created_at, updated_at)"
        " VALUES ('zzfreshzz-bakery.com', '', '', '', '', '', '', '', 'ready', 0, 0, 0,"
        " '2026-11-25 09:00:00', '2026-11-25 09:00:00')")
    newest = Contact.select().order_by(Contact.id.desc()).get(db)
    assert domains_matching(big, "zzfreshzz") == {"zzfreshzz-bakery.com"}
    Contact.delete().where(Contact.id == newest.id).execute(db)
    assert domains_matching(big, "zzfreshzz") == set()
    assert domain_index.candidate_ranges(db, "zzfreshzz") is not None


def test_bitmap_holds_exactly_the_trigrams_of_each_domain():
    rng = random.Random(3)
    alphabet = domain_index.ALPHABET
    domains = ["".join(rng.choice(alphabet) for _ in range(rng.randint(3, 20))) for _ in range(50)]
    bits = domain_index.bitmap("\n".join(domains))
    present = {d[i:i + 3] for d in domains for i in range(len(d) - 2)}
    for trigram in present:
        (n,) = domain_index.pattern_grams(trigram)
        assert bits[n >> 3] >> (n & 7) & 1
    absent = "q.q"
    if absent not in present and not any(absent in d for d in domains):
        (n,) = domain_index.pattern_grams(absent)
        assert not bits[n >> 3] >> (n & 7) & 1
