"""Waiting in Pilot tests: poll for the state a test needs, never sleep a fixed time.

- `await settle(app, pilot)`: every worker has finished (a failed one raises WorkerFailed,
  so a test never passes over a hidden error) and the messages and callbacks their results
  posted have been handled, including any workers those handlers started in turn.
- `await wait_for(pilot, condition, timeout=5.0, what=...)`: poll `condition()` between
  message-loop passes until it is true; for state that arrives by a timer (the detail pane
  follows the cursor after a short debounce) or a job that is meant to fail.
- `await choose(pilot, label)`: in an open ChoiceModal (e.g. the views menu), move to the
  entry named `label` with the arrow keys and press enter; an entry is picked by its name, never its position.

Import them in a test module with `from tui_helpers import settle, wait_for` (tests/ is on
sys.path, as for sample_data).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from time import monotonic

from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

QUIET_ROUNDS = 2  # passes in a row with no worker left: a handler may start another one


async def settle(app, pilot, timeout: float = 10.0) -> None:
    """Wait until no worker runs and everything their results posted has been handled."""
    deadline = monotonic() + timeout
    quiet = 0
    while quiet < QUIET_ROUNDS:
        if monotonic() > deadline:
            raise AssertionError(f"workers still running after {timeout}s: {list(app.workers)}")
        started = [w for w in app.workers if w.state is not WorkerState.PENDING]
        if started:
            quiet = 0
            results = await asyncio.gather(*(w.wait() for w in started), return_exceptions=True)
            for result in results:
                if isinstance(result, WorkerFailed):
                    raise result
                if isinstance(result, BaseException) and not isinstance(result, WorkerCancelled):
                    raise result
        await pilot.pause()  # the screen's queued messages (results, Loaded...) are handled
        quiet = quiet + 1 if not app.workers else 0


async def wait_for(
    pilot, condition: Callable[[], object], timeout: float = 5.0, what: str = ""
) -> None:
    """Poll `condition()` between passes of the message loop until it is true."""
    deadline = monotonic() + timeout
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout}s: {what or condition}")
        await pilot.pause()


async def choose(pilot, label: str) -> None:
    """Pick the entry named `label` in the ChoiceModal on top (by name, not position)."""
    from textual.widgets import OptionList

    from leadletter_tui.screens.modals import ChoiceModal

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceModal), what="a menu")
    modal = pilot.app.screen
    assert label in modal.choices, f"{label!r} not offered: {modal.choices}"
    steps = modal.choices.index(label) - (modal.query_one(OptionList).highlighted or 0)
    await pilot.press(*(["down"] * steps if steps >= 0 else ["up"] * -steps), "enter")


async def confirm(pilot, answer: str = "y") -> None:
    """Answer the ConfirmModal on top once it says it is ready (it ignores keys before)."""
    from leadletter_tui.screens.modals import ConfirmModal

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal)
                   and pilot.app.screen.ready, what="a ready confirmation")
    await pilot.press(answer)


def burst(app, keys) -> None:
    """Deliver keys the way one read of a laggy SSH link does: all of them are handed to
    the app before it handles the first (no awaiting in between, unlike `pilot.press`).
    `keys` is a string of characters, or a list of characters and key names ("ctrl+u")."""
    from textual import events

    names = {"/": "slash", " ": "space", ".": "full_stop", "-": "minus", "@": "at"}
    for item in keys:
        key, char = (names.get(item, item), item) if len(item) == 1 else (item, None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)  # what the terminal driver does for each key read
