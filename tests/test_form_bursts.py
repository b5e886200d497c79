"""Keys typed in one burst inside a form land in order: Tab moves on before the letters
after it, ctrl+u clears before the text after it (widgets/form_input.py)."""

from __future__ import annotations

from tui_helpers import burst, wait_for

from leadletter_tui.app import make_app
from leadletter_tui.screens.settings import SettingsModal


async def test_tab_and_text_in_one_burst_fill_the_right_fields(open_test_services, db_path):
    app = make_app(open_test_services(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsModal))
        modal = app.screen
        burst(app, [*"Sam", "tab", *"Acme", "tab", "ctrl+u", *"maps"])
        await wait_for(pilot, lambda: modal.query_one("#set-sender_offer").value == "maps",
                       what="the offer field filled")
        assert modal.query_one("#set-sender_name").value == "Sam"
        assert modal.query_one("#set-sender_company").value == "Acme"
