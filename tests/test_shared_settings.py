"""Settings a team shares in the database: views (CLI `views --shared`, `list --view`, the
TUI's views menu) and the sender profile (fallback for empty local fields, the settings
form's "Share with team"), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading

import pytest
from sample_data import insert_sample
from tui_helpers import choose, settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.config import Paths, load_settings
from leadletter_tui.errors import UserError
from leadletter_tui.screens.modals import ChoiceModal
from leadletter_tui.screens.settings import SettingsModal
from leadletter_tui.services.views import SavedViews
from leadletter_tui.widgets.filter_bar import FilterSpec

TEAM = {"sender_name": "Team Northbeam", "sender_company": "Northbeam Studio",
        "sender_offer": "we build fast websites for local shops",
        "sender_signature": "The Northbeam team"}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return request.getfixturevalue("pg_url")


def test_a_shared_view_is_seen_from_a_second_session(open_test_services, db_url):
    alice = open_test_services(db_url)
    bob = open_test_services(db_url)  # another session on the same database
    assert bob.shared.views() == []
    alice.shared.save_view("Stale sent", {"statuses": ("sent",), "no_reply": True})
    alice.shared.save_view("Bakeries 100%_", {"domain": "*bak*"})  # LIKE characters in a name
    seen = bob.shared.views()
    assert [(v.name, v.options) for v in seen] == [
        ("Bakeries 100%_", {"domain": "*bak*"}),
        ("Stale sent", {"statuses": ["sent"], "no_reply": True}),
    ]
    assert all(v.updated_by for v in seen) and seen[0].updated_at is not None
    bob.shared.save_view("STALE SENT", {"due": True})  # same name, any case: replaced
    assert [(v.name, v.options) for v in alice.shared.views()] == [
        ("Bakeries 100%_", {"domain": "*bak*"}), ("STALE SENT", {"due": True})]
    assert alice.shared.delete_view("stale sent").name == "STALE SENT"
    assert [v.name for v in bob.shared.views()] == ["Bakeries 100%_"]
    with pytest.raises(UserError, match="no team view named 'nope'"):
        bob.shared.delete_view("nope")


def test_sharing_moves_a_view_and_unsharing_brings_it_back(open_test_services, db_url,
                                                           isolated_env):
    svc = open_test_services(db_url)
    mine = SavedViews(isolated_env.config_dir)
    mine.save("Due", {"due": True})
    svc.shared.share_view(mine, "due")
    assert mine.load() == [] and [v.name for v in svc.shared.views()] == ["Due"]
    svc.shared.unshare_view(mine, "DUE")
    assert [v.name for v in mine.load()] == ["Due"] and svc.shared.views() == []


def test_concurrent_upserts_keep_every_key(open_test_services, db_url):
    sessions = [open_test_services(db_url) for _ in range(3)]
    errors = []

    def save(n, svc):
        try:
            with svc.store.connection():
                for i in range(30):
                    svc.shared.save_view(f"s{n} v{i}", {"domain": f"d{n}{i}"})
                    svc.shared.save_view("everyone", {"domain": f"last{n}"})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n, s)) for n, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    names = [v.name for v in sessions[0].shared.views()]
    assert len(names) == 3 * 30 + 1 and "everyone" in names


def test_team_profile_fills_empty_local_fields(open_test_services, db_url):
    newcomer = open_test_services(db_url)
    assert not newcomer.profile().is_complete
    with pytest.raises(UserError, match="needs at least a name"):
        newcomer.shared.share_profile({"sender_company": "x"})
    lead = open_test_services(db_url, **TEAM)
    lead.shared.share_profile({k: getattr(lead.settings, k) for k in TEAM} | {"other": 1})
    fresh = open_test_services(db_url)  # a session opened after the share
    profile = fresh.profile()
    assert (profile.name, profile.company, profile.offer) == (
        "Team Northbeam", "Northbeam Studio", "we build fast websites for local shops")
    assert fresh.generation.profile().signature == "The Northbeam team"  # what writing uses
    # Local overrides shared, field by field: Sam's own name, the team's offer.
    sam = open_test_services(db_url, sender_name="Sam Rivera")
    assert (sam.profile().name, sam.profile().offer) == (
        "Sam Rivera", "we build fast websites for local shops")
    assert sam.generation.profile().name == "Sam Rivera"
    assert fresh.shared.unshare_profile() is True
    assert not open_test_services(db_url).profile().is_complete


def test_cli_views_shared_lists_saves_and_deletes(run_cli, tmp_path, isolated_env):
    db = tmp_path / "cli.db"
    assert run_cli("--db", db, "demo", "--contacts", "200", "--seed", "3").code == 0
    assert run_cli("--db", db, "views", "--shared").out.startswith("no team views yet")
    saved = run_cli("--db", db, "views", "--shared", "--save", "Stale sent", "--status", "sent",
                    "--sent", "last-week", "--no-reply")
    assert saved.code == 0 and saved.out.strip() == "saved team view Stale sent"
    assert run_cli("views").out.startswith("no saved views yet")  # not in your own file
    listed = run_cli("--db", db, "views", "--shared")
    assert listed.out.startswith("Stale sent  --status sent --sent last-week --no-reply  (by ")
    rows = json.loads(run_cli("--db", db, "views", "--shared", "--json").out)
    assert [(r["name"], r["filter"]) for r in rows] == [
        ("Stale sent", {"statuses": ["sent"], "sent": "last-week", "no_reply": True})]
    assert rows[0]["updated_at"] == "2026-11-25T10:00:00" and rows[0]["updated_by"]
    by_view = json.loads(run_cli("--db", db, "list", "--view", "stale SENT", "--json").out)
    by_flags = json.loads(run_cli("--db", db, "list", "--status", "sent", "--sent", "last-week",
                                  "--no-reply", "--json").out)
    assert by_view == by_flags and by_view
    bad = run_cli("--db", db, "views", "--shared", "--save", "x", "--sent", "someday")
    assert bad.code == 2 and "unknown date preset" in bad.err
    assert run_cli("--db", db, "views", "--save", "x").code == 2  # no filter given
    assert run_cli("--db", db, "views", "--status", "sent").code == 2  # flags need --save
    local = run_cli("views", "--save", "Mine", "--domain", "*bak*")
    assert local.out.strip() == "saved view Mine"
    assert not isolated_env.data_dir.exists()  # your own views never open a database
    assert [v.name for v in SavedViews(isolated_env.config_dir).load()] == ["Mine"]
    missing = run_cli("--db", db, "list", "--view", "nope")
    assert missing.code == 2 and missing.err.strip().endswith(
        "(saved: Mine, Stale sent (team))")
    gone = run_cli("--db", db, "views", "--shared", "--delete", "STALE SENT")
    assert gone.out.strip() == "deleted team view Stale sent"
    assert run_cli("--db", db, "views", "--shared", "--delete", "Stale sent").code == 2


async def test_views_menu_shows_shares_and_unshares_team_views(open_test_services, db_path,
                                                               isolated_env):
    services = open_test_services(db_path)
    insert_sample(services.store.db)
    other = open_test_services(db_path)
    other.shared.save_view("Team sent", {"statuses": ["sent"]})
    mine = SavedViews(isolated_env.config_dir)
    mine.save("My due", {"due": True})
    paths = Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)
    import threading

    read_on = []
    real_views = services.shared.views

    def views():  # the team's views come from the database: never on the UI thread
        read_on.append(threading.current_thread() is threading.main_thread())
        return real_views()

    services.shared.views = views
    app = make_app(services, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal), what="the menu")
        assert read_on == [False]
        choices = app.screen.choices
        assert "★ My due" in choices and "⇄ Team sent (team)" in choices
        assert choices[-1] == "Delete a saved view…"
        await choose(pilot, "⇄ Team sent (team)")
        await settle(app, pilot)
        assert screen.spec == FilterSpec(statuses=("sent",))
        await pilot.press("v")
        await choose(pilot, "Share a saved view with the team…")
        await wait_for(pilot, lambda: getattr(app.screen, "title_text", "")
                       == "Share which view with the team?", what="the share menu")
        await choose(pilot, "My due")
        await wait_for(pilot, lambda: app.screen is screen, what="the menu to close")
        assert mine.load() == []
        assert [v.name for v in other.shared.views()] == ["My due", "Team sent"]
        await pilot.press("v")
        await choose(pilot, "Stop sharing a team view…")
        await wait_for(pilot, lambda: getattr(app.screen, "title_text", "")
                       == "Stop sharing which team view?", what="the unshare menu")
        label = next(c for c in app.screen.choices if c.startswith("Team sent"))
        await choose(pilot, label)
        await wait_for(pilot, lambda: app.screen is screen, what="the menu to close")
        assert [v.name for v in other.shared.views()] == ["My due"]
        assert [v.name for v in mine.load()] == ["Team sent"]


async def test_settings_form_shares_the_profile_with_the_team(open_test_services, db_path,
                                                              isolated_env):
    services = open_test_services(db_path)
    paths = Paths(isolated_env.config_dir, isolated_env.data_dir, isolated_env.log_dir)
    app = make_app(services, paths)
    async with app.run_test(size=(80, 23)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsModal), what="settings")
        await pilot.press(*"Sam Rivera", "tab", *"Northbeam", "tab", *"fast websites")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsModal),
                       what="the form to close")
    local = load_settings(paths)
    assert (local.sender_name, local.sender_offer) == ("Sam Rivera", "fast websites")
    teammate = open_test_services(db_path)
    assert (teammate.profile().name, teammate.profile().company) == ("Sam Rivera", "Northbeam")
    # The teammate's form shows the team's values as placeholders for its empty fields.
    app2 = make_app(teammate, Paths(isolated_env.root / "c2", isolated_env.data_dir,
                                    isolated_env.log_dir))
    async with app2.run_test(size=(80, 23)) as pilot:
        await settle(app2, pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app2.screen, SettingsModal), what="settings")
        field = app2.screen.query_one("#set-sender_name")
        await wait_for(pilot, lambda: field.placeholder == "team: Sam Rivera",
                       what="the team's profile, read in a worker")
        assert field.value == ""
