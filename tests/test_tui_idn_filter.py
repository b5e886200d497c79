"""The filter form's domain field finds IDN domains typed in Unicode (issue 12, defect 13):
stored keys are punycode, the form converts what is typed the same way the CLI does."""

from __future__ import annotations

from sample_data import SPECS, Spec, insert_sample
from tui_helpers import settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.screens.filter_modal import FilterModal

IDN = (Spec("xn--bcher-kva.de", "Buchladen", "", "", "ready"),
       Spec("shop.xn--bcher-kva.com", "Shop", "", "", "ready"))


async def test_filter_form_domain_accepts_unicode(services):
    insert_sample(services.store.db)
    insert_sample(services.store.db, IDN, first_id=len(SPECS) + 1)
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterModal), what="filter form")
        app.screen.query_one("#domain").value = "Bücher.de"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        table = screen.table
        assert [table.row_at(i).domain for i in range(table.total)] == ["xn--bcher-kva.de"]


async def test_search_box_finds_unicode_domains(services):
    """`/` then a Unicode name: the domain part of the search looks for its stored form."""
    insert_sample(services.store.db)
    insert_sample(services.store.db, IDN, first_id=len(SPECS) + 1)
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        await pilot.press("/", *"bücher", "enter")
        await settle(app, pilot)
        await wait_for(pilot, lambda: table.total == 2 and not table.busy, what="two matches")
        assert {table.row_at(i).domain for i in range(2)} == {
            "xn--bcher-kva.de", "shop.xn--bcher-kva.com"}
    flt = services.contacts.make_filter(search="Bücher")
    assert services.contacts.count(flt) == 2  # the CLI's --search too
