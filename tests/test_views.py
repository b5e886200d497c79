"""Saved views: the file, the CLI (`views`, `list --view`) and the TUI's views menu."""

from __future__ import annotations

import json

import pytest
from sample_data import insert_sample
from tui_helpers import choose, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.config import Paths
from leadletter_tui.errors import UserError
from leadletter_tui.screens.modals import ChoiceModal, TextModal
from leadletter_tui.services.views import SavedViews
from leadletter_tui.widgets.filter_bar import FilterSpec


@pytest.fixture
def store(isolated_env) -> SavedViews:
    return SavedViews(isolated_env.config_dir)


def test_save_load_replace_delete(store):
    assert store.load() == []
    store.save("Stale sent", {"statuses": ("sent",), "sent": "last-week", "no_reply": True,
                              "domain": None, "search": "", "due": False})
    store.save("Bakeries", {"domain": "*bak*"})
    assert [(v.name, v.options) for v in store.load()] == [
        ("Stale sent", {"statuses": ["sent"], "sent": "last-week", "no_reply": True}),
        ("Bakeries", {"domain": "*bak*"}),
    ]
    store.save("BAKERIES", {"domain": "*bakery*"})  # same name, any case: replaced
    assert [(v.name, v.options) for v in store.load()] == [
        ("Stale sent", {"statuses": ["sent"], "sent": "last-week", "no_reply": True}),
        ("BAKERIES", {"domain": "*bakery*"}),
    ]
    assert store.get("stale SENT").name == "Stale sent"
    assert store.delete("bakeries").name == "BAKERIES"
    assert [v.name for v in store.load()] == ["Stale sent"]
    with pytest.raises(UserError, match=r"no saved view named 'nope' \(saved: Stale sent\)"):
        store.delete("nope")


def test_names_are_one_safe_line_of_limited_length(store):
    assert store.save("  Leads\x1b[31m\nnow ", {}).name == "Leads\ufffd[31m now"
    with pytest.raises(UserError, match="needs a name"):
        store.save(" \t ", {})
    with pytest.raises(UserError, match="at most 60 characters"):
        store.save("x" * 61, {})


def test_a_damaged_file_is_reported_and_left_alone(store):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    for text in ("{not json", '{"views": 3}', '{"views": [{"filter": {}}]}', "[]"):
        store.path.write_text(text, encoding="utf-8")
        with pytest.raises(UserError, match="damaged; fix or delete it"):
            store.load()
        with pytest.raises(UserError):
            store.save("New", {"due": True})
        assert store.path.read_text(encoding="utf-8") == text


def test_cli_lists_uses_and_deletes_views(run_cli, store, tmp_path):
    db = tmp_path / "v.db"
    assert run_cli("--db", db, "demo", "--contacts", "1000", "--seed", "5").code == 0
    assert run_cli("views").out.startswith("no saved views yet")
    store.save("Stale sent", {"statuses": ("sent",), "sent": "last-week", "no_reply": True})
    store.save("Bakeries", {"domain": "*bak*"})
    listed = run_cli("views")
    assert listed.out.splitlines() == [
        "Stale sent  --status sent --sent last-week --no-reply",
        "Bakeries    --domain '*bak*'",
    ]
    assert json.loads(run_cli("views", "--json").out)[1] == {
        "name": "Bakeries", "filter": {"domain": "*bak*"}}
    by_view = json.loads(run_cli("--db", db, "list", "--view", "stale sent", "--json").out)
    by_flags = json.loads(run_cli("--db", db, "list", "--status", "sent", "--sent", "last-week",
                                  "--no-reply", "--json").out)
    assert by_view == by_flags and by_view
    narrowed = json.loads(run_cli("--db", db, "list", "--view", "Bakeries", "--status", "ready",
                                  "--json").out)
    assert narrowed and all(r["status"] == "ready" and "bak" in r["domain"] for r in narrowed)
    missing = run_cli("--db", db, "list", "--view", "nope")
    assert missing.code == 2 and missing.err_lines == [
        "leadletter: error: no saved view named 'nope' (saved: Stale sent, Bakeries)"]
    assert run_cli("views", "--delete", "BAKERIES").out.strip() == "deleted view Bakeries"
    assert run_cli("views", "--delete", "Bakeries").code == 2


async def _choices(pilot) -> list[str]:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal), what="a menu")
    return pilot.app.screen.choices


async def test_tui_saves_applies_and_deletes_a_view(services, isolated_env):
    insert_sample(services.store.db)
    store = SavedViews(isolated_env.config_dir)
    app = make_app(services, Paths(isolated_env.config_dir, isolated_env.data_dir,
                                   isolated_env.log_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("v")
        assert "Save this filter as a view…" not in await _choices(pilot)  # nothing to save yet
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the menu to close")
        wanted = FilterSpec(statuses=("sent",), no_reply=True)
        screen.apply_spec(wanted)
        await settle(app, pilot)
        shown = screen.table.total
        await pilot.press("v")
        assert (await _choices(pilot))[-1] == "Save this filter as a view…"
        await choose(pilot, "Save this filter as a view…")
        await wait_for(pilot, lambda: isinstance(app.screen, TextModal), what="the name box")
        await pilot.press("ctrl+u", *"Sent, no reply [mine]", "enter")
        await wait_for(pilot, lambda: app.screen is screen, what="the name box to close")
        assert [v.name for v in store.load()] == ["Sent, no reply [mine]"]
        await pilot.press("x")  # clear the filter, then bring the view back
        await settle(app, pilot)
        assert screen.spec.is_empty
        await pilot.press("v")
        choices = await _choices(pilot)
        assert "★ Sent, no reply [mine]" in choices and choices[-1] == "Delete a saved view…"
        await choose(pilot, "★ Sent, no reply [mine]")
        await settle(app, pilot)
        assert screen.spec == wanted and screen.table.total == shown
        await pilot.press("v")
        await choose(pilot, "Delete a saved view…")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal)
                       and app.screen.title_text == "Delete which saved view?",
                       what="the delete menu")
        assert app.screen.choices == ["Sent, no reply [mine]"]
        await choose(pilot, "Sent, no reply [mine]")
        await wait_for(pilot, lambda: app.screen is screen, what="the delete menu to close")
        assert store.load() == []
