"""The analytics mode (3) and its activity feed, driven with Pilot on the known database."""

from __future__ import annotations

import analytics_data as known
import pytest
from tui_helpers import settle, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.domain.model import Status
from leadletter_tui.screens.analytics import AnalyticsScreen
from leadletter_tui.screens.contacts import ContactsScreen
from leadletter_tui.screens.modals import TooSmallScreen


@pytest.fixture
def known_services(services):
    known.insert_known(services.store.db)
    return services


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def open_analytics(app, pilot) -> AnalyticsScreen:
    await settle(app, pilot)
    await pilot.press("3")
    await wait_for(pilot, lambda: isinstance(app.screen, AnalyticsScreen), what="analytics mode")
    screen = app.screen
    await wait_for(pilot, lambda: screen.complete, timeout=10, what="every figure")
    await settle(app, pilot)
    return screen


async def test_figures_at_80x24(known_services):
    app = make_app(known_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_analytics(app, pilot)
        lines = screen_lines(app)
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        text = "\n".join(lines)
        for shown in ("Contacts per status", "Sent             3", "Lost             2",
                      "Reply rate 57.1%", "(replied+won) ÷ (sent+replied+won)",
                      "= 4 ÷ 7", "All contacted 55.6%", "= 5 ÷ 9",
                      "ever replied ÷ ever sent, Lost incl.", "Lost 22.2%", "Per week"):
            assert shown in text, shown
        assert screen.first_figures_ms is not None  # its time is a benchmark figure (bench_stats)
        # Further down: sentiment, replies by follow-up, the angle table per category.
        sentiment = str(screen.sentiment.render())
        assert "positive" in sentiment and "asked for info" in sentiment
        follow_ups = str(screen.follow_ups.render())
        assert "1st message" in follow_ups and "follow-up 1" in follow_ups
        angles = str(screen.angles.render())
        assert "category: all" in angles and "save_time" in angles and "n sent" in angles
        await pilot.press("c", "c")  # all → healthcare → saas
        angles = str(screen.angles.render())
        assert "category: saas" in angles and "★ save_time" in angles
        assert "learner's favourite here: ★ save_time" in angles
        await pilot.press("end")  # the figures scroll; the bottom shows the frameworks
        await settle(app, pilot)
        assert "Frameworks" in "\n".join(screen_lines(app))


async def test_shrinking_to_80x23_and_back(known_services):
    app = make_app(known_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_analytics(app, pilot)
        await pilot.resize_terminal(80, 23)
        await settle(app, pilot)
        lines = screen_lines(app)
        assert len(lines) == 23 and all(len(line) <= 80 for line in lines)
        if TooSmallScreen.MIN_HEIGHT > 23:  # the app asks for a taller terminal meanwhile
            assert isinstance(app.screen, TooSmallScreen)
        else:
            assert "Reply rate 57.1%" in "\n".join(lines)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert app.screen is screen
        text = "\n".join(screen_lines(app))
        assert "Reply rate 57.1%" in text and "Per week" in text


async def test_chart_reads_without_colour(known_services, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(known_services)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_analytics(app, pilot)
        chart = str(screen.chart.render())
        assert "██ sends" in chart and "▒▒ replies" in chart  # the series differ by shape
        rows = chart.splitlines()
        assert rows[-1].split("└")[1].split() == [w.label[1:] for w in screen.report.weekly.weeks]
        bottom = rows[-2]  # the lowest bar row: a solid and a shaded bar in reply weeks
        assert "█" in bottom and "▒" in bottom


async def test_feed_changes_status_and_jumps_to_the_contact(known_services):
    app = make_app(known_services)
    repo = known_services.store.contacts
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_analytics(app, pilot)
        await pilot.press("a")
        feed = screen.feed
        await wait_for(pilot, lambda: feed.has_focus and feed.total == 16, what="the feed")
        assert feed.current.domain == "b.com"
        assert "Ready to send → Sent" in "\n".join(screen_lines(app))
        await pilot.press("w")  # b.com: Sent → Won, straight from the feed
        await settle(app, pilot)
        assert repo.detail("b.com").status is Status.WON
        await wait_for(pilot, lambda: feed.total == 17 and screen.complete, what="a refresh")
        assert feed.row_at(0).text == "Sent → Won" and feed.row_at(0).domain == "b.com"
        assert feed.current.text == "Ready to send → Sent"  # the cursor stayed on its event
        assert screen.report.counts["won"] == 2
        await pilot.press("K")  # only status changes
        await wait_for(pilot, lambda: feed.kind == "status" and not feed.busy, what="kind")
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen), what="contacts")
        contacts = app.screen
        await settle(app, pilot)
        shown = feed.row_at(1).domain
        assert contacts.spec.domain == shown
        assert contacts.table.current.domain == shown


async def test_keys_in_one_burst_reach_the_feed(known_services):
    app = make_app(known_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "a", "j", "j", "j")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AnalyticsScreen)
        assert screen.feed.cursor == 3
