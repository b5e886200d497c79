"""The Bulk Import screen, headless at 80×24, keyboard only, on a tiny host app.

The host pushes `ImportScreen(services, on_imported)` the way LeadLetterApp does, so these
tests do not depend on the main app. Assertions look at widget state and at the database.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable, Input, Select

from tui_helpers import settle, wait_for

from leadletter_tui.screens import import_screen
from leadletter_tui.screens.import_screen import ImportScreen, SaveInvalidModal
from leadletter_tui.services import imports as importer

DATA = Path(__file__).parent / "data"


class Host(App[None]):
    def __init__(self, services) -> None:
        super().__init__()
        self.services = services
        self.imported: list[importer.ImportReport] = []
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(ImportScreen(self.services, self.imported.append))


def text_of(widget) -> str:
    content = widget.content
    return content.plain if isinstance(content, (Content, Text)) else str(content)


async def open_file(pilot, path: Path) -> ImportScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    screen.path_input.value = str(path)
    screen.path_input.focus()
    await pilot.press("enter")
    await settle(pilot.app, pilot)
    return screen


@pytest.fixture
def host(services):
    return Host(services)


async def test_preview_shows_detection_rows_and_dry_run_counts(host, services):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, DATA / "utf8_bom_crlf.csv")
        assert text_of(screen.info).startswith("UTF-8 with BOM · comma · 6 columns")
        assert screen.preview_table.row_count == 3
        assert [c.label.plain for c in screen.preview_table.columns.values()][:3] == [
            "line", "Company Name", "Web Site"]
        assert text_of(screen.counts) == (
            "Dry run — 3 rows: 3 would be created, 0 would be updated, 0 duplicates, 0 invalid")
        selects = list(screen.query(".map-select").results(Select))
        assert [s.value for s in selects] == ["business_name", "domain", "contact_name",
                                              "email", "phone", "notes"]
        assert services.contacts.count() == 0 and host.imported == []


async def test_import_writes_and_calls_back(host, services):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, DATA / "duplicates.csv")
        await pilot.press("ctrl+g")
        await settle(pilot.app, pilot)
        assert text_of(screen.counts) == (
            "Imported — 6 rows: 2 created, 2 updated, 2 duplicates, 0 invalid")
        assert [(r.created, r.updated, r.duplicates) for r in host.imported] == [(2, 2, 2)]
        assert screen.progress.progress == screen.progress.total
    assert services.contacts.count() == 2
    assert services.contacts.detail("oak-and-ember.com").row.contact_name == "Liam Brown"


async def test_path_completion(host, tmp_path):
    (tmp_path / "contacts-2024.csv").write_text("website\nacme.com\n", encoding="utf-8")
    (tmp_path / "\x1bevil.csv").write_text("x", encoding="utf-8")
    async with host.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        screen.path_input.focus()
        screen.path_input.value = str(tmp_path / "con")
        await settle(pilot.app, pilot)
        await pilot.press("right")
        assert screen.path_input.value == str(tmp_path / "contacts-2024.csv")
        screen.path_input.value = str(tmp_path) + "/"
        await settle(pilot.app, pilot)
        await pilot.press("right")
        assert "\x1b" not in screen.path_input.value  # unprintable names are never offered


async def test_changing_the_mapping_with_the_keyboard(host, services):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, DATA / "tab.tsv")
        industry = screen.query_one("#map-4", Select)
        assert industry.value == "extra"
        industry.focus()
        await pilot.press("enter", "up", "enter")  # extra field → notes (the one above)
        await settle(pilot.app, pilot)
        assert industry.value == "notes"
        assert screen.mapping[4] == "notes"
        assert text_of(screen.counts).startswith("Dry run — 2 rows: 2 would be created")
        await pilot.press("ctrl+g")
        await settle(pilot.app, pilot)
    d = services.contacts.detail("greenleaf-dental.com")
    assert (d.notes, d.extra) == ("Health", {})


async def test_a_mapping_without_domain_or_email_is_refused(host, services):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, DATA / "tab.tsv")
        screen.query_one("#map-0", Select).value = "skip"
        screen.query_one("#map-3", Select).value = "skip"
        await settle(pilot.app, pilot)
        await pilot.press("ctrl+g")
        await settle(pilot.app, pilot)
        assert "Map a column to domain" in text_of(screen.info)
        assert screen.info.has_class("error")
    assert services.contacts.count() == 0


async def test_pasted_urls(host, services):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        await pilot.press("shift+tab", "right")  # from the path box to the tabs, next tab
        await wait_for(pilot, lambda: screen.paste_area.region.area > 0, what="the paste tab")
        await pilot.press("tab")
        assert screen.tabs.active == "paste-tab" and screen.paste_area.has_focus
        screen.paste_area.load_text((DATA / "urls.txt").read_text(encoding="utf-8"))
        await pilot.press("ctrl+o")
        await settle(pilot.app, pilot)
        assert text_of(screen.info).startswith("UTF-8 · one per line")
        assert not screen.mapping_row.display
        assert text_of(screen.counts) == (
            "Dry run — 7 rows: 4 would be created, 0 would be updated, 1 duplicate, 2 invalid")
        await pilot.press("ctrl+g")
        await settle(pilot.app, pilot)
        assert host.imported[-1].created == 4
    assert services.contacts.count() == 4


async def test_invalid_rows_are_listed_and_saved(host, tmp_path):
    source = tmp_path / "leads.csv"
    shutil.copy(DATA / "email_only.csv", source)
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, source)
        assert screen.tables.current == "import-errors"
        assert text_of(screen.table_title) == "Invalid rows (3) · Ctrl+R: first rows of the file"
        await pilot.press("ctrl+r")  # back to the file's first rows, and again
        assert screen.tables.current == "import-preview"
        assert text_of(screen.table_title) == "First rows of the file · Ctrl+R: invalid rows"
        await pilot.press("ctrl+r")
        assert screen.tables.current == "import-errors"
        table = screen.errors_table
        assert table.row_count == 3
        line, reason, _ = table.get_row_at(0)
        assert (line.plain, reason.plain) == (
            "3", "free-mail address, no business domain: 'bob@gmail.com'")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SaveInvalidModal),
                       what="the save dialog")
        modal = pilot.app.screen
        assert modal.query_one("#save-path", Input).value == str(tmp_path / "leads-invalid.csv")
        await pilot.press("enter")
        await settle(pilot.app, pilot)
        assert text_of(screen.info) == f"Saved 3 invalid rows to {tmp_path / 'leads-invalid.csv'}"
    lines = (tmp_path / "leads-invalid.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line,reason,Email,Name"
    assert len(lines) == 4


@pytest.mark.parametrize(("name", "message"), [
    ("binary_garbage.bin", "looks like a binary file"),
    ("no_usable_column.csv", "no usable column"),
    ("missing.csv", "no such file"),
])
async def test_unusable_files_are_explained(host, services, name, message):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, DATA / name)
        assert message in text_of(screen.info)
        assert screen.info.has_class("error")
        await pilot.press("ctrl+g")
        await settle(pilot.app, pilot)
        assert message in text_of(screen.info)
    assert services.contacts.count() == 0 and host.imported == []


async def test_file_text_is_shown_literally(host, tmp_path):
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(
        "Website,[b]Company[/b]\n"
        "acme.com,[@click=app.quit]Sons [UK][/]\n"
        "beta.com,\"Esc\x1b]52;c;ZXZpbA==\x07 Ltd\"\n",
        encoding="utf-8",
    )
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, hostile)
        table: DataTable = screen.preview_table
        labels = [c.label.plain for c in table.columns.values()]
        assert labels == ["line", "Website", "[b]Company[/b]"]
        cells = [table.get_row_at(i)[2] for i in range(2)]
        assert all(isinstance(c, Text) for c in cells)
        assert cells[0].plain == "[@click=app.quit]Sons [UK][/]"
        assert cells[1].plain == "Esc\ufffd]52;c;ZXZpbA==\ufffd Ltd"
        await pilot.click("#import-preview", offset=(20, 2))  # clicking data runs no action
        await settle(pilot.app, pilot)
        assert pilot.app.is_running and pilot.app.screen is screen


async def test_cancel_a_running_import(host, services, monkeypatch, tmp_path):
    source = tmp_path / "many.csv"
    source.write_text("website\n" + "".join(f"site{i}.com\n" for i in range(50)), encoding="utf-8")
    monkeypatch.setattr(importer, "CHUNK_ROWS", 10)
    monkeypatch.setattr(import_screen, "AUTO_DRY_RUN_BYTES", 0)
    started, release = threading.Event(), threading.Event()
    real = importer.run_import

    def slow_run_import(*args, progress=None, **kwargs):
        def hook(*values):
            progress(*values)
            started.set()
            release.wait(10)
        return real(*args, progress=hook, **kwargs)

    monkeypatch.setattr(importer, "run_import", slow_run_import)
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, source)
        await pilot.press("ctrl+g")
        await wait_for(pilot, started.is_set, what="the job's first progress report")
        assert screen.running
        await pilot.press("escape")
        release.set()
        await settle(pilot.app, pilot)
        assert text_of(screen.info) == "Import cancelled: nothing was imported."
        assert not screen.running
        assert isinstance(pilot.app.screen, ImportScreen)  # escape cancelled, did not leave
    assert services.contacts.count() == 0 and host.imported == []


async def test_escape_leaves_when_idle(host):
    async with host.run_test(size=(80, 24)) as pilot:
        assert isinstance(pilot.app.screen, ImportScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ImportScreen),
                       what="the import screen to close")


async def test_fits_80x24_and_bindings_are_described(host):
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, DATA / "utf8_bom_crlf.csv")
        for widget in (screen.path_input, screen.info, screen.mapping_row, screen.preview_table,
                       screen.counts, screen.progress, screen.rate):
            region = widget.region
            assert region.height >= 1 and region.bottom <= 24, widget
        assert screen.preview_table.region.height >= 3
    for binding in ImportScreen.BINDINGS:
        assert binding.id and binding.id.startswith("import.") and binding.description
