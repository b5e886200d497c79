"""The Bulk Import screen with inputs that used to hang or mislead (issue 12, defects 2, 5,
14, 15): one clear line each, and the screen stays usable (Esc leaves, the app quits)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_import_screen import Host, open_file, text_of
from tui_helpers import settle, wait_for

from leadletter_tui.screens.import_screen import ImportScreen


@pytest.fixture
def host(services):
    return Host(services)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
async def test_a_named_pipe_is_refused_and_escape_still_leaves(host, services, tmp_path):
    fifo = tmp_path / "leads.csv"
    os.mkfifo(fifo)
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, fifo)
        assert text_of(screen.info) == (
            f"cannot import {fifo}: it is a named pipe (FIFO), not a regular file "
            "(for a stream use `leadletter import -`)")
        assert screen.info.has_class("error")
        await pilot.press("ctrl+g")  # importing it is refused the same way, at once
        await settle(pilot.app, pilot)
        assert "named pipe" in text_of(screen.info) and not screen.running
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ImportScreen),
                       what="the import screen closed")
        pilot.app.exit()
    assert services.contacts.count() == 0


async def test_an_unclosed_quote_is_one_line_on_the_screen(host, services, tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(b'website,company\nq1.com,"Unterminated\nq2.com,Fine\nq3.com,Fine\n')
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, path)
        assert text_of(screen.info).startswith("line 2: a quote opened here is never closed")
        assert screen.info.has_class("error")
    assert services.contacts.count() == 0


async def test_mixed_encoding_and_repeated_columns_are_said(host, services, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("website,company,company\nq1.com,Café,Café SA\n".encode()
                     + b"q2.com,Caf\xe9 Noir,\n")
    async with host.run_test(size=(80, 24)) as pilot:
        screen = await open_file(pilot, path)
        info = text_of(screen.info)
        assert "1 line not valid UTF-8 was read as Windows-1252" in info
        await pilot.press("ctrl+g")
        await settle(pilot.app, pilot)
        info = text_of(screen.info)
        assert "1 line not valid UTF-8 was read as Windows-1252" in info
        assert "column 3 repeats an earlier column's name" in info
    assert services.contacts.detail("q2.com").row.business_name == "Café Noir"
    assert services.contacts.detail("q1.com").extra == {"company (2)": "Café SA"}
